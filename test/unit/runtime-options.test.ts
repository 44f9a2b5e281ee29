import { expect, test } from 'vitest';
import { createRuntime, StateError } from '../../src/index.js';

const noWorker = () => {
  throw new Error('createRuntime must not start a worker');
};

test('createRuntime starts nothing until the first load', () => {
  expect(() => createRuntime({ createWorker: noWorker })).not.toThrow();
});

test.each([
  [{ backends: [] }, 'backends'],
  [{ backends: ['webgl'] }, 'backends'],
  [{ backends: 'wasm' }, 'backends'],
  [{ threads: 0 }, 'threads'],
  [{ threads: 1.5 }, 'threads'],
  [{ manifestKeys: ['not-a-key'] }, 'manifestKeys'],
  [{ manifestKeys: 'AAAA' }, 'manifestKeys'],
  [{ runTimeoutMs: 0 }, 'runTimeoutMs'],
  [{ runTimeoutMs: Number.NaN }, 'runTimeoutMs'],
  [{ supervisor: { heartbeatMs: -1 } }, 'supervisor.heartbeatMs'],
  [{ supervisor: { maxRestarts: 1.5 } }, 'supervisor.maxRestarts'],
  [{ supervisor: { restartEvery: 5 } }, 'supervisor.restartEvery'],
])('bad options %j are refused with invalid-options naming %s', (options, option) => {
  try {
    createRuntime({ ...(options as object), createWorker: noWorker });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(StateError);
    expect(error).toMatchObject({ code: 'invalid-options', details: { option } });
  }
});

test('runTimeoutMs may be Infinity (no timeout), and the supervisor settings are partial', () => {
  expect(() =>
    createRuntime({ runTimeoutMs: Number.POSITIVE_INFINITY, supervisor: { maxRestarts: 0 }, createWorker: noWorker }),
  ).not.toThrow();
});

test('a closed runtime refuses to load', async () => {
  const rt = createRuntime({ createWorker: noWorker });
  await rt.close();
  await expect(rt.load('http://localhost/m.onnx')).rejects.toMatchObject({ name: 'StateError', code: 'runtime-closed' });
});
