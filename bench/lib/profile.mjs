import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `BENCH_PROFILE=dir`: V8's sampling CPU profiler on a task's page and on every worker it starts,
 * through the DevTools protocol, a sample every 50 µs (`BENCH_PROFILE_INTERVAL_US`; at 50 µs
 * the profiler made P8's calls 1.5× slower: read shares, not times). Each thread's profile is
 * written to `dir` as a `.cpuprofile` (Chrome DevTools opens it; `node
 * bench/lib/profile-summary.mjs dir` prints self time per function). For a figure that
 * surprises: where a few microseconds per call go, which timers at 5 µs resolution cannot say.
 *
 * @param {import('playwright').Page} page
 * @param {string} dir
 * @param {string} name the task, for the files' names
 */
export async function profilePage(page, dir, name) {
  const intervalUs = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 50);
  mkdirSync(dir, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  /** Requests to workers waiting for their answer, by id. */
  /** @type {Map<number, { sessionId: string, resolve: (result: unknown) => void }>} */
  const replies = new Map();
  let nextId = 1;
  /** @type {Set<string>} */
  const workers = new Set();
  /** @param {string} sessionId @param {string} method @param {object} [params] */
  const sendToWorker = (sessionId, method, params = {}) =>
    new Promise((resolve) => {
      const id = nextId++;
      replies.set(id, { sessionId, resolve });
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const parsed = JSON.parse(message);
    replies.get(parsed.id)?.resolve(parsed.result);
    replies.delete(parsed.id);
  });
  cdp.on('Target.attachedToTarget', async ({ sessionId, targetInfo }) => {
    if (targetInfo.type !== 'worker') return;
    workers.add(sessionId);
    await sendToWorker(sessionId, 'Profiler.enable');
    await sendToWorker(sessionId, 'Profiler.setSamplingInterval', { interval: intervalUs });
    await sendToWorker(sessionId, 'Profiler.start');
    await sendToWorker(sessionId, 'Runtime.runIfWaitingForDebugger');
  });
  // A worker that ends answers nothing more: what waits on it resolves empty, not never.
  cdp.on('Target.detachedFromTarget', ({ sessionId }) => {
    workers.delete(sessionId);
    for (const [id, reply] of replies) {
      if (reply.sessionId !== sessionId) continue;
      reply.resolve(undefined);
      replies.delete(id);
    }
  });
  let n = 0;
  const stopWorkers = async () => {
    for (const sessionId of workers) {
      const result = /** @type {{ profile?: unknown } | undefined} */ (await sendToWorker(sessionId, 'Profiler.stop'));
      if (result?.profile) writeFileSync(join(dir, `${name}-worker${n++}.cpuprofile`), JSON.stringify(result.profile));
    }
    workers.clear();
  };
  // A task that closes its runtime calls this first: a worker's profile ends with the worker.
  await page.exposeFunction('benchProfileWorkers', stopWorkers);
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
  return {
    /** Stops every profiler and writes the profiles. */
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(join(dir, `${name}-page.cpuprofile`), JSON.stringify(profile));
      await stopWorkers();
    },
  };
}
