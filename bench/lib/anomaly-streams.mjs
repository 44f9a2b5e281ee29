/**
 * Seeded streams of what a monitored tabular classifier sees per call, for the anomaly-quality
 * bench: an input row `x` of four features (different scales), the model's three logits and
 * their softmax, and the call's latency. Clean, or with one injection from sample `at` on.
 */
import { mulberry32 } from '../../scripts/lib/random.mjs';

/** The clean features, each normal: an age, a z-score, a count, a small offset. */
const age = { mean: 40, sd: 10 };
const count = { mean: 5, sd: 2 };
const features = [age, { mean: 0, sd: 1 }, count, { mean: -2, sd: 0.5 }];

/** The true class's logit lead on a clean stream (about 1 row in 6 unsure), and after a collapse. */
const cleanLead = 2.5;
const collapsedLead = 0.5;
/** Median call latency (ms) and the spread of its logarithm. */
const latencyMedianMs = 4;
const latencySpread = 0.2;

/**
 * What each injection does from sample `at`: NaN in one feature for 10 rows; a value 7σ out for
 * 5 rows; the first feature's mean up by 0.5σ for good; the classifier's lead shrunk for good;
 * calls 4× slower for 20 calls.
 */
export const injections = /** @type {const} */ ({
  'nan-burst': { kind: 'non-finite', tensor: 'x' },
  'range-violation': { kind: 'out-of-range', tensor: 'x' },
  'mean-shift-0.5sd': { kind: 'drift', tensor: 'x' },
  'confidence-collapse': { kind: 'confidence-collapse', tensor: 'logits' },
  'latency-spike': { kind: 'latency', tensor: '(call)' },
});

/** @typedef {keyof typeof injections} Injection */
/** @typedef {{ x: Float32Array, logits: Float32Array, probs: Float32Array, latencyMs: number }} Call */

/**
 * A stream's calls, one by one.
 *
 * @param {number} seed
 * @param {{ injection?: Injection, at?: number }} [options]
 * @returns {(i: number) => Call} the call at index `i` (call in order: the stream is sequential)
 */
export function stream(seed, { injection, at = Number.POSITIVE_INFINITY } = {}) {
  const random = mulberry32(seed);
  const gauss = () => {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return (i) => {
    const since = i - at;
    const shifted = injection === 'mean-shift-0.5sd' && since >= 0;
    const x = Float32Array.from(features, (f) => f.mean + (shifted && f === age ? 0.5 * f.sd : 0) + f.sd * gauss());
    if (injection === 'nan-burst' && since >= 0 && since < 10) x[1] = Number.NaN;
    if (injection === 'range-violation' && since >= 0 && since < 5) x[2] = count.mean + 7 * count.sd;
    const label = Math.floor(random() * 3);
    const lead = injection === 'confidence-collapse' && since >= 0 ? collapsedLead : cleanLead;
    const logits = Float32Array.from({ length: 3 }, (_, k) => gauss() + (k === label ? lead : 0));
    const top = Math.max(...logits);
    const exp = logits.map((l) => Math.exp(l - top));
    const total = exp.reduce((sum, e) => sum + e, 0);
    const probs = exp.map((e) => e / total);
    const slow = injection === 'latency-spike' && since >= 0 && since < 20 ? 4 : 1;
    const latencyMs = slow * latencyMedianMs * Math.exp(latencySpread * gauss());
    return { x, logits, probs, latencyMs };
  };
}
