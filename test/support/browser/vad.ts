import type { Feeds, Outputs } from '../../../src/index.js';
import { floatsOf, randomFloats } from './tensors.js';

/** Silero VAD v5 feeds: one 512-sample frame at 16 kHz plus the recurrent state. */
export function vadFeeds(random: () => number, state: Float32Array): Feeds {
  return {
    input: { type: 'float32', data: randomFloats(random, 512, 0.5), dims: [1, 512] },
    state: { type: 'float32', data: state, dims: [2, 1, 128] },
    sr: { type: 'int64', data: new BigInt64Array([16000n]), dims: [] },
  };
}

/** The state to carry into the next frame. */
export function nextVadState(outputs: Outputs): Float32Array {
  return floatsOf(outputs.stateN);
}

/** Silero VAD v4 (legacy) feeds: one frame plus separate LSTM states `h` and `c`, each [2, 1, 64]. */
export function legacyVadFeeds(random: () => number, h: Float32Array, c: Float32Array): Feeds {
  return {
    input: { type: 'float32', data: randomFloats(random, 512, 0.5), dims: [1, 512] },
    sr: { type: 'int64', data: new BigInt64Array([16000n]), dims: [] },
    h: { type: 'float32', data: h, dims: [2, 1, 64] },
    c: { type: 'float32', data: c, dims: [2, 1, 64] },
  };
}
