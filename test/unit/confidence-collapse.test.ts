import { describe, expect, test } from 'vitest';
import { ConfidenceWatch, collapseCount, isLowConfidence } from '../../src/monitor/confidence-watch.js';
import type { Outputs, Predictions } from '../../src/types.js';
import { seededRandom } from '../support/browser/tensors.js';

const sure = [0.9, 0.05, 0.05];
const unsure = [0.4, 0.35, 0.25];
/** One run's output `p`: the given rows of class scores. */
const scores = (...rows: number[][]): Outputs => ({
  p: { type: 'float32', data: Float32Array.from(rows.flat()), dims: [rows.length, 3] },
});

describe('an unsure row', () => {
  test('has a top score under min, or a top two closer than margin', () => {
    const thresholds = { min: 0.5, margin: 0.1 };
    expect(isLowConfidence(sure, thresholds)).toBe(false);
    expect(isLowConfidence([0.4, 0.3, 0.3], thresholds)).toBe(true);
    expect(isLowConfidence([0.52, 0.48, 0], thresholds)).toBe(true);
    expect(isLowConfidence([0.05, 0.6, 0.35], thresholds)).toBe(false);
    expect(isLowConfidence([Number.NaN, Number.NaN], thresholds)).toBe(true);
    // A row inside a longer array.
    expect(isLowConfidence([0.4, 0.35, 0.25, ...sure], { ...thresholds, start: 3, end: 6 })).toBe(false);
    expect(isLowConfidence([...sure, 0.4, 0.35, 0.25], { ...thresholds, start: 3 })).toBe(true);
  });
});

describe('the count of unsure rows that is a collapse', () => {
  test('is where the binomial upper tail at the expected rate falls to 1 in 10,000', () => {
    // Worked exactly (Python's math.comb): the least c with P(X ≥ c) ≤ 1e-4.
    expect(collapseCount(200, 0.2)).toBe(63);
    expect(collapseCount(100, 0.2)).toBe(37);
    expect(collapseCount(200, 0.05)).toBe(24);
    expect(collapseCount(200, 0.002)).toBe(5);
    expect(collapseCount(1000, 0.3)).toBe(356);
    expect(collapseCount(200, 0)).toBe(1);
    expect(collapseCount(200, 1)).toBe(201);
  });
});

describe('confidence collapse over a window of rows', () => {
  test('one unsure row, or a stream of them at the expected rate, is no anomaly', () => {
    const watch = new ConfidenceWatch({ output: 'p', expected: 0.2 });
    expect(watch.observe(scores(unsure))).toBeUndefined();
    const random = seededRandom(3);
    for (let run = 0; run < 10_000; run++) expect(watch.observe(scores(random() < 0.2 ? unsure : sure))).toBeUndefined();
  });

  test('nothing is judged before 100 rows; then a window full of unsure rows is a collapse', () => {
    const watch = new ConfidenceWatch({ output: 'p', expected: 0.2 });
    for (let run = 0; run < 99; run++) expect(watch.observe(scores(unsure))).toBeUndefined();
    expect(watch.observe(scores(unsure))).toMatchObject({
      kind: 'confidence-collapse',
      tensor: 'p',
      where: 'output',
      details: { rate: 1, expected: 0.2, rows: 100, low: 100, top: expect.closeTo(0.4, 6), margin: expect.closeTo(0.05, 6) },
    });
  });

  test('a collapse after a clean stream is seen within the rows the binomial bound says', () => {
    const watch = new ConfidenceWatch({ output: 'p', expected: 0.2, window: 200 });
    // 200 rows at exactly the expected rate: 40 unsure.
    for (let run = 0; run < 200; run++) expect(watch.observe(scores(run % 5 === 0 ? unsure : sure))).toBeUndefined();
    // Every row unsure from here: each replaces a row that was unsure 1 time in 5, so the count
    // climbs 0.8 a row from 40 to the 63 of collapseCount(200, 0.2): 29 rows.
    let seen = 0;
    while (!watch.observe(scores(unsure))) seen++;
    expect(seen + 1).toBe(29);
  });

  test('the window forgets: confident rows bring it back', () => {
    const watch = new ConfidenceWatch({ output: 'p', expected: 0.2, window: 100 });
    for (let run = 0; run < 100; run++) watch.observe(scores(unsure));
    expect(watch.observe(scores(unsure))).toBeDefined();
    for (let run = 0; run < 63; run++) watch.observe(scores(sure));
    expect(watch.observe(scores(sure))).toBeUndefined();
  });

  test('rows are rows: a batch counts each, and predictions count like scores', () => {
    const watch = new ConfidenceWatch({ output: 'p', expected: 0.2, window: 100 });
    expect(watch.observe(scores(...Array.from({ length: 99 }, () => unsure)))).toBeUndefined();
    const predictions: Predictions = {
      type: 'predictions',
      data: [
        [
          { index: 1, score: 0.55 },
          { index: 0, score: 0.5 },
        ],
      ],
      dims: [1, 2],
    };
    expect(watch.observe({ p: predictions })).toMatchObject({ kind: 'confidence-collapse', details: { rows: 100, low: 100 } });
    expect(watch.observe({ other: predictions })).toBeUndefined();
  });
});
