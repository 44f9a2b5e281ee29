import { expect, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';

test('add runs on wasm', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  const model = await rt.load(models.add);
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const b = new Float32Array([10, 20, 30, 40, 50, 60]);
  const out = await model.run({ a: { type: 'float32', data: a, dims: [2, 3] }, b: { type: 'float32', data: b, dims: [2, 3] } });
  console.log(JSON.stringify(model.info));
  expect(Array.from(out.sum?.data as Float32Array)).toEqual([11, 22, 33, 44, 55, 66]);
  await rt.close();
});

test('add runs on webgpu', async () => {
  const rt = createRuntime({ backends: ['webgpu'] });
  const model = await rt.load(models.add);
  console.log(JSON.stringify(model.info));
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const out = await model.run({ a: { type: 'float32', data: a, dims: [2, 3] }, b: { type: 'float32', data: a.slice(), dims: [2, 3] } });
  expect(Array.from(out.sum?.data as Float32Array)).toEqual([2, 4, 6, 8, 10, 12]);
  await rt.close();
});
