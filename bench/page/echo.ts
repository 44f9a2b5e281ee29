/** The messaging floor: round trips of the same feeds to an echo worker, raw and through Comlink. */
import { type Remote, transfer, wrap } from 'comlink';
import type { Feeds } from 'webinfer';
import type { BenchTask, EchoResult } from '../shared/protocol.js';
import { timeCalls, type Workload } from './workloads.js';

type EchoTask = Extract<BenchTask, { kind: 'echo' }>;

const spawnEcho = (name: string) => new Worker(new URL('./echo-worker.ts', import.meta.url), { type: 'module', name });
const buffersOf = (feeds: Feeds) => Object.values(feeds).map((tensor) => (tensor.data as ArrayBufferView).buffer as ArrayBuffer);

export async function benchEcho(task: EchoTask, workload: Workload): Promise<EchoResult> {
  const raw = spawnEcho('raw');
  const comlinkWorker = spawnEcho('comlink');
  const remote: Remote<{ echo(feeds: Feeds): Feeds }> = wrap(comlinkWorker);
  const rawEcho = (feeds: Feeds) =>
    new Promise<Feeds>((resolve) => {
      raw.addEventListener('message', (event: MessageEvent<Feeds>) => resolve(event.data), { once: true });
      raw.postMessage(feeds, buffersOf(feeds));
    });
  const comlinkEcho = (feeds: Feeds) => remote.echo(transfer(feeds, buffersOf(feeds)));
  try {
    await timeCalls(task.warmup, workload, rawEcho);
    const rawMs = await timeCalls(task.runs, workload, rawEcho);
    await timeCalls(task.warmup, workload, comlinkEcho);
    const comlinkMs = await timeCalls(task.runs, workload, comlinkEcho);
    return { kind: 'echo', rawMs, comlinkMs };
  } finally {
    raw.terminate();
    comlinkWorker.terminate();
  }
}
