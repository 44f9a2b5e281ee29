import { afterEach, expect, test, vi } from 'vitest';
import { Emitter } from '../../src/lib/emitter.js';

interface Events {
  ping: { n: number };
  other: string;
}

afterEach(() => vi.unstubAllGlobals());

test('listeners get the events of their type until they stop', () => {
  const emitter = new Emitter<Events>();
  const seen: number[] = [];
  const stop = emitter.on('ping', (event) => seen.push(event.n));
  const other = vi.fn();
  emitter.on('other', other);
  emitter.emit('ping', { n: 1 });
  stop();
  emitter.emit('ping', { n: 2 });
  expect(seen).toEqual([1]);
  expect(other).not.toHaveBeenCalled();
});

test('a listener that throws is reported and does not stop the others', () => {
  const reported = vi.fn();
  vi.stubGlobal('reportError', reported);
  const emitter = new Emitter<Events>();
  const after = vi.fn();
  emitter.on('ping', () => {
    throw new Error('listener bug');
  });
  emitter.on('ping', after);
  expect(() => emitter.emit('ping', { n: 1 })).not.toThrow();
  expect(after).toHaveBeenCalledWith({ n: 1 });
  expect(reported).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
});
