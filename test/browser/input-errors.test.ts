import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime, type Feeds, InputError, type Model } from '../../src/index.js';
import { models } from '../support/browser/models.js';

/**
 * Bad feeds get an InputError naming the input, the expected and the actual value, before
 * onnxruntime-web sees them; the worker stays healthy and the next call works.
 */
const rt = createRuntime({ backends: ['wasm'] });
let model: Model;
beforeAll(async () => {
  model = await rt.load(models.int64Bool);
});
afterAll(() => rt.close());

const good = (n = 3): Feeds => ({
  ids: { type: 'int64', data: new BigInt64Array(n).fill(41n), dims: [1, n] },
  mask: { type: 'bool', data: new Uint8Array(n).fill(1), dims: [1, n] },
});

async function expectInputError(feeds: unknown, code: InputError['code'], details: Record<string, unknown>) {
  const error = await model.run(feeds as Feeds).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(error).toMatchObject({ name: 'InputError', code, details });
  // The worker is healthy: a good call right after works.
  const out = await model.run(good());
  expect(Array.from(out.ids_plus_one?.data as BigInt64Array)).toEqual([42n, 42n, 42n]);
}

describe('input errors', () => {
  test('a wrong input name', async () => {
    const { ids, mask } = good();
    await expectInputError({ ids, maks: mask }, 'input-unknown', { input: 'maks', expected: ['ids', 'mask'] });
  });

  test('a missing input', async () => {
    await expectInputError({ ids: good().ids }, 'input-missing', { input: 'mask' });
  });

  test('a wrong dtype', async () => {
    await expectInputError({ ...good(), ids: { type: 'int32', data: new Int32Array(3), dims: [1, 3] } }, 'input-dtype', {
      input: 'ids',
      expected: 'int64',
      actual: 'int32',
    });
  });

  test('a wrong shape', async () => {
    await expectInputError(
      {
        ...good(),
        ids: { type: 'int64', data: new BigInt64Array(6), dims: [2, 3] },
        mask: { type: 'bool', data: new Uint8Array(6), dims: [2, 3] },
      },
      'input-shape',
      { input: 'ids', expected: '[1, "n"]', actual: '[2, 3]' },
    );
  });

  test('a detached buffer, e.g. one already transferred by an earlier run', async () => {
    const feeds = good();
    await model.run(feeds);
    await expectInputError(feeds, 'input-detached', { input: 'ids' });
  });
});
