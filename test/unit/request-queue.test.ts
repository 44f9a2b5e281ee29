import { expect, test } from 'vitest';
import { AbortError } from '../../src/errors.js';
import { RequestQueue } from '../../src/session/request-queue.js';

/** A task that records when it starts and ends, and finishes when told. */
function gate(log: string[], name: string) {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const task = async () => {
    log.push(`start ${name}`);
    await opened;
    log.push(`end ${name}`);
    return name;
  };
  return { task, open };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

test('one request at a time; waiting ones by priority, in arrival order within one', async () => {
  const log: string[] = [];
  const queue = new RequestQueue();
  const first = gate(log, 'first');
  const results = [queue.run(first.task)];
  for (const [name, priority] of [
    ['low-1', 'low'],
    ['normal-1', 'normal'],
    ['high-1', 'high'],
    ['low-2', 'low'],
    ['high-2', 'high'],
  ] as const) {
    results.push(queue.run(async () => name, { priority }));
  }
  await settle();
  expect(log).toEqual(['start first']);
  expect(queue.waiting).toBe(5);
  first.open();
  const order: string[] = [];
  await Promise.all(results.map((result) => result.then((name) => order.push(name))));
  expect(order).toEqual(['first', 'high-1', 'high-2', 'normal-1', 'low-1', 'low-2']);
});

test('a cancelled request never runs; the others go on', async () => {
  const log: string[] = [];
  const queue = new RequestQueue();
  const first = gate(log, 'first');
  const running = queue.run(first.task, { id: 1 });
  const cancelled = queue.run(async () => log.push('cancelled ran'), { id: 2 });
  const after = queue.run(async () => 'after', { id: 3 });
  expect(queue.cancel(2, new AbortError('cancelled'))).toBe(true);
  expect(queue.cancel(1, new AbortError('too late'))).toBe(false); // running: not cancellable here
  first.open();
  await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
  expect(await running).toBe('first');
  expect(await after).toBe('after');
  expect(log).not.toContain('cancelled ran');
});

test('a request still queued at its deadline is dropped with deadline-exceeded; one started in time runs', async () => {
  const log: string[] = [];
  const queue = new RequestQueue();
  const first = gate(log, 'first');
  const running = queue.run(first.task, { deadlineMs: 10 });
  const late = queue.run(async () => log.push('late ran'), { deadlineMs: 20 });
  const patient = queue.run(async () => 'patient', { deadlineMs: 10_000 });
  await expect(late).rejects.toMatchObject({ name: 'AbortError', code: 'deadline-exceeded', details: { deadlineMs: 20 } });
  first.open();
  expect(await running).toBe('first');
  expect(await patient).toBe('patient');
  expect(log).not.toContain('late ran');
});

test('a failing request rejects alone and the queue moves on', async () => {
  const queue = new RequestQueue();
  const failing = queue.run(async () => {
    throw new Error('boom');
  });
  const next = queue.run(async () => 'next');
  await expect(failing).rejects.toThrow('boom');
  expect(await next).toBe('next');
});

test('a request that arrives after its deadline is dropped even when the queue is idle', async () => {
  const queue = new RequestQueue();
  let ran = false;
  await expect(queue.run(async () => (ran = true), { deadlineMs: -5 })).rejects.toMatchObject({ code: 'deadline-exceeded' });
  expect(ran).toBe(false);
});

test('betweenRuns runs in the task after each run, once its result is out and before the next starts', async () => {
  const log: string[] = [];
  const queue = new RequestQueue(() => log.push('between'));
  const first = queue.run(async () => log.push('run 1')).then(() => log.push('result 1'));
  const second = queue.run(async () => log.push('run 2')).then(() => log.push('result 2'));
  await Promise.all([first, second]);
  await settle();
  expect(log).toEqual(['run 1', 'result 1', 'between', 'run 2', 'result 2', 'between']);
});
