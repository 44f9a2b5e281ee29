import { afterAll, describe, expect, test } from 'vitest';
import { createRuntime, type Feeds } from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { referenceSession } from '../support/browser/reference.js';
import { bytesOf, copyFeeds, randomFloats, seededRandom } from '../support/browser/tensors.js';
import { nextVadState, vadFeeds } from '../support/browser/vad.js';

/**
 * model.run on WASM equals onnxruntime-web called directly on the page, bit for bit: the
 * worker, Comlink and the transfers change nothing in the numbers.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

async function expectSameBits(url: string, feedsList: Feeds[]) {
  const model = await rt.load(url);
  expect(model.info.backend).toBe('wasm');
  const reference = await referenceSession(url, model.info.threads);
  for (const feeds of feedsList) {
    const expected = await reference.run(copyFeeds(feeds));
    const actual = await model.run(copyFeeds(feeds));
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const name of Object.keys(expected)) {
      expect(actual[name]?.type).toBe(expected[name]?.type);
      expect(actual[name]?.dims).toEqual(expected[name]?.dims);
      expect(bytesOf(actual[name])).toEqual(bytesOf(expected[name]));
    }
  }
  await reference.release();
  await model.dispose();
}

describe('WASM results equal onnxruntime-web called directly', () => {
  const random = seededRandom(7);

  test('add', async () => {
    const feeds = Array.from({ length: 3 }, () => ({
      a: { type: 'float32', data: randomFloats(random, 6, 100), dims: [2, 3] },
      b: { type: 'float32', data: randomFloats(random, 6, 100), dims: [2, 3] },
    })) satisfies Feeds[];
    await expectSameBits(models.add, feeds);
  });

  test('mlp with a dynamic batch dimension', async () => {
    const feeds = [1, 5, 32].map((batch) => ({
      x: { type: 'float32', data: randomFloats(random, batch * 4, 3), dims: [batch, 4] },
    })) satisfies Feeds[];
    await expectSameBits(models.mlp, feeds);
  });

  test('int64 and bool inputs and outputs', async () => {
    const feeds = [1, 9].map((n) => ({
      ids: { type: 'int64', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 2n ** 40n - 7n), dims: [1, n] },
      mask: { type: 'bool', data: Uint8Array.from({ length: n }, (_, i) => i % 2), dims: [1, n] },
    })) satisfies Feeds[];
    await expectSameBits(models.int64Bool, feeds);
  });

  test('heavy', async () => {
    await expectSameBits(models.heavy, [{ x: { type: 'float32', data: randomFloats(random, 256), dims: [1, 256] } }]);
  });

  test('Silero VAD over several frames, state carried between calls', async () => {
    const model = await rt.load(models.vad);
    const reference = await referenceSession(models.vad, model.info.threads);
    let state: Float32Array = new Float32Array(256);
    let referenceState: Float32Array = new Float32Array(256);
    const frames = seededRandom(11);
    const again = seededRandom(11);
    for (let frame = 0; frame < 6; frame++) {
      const out = await model.run(vadFeeds(frames, state));
      const expected = await reference.run(vadFeeds(again, referenceState));
      expect(bytesOf(out.output)).toEqual(bytesOf(expected.output));
      expect(bytesOf(out.stateN)).toEqual(bytesOf(expected.stateN));
      state = nextVadState(out);
      referenceState = nextVadState(expected);
    }
    expect(state.some((v) => v !== 0)).toBe(true);
    await reference.release();
    await model.dispose();
  });
});
