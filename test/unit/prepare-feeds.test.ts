import { expect, test } from 'vitest';
import { prepareFeeds } from '../../src/runtime/prepare-feeds.js';

test('an input spanning its whole buffer is transferred as is', () => {
  const data = new Float32Array([1, 2, 3]);
  const { feeds, transfer } = prepareFeeds({ x: { type: 'float32', data, dims: [3] } });
  expect(feeds.x?.data).toBe(data);
  expect(transfer).toEqual([data.buffer]);
});

test('a view over part of a buffer is copied, so the rest of the buffer is never detached', () => {
  const whole = new Float32Array([1, 2, 3, 4]);
  const view = whole.subarray(1, 3);
  const { feeds, transfer } = prepareFeeds({ x: { type: 'float32', data: view, dims: [2] } });
  expect(feeds.x?.data).not.toBe(view);
  expect(Array.from(feeds.x?.data as Float32Array)).toEqual([2, 3]);
  expect(transfer).not.toContain(whole.buffer);
});

test('keepInputs copies every input', () => {
  const data = new Float32Array([1, 2, 3]);
  const { feeds, transfer } = prepareFeeds({ x: { type: 'float32', data, dims: [3] } }, { keepInputs: true });
  expect(feeds.x?.data).not.toBe(data);
  expect(transfer).not.toContain(data.buffer);
  structuredClone(feeds, { transfer });
  expect(data.length).toBe(3);
});

test('one buffer fed twice is listed once, which postMessage requires', () => {
  const data = new Float32Array([1, 2]);
  const { transfer } = prepareFeeds({ a: { type: 'float32', data, dims: [2] }, b: { type: 'float32', data, dims: [2] } });
  expect(transfer).toHaveLength(1);
});

test('string tensors pass through untouched', () => {
  const data = ['a', 'b'];
  const { feeds, transfer } = prepareFeeds({ s: { type: 'string', data, dims: [2] } });
  expect(feeds.s?.data).toBe(data);
  expect(transfer).toEqual([]);
});
