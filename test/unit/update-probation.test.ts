import { describe, expect, test } from 'vitest';
import { Probation } from '../../src/runtime/update-probation.js';

/** The first calls on a version swapped in: judged as soon as the outcome is certain. */
describe('Probation', () => {
  const settings = { runs: 10, maxErrorRate: 0.1, maxAnomalyRate: 0.3 };

  test('passes once `runs` calls ran within both rates', () => {
    const probation = new Probation('2.0.0', settings);
    const verdicts = Array.from({ length: 10 }, (_, i) => {
      const verdict = probation.add(i === 0);
      // The worker's monitors tell of a call's anomalies after its reply.
      return i < 3 ? probation.addAnomalous() : verdict;
    });
    expect(verdicts.slice(0, 9)).toEqual(Array(9).fill(undefined));
    expect(verdicts[9]).toBe('passed');
    expect(probation.figures).toEqual({ runs: 10, errors: 1, anomalous: 3 });
  });

  test('fails at the first call that puts the count past the rate over all runs', () => {
    const errors = new Probation('2.0.0', settings);
    expect([errors.add(true), errors.add(true)]).toEqual([undefined, 'errors']);
    const anomalies = new Probation('2.0.0', settings);
    const verdicts = Array.from({ length: 4 }, () => {
      anomalies.add(false);
      return anomalies.addAnomalous();
    });
    expect(verdicts).toEqual([undefined, undefined, undefined, 'anomalies']);
  });

  test('a rate of 0 fails at the first failure', () => {
    expect(new Probation('2.0.0', { runs: 50, maxErrorRate: 0, maxAnomalyRate: 1 }).add(true)).toBe('errors');
  });
});
