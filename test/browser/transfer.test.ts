import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRuntime, type Model } from '../../src/index.js';
import { models } from '../support/browser/models.js';

/** Inputs and outputs cross to and from the worker by transfer, not copy. */
const rt = createRuntime({ backends: ['wasm'] });
let model: Model;
beforeAll(async () => {
  model = await rt.load(models.mlp);
});
afterAll(() => rt.close());

test('an input spanning its buffer is transferred: it reads as empty afterwards', async () => {
  const data = new Float32Array(8).fill(0.5);
  await model.run({ x: { type: 'float32', data, dims: [2, 4] } });
  expect(data.length).toBe(0);
  expect(data.buffer.byteLength).toBe(0);
});

test('keepInputs leaves the caller’s input intact', async () => {
  const data = new Float32Array(8).fill(0.5);
  await model.run({ x: { type: 'float32', data, dims: [2, 4] } }, { keepInputs: true });
  expect(Array.from(data)).toEqual(Array(8).fill(0.5));
});

test('a view over part of a larger buffer is copied, never detaching the rest', async () => {
  const frames = new Float32Array(40).fill(1);
  const out = await model.run({ x: { type: 'float32', data: frames.subarray(8, 16), dims: [2, 4] } });
  expect(frames.length).toBe(40);
  expect(out.logits?.dims).toEqual([2, 3]);
});

test('outputs arrive owning their own buffers, exactly sized', async () => {
  const out = await model.run({ x: { type: 'float32', data: new Float32Array(12), dims: [3, 4] } });
  const logits = out.logits?.data as Float32Array;
  expect(logits).toBeInstanceOf(Float32Array);
  expect(logits.buffer.byteLength).toBe(3 * 3 * 4);
});
