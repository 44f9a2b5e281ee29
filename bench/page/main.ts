/** The bench page: installs `window.bench`, which the Node runner calls once per fresh page. */
import type { BenchEntry, BenchTask } from '../shared/protocol.js';
import { benchEcho } from './echo.js';
import { benchWarmStart } from './p1.js';
import { benchRoundTrip } from './p2.js';
import { benchMainThread, benchWebinfer } from './p3.js';
import { workloads } from './workloads.js';

declare global {
  interface Window {
    bench: BenchEntry;
  }
}

window.bench = (task: BenchTask) => {
  const workload = workloads[task.model];
  switch (task.kind) {
    case 'p2':
      return benchRoundTrip(task, workload);
    case 'p3-webinfer':
      return benchWebinfer(task, workload);
    case 'p3-main-thread':
      return benchMainThread(task, workload);
    case 'echo':
      return benchEcho(task, workload);
    case 'p1':
      return benchWarmStart(task, workload);
  }
};
