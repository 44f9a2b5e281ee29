import { describe, expect, test } from 'vitest';
import { AccuracyWatch } from '../../src/monitor/accuracy-watch.js';

const rows = (correct: number, count = 1) => ({ task: 'classification' as const, count, correct });
const errors = (...absoluteErrors: number[]) => ({ task: 'regression' as const, absoluteErrors });

describe('AccuracyWatch', () => {
  test('nothing is judged before half the window is in, nor without an expectation', () => {
    const watch = new AccuracyWatch({ expected: { accuracy: 0.9 }, window: 20 });
    for (let i = 0; i < 9; i++) expect(watch.add(rows(0), 'y')).toBeUndefined();
    expect(watch.add(rows(0), 'y')?.kind).toBe('accuracy-drop');
    const blind = new AccuracyWatch({ window: 20 });
    for (let i = 0; i < 40; i++) expect(blind.add(rows(0), 'y')).toBeUndefined();
  });

  test('one anomaly per fall: again only after the accuracy has come back', () => {
    const watch = new AccuracyWatch({ expected: { accuracy: 0.85 }, tolerance: 0.1, window: 10 });
    const fired: number[] = [];
    const feed = (correct: number, n: number) => {
      for (let i = 0; i < n; i++) if (watch.add(rows(correct), 'y')) fired.push(i);
    };
    feed(1, 10);
    feed(0, 10); // 9/10, 8/10, 7/10: under 0.75 at the third wrong
    expect(fired).toEqual([2]);
    fired.length = 0;
    feed(1, 10);
    feed(0, 5);
    expect(fired).toEqual([2]);
  });

  test('a regressor: mean absolute error over expected × (1 + tolerance), with the figures', () => {
    const watch = new AccuracyWatch({ expected: { mae: 1 }, tolerance: 0.25, window: 10 });
    expect(watch.add(errors(1, 1, 1, 1, 1), 'price')).toBeUndefined();
    const drop = watch.add(errors(2, 2, 2), 'price'); // mean 11/8 = 1.375 > 1.25
    expect(drop).toMatchObject({
      kind: 'accuracy-drop',
      tensor: 'price',
      details: { meanAbsoluteError: 1.375, expected: 1, samples: 8 },
    });
  });

  test('the window forgets: old errors leave it', () => {
    const watch = new AccuracyWatch({ expected: { mae: 1 }, tolerance: 0, window: 10 });
    expect(watch.add(errors(...new Array(10).fill(5)), 'y')?.kind).toBe('accuracy-drop');
    expect(watch.add(errors(...new Array(10).fill(0.5)), 'y')).toBeUndefined();
    expect(watch.add(errors(...new Array(10).fill(3)), 'y')?.kind).toBe('accuracy-drop');
  });
});
