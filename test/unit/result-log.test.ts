import { expect, test } from 'vitest';
import { ResultLog } from '../../src/monitor/result-log.js';
import type { Outputs } from '../../src/types.js';

const outputsOf = (value: number): Outputs => ({ y: { type: 'float32', data: Float32Array.of(value), dims: [1, 1] } });

test('a result is judged by its id or its outputs, once; the id stays off the outputs as data', () => {
  const log = new ResultLog({}, [{ name: 'y', type: 'float32', dims: [1, 1] }]);
  const first = outputsOf(2);
  const id = log.remember(first);
  const second = outputsOf(5);
  log.remember(second);
  expect(first).toEqual(outputsOf(2)); // nothing enumerable added
  expect(Object.keys(first)).toEqual(['y']);
  expect(log.judge(id, 3)).toEqual({ task: 'regression', absoluteErrors: [1] });
  expect(() => log.judge(id, 3)).toThrow(expect.objectContaining({ code: 'result-unknown' }));
  expect(log.judge(second, 4)).toEqual({ task: 'regression', absoluteErrors: [1] });
});

test('only the last 1,000 results are remembered; ids of another log are unknown', () => {
  const log = new ResultLog({}, [{ name: 'y', type: 'float32', dims: [1, 1] }]);
  const oldest = log.remember(outputsOf(0));
  const ids = Array.from({ length: 1_000 }, (_, i) => log.remember(outputsOf(i + 1)));
  expect(() => log.judge(oldest, 0)).toThrow(expect.objectContaining({ code: 'result-unknown' }));
  expect(log.judge(ids[0] as string, 1)).toEqual({ task: 'regression', absoluteErrors: [0] });
  const other = new ResultLog({}, [{ name: 'y', type: 'float32', dims: [1, 1] }]);
  expect(() => other.judge(ids[1] as string, 2)).toThrow(expect.objectContaining({ code: 'result-unknown' }));
  expect(() => log.judge('nonsense', 2)).toThrow(expect.objectContaining({ code: 'result-unknown' }));
});

test('with feedback off, ids are made and nothing is kept', () => {
  const log = new ResultLog(undefined, [{ name: 'y', type: 'float32', dims: [1, 1] }]);
  const outputs = outputsOf(1);
  const id = log.remember(outputs);
  expect(id).toMatch(/^[a-z0-9]+-1$/);
  expect(Object.getOwnPropertySymbols(outputs)).toEqual([]);
  expect(() => log.judge(id, 1)).toThrow(
    expect.objectContaining({ code: 'result-unknown', message: expect.stringMatching(/feedback is off/) }),
  );
});
