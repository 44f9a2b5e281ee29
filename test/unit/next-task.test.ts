import { expect, test } from 'vitest';
import { nextTask } from '../../src/lib/next-task.js';

test('next tasks resolve in the order asked, after the microtasks queued before them', async () => {
  const order: string[] = [];
  const a = nextTask().then(() => order.push('a'));
  const b = nextTask().then(() => order.push('b'));
  queueMicrotask(() => order.push('microtask'));
  await Promise.all([a, b]);
  const c = nextTask().then(() => order.push('c'));
  await c;
  expect(order).toEqual(['microtask', 'a', 'b', 'c']);
});
