/** The bench page: installs `window.bench`, which the Node runner calls once per fresh page. */
import type { BenchEntry, BenchTask } from '../shared/protocol.js';
import { benchEcho } from './echo.js';
import { benchHuge } from './huge.js';
import { benchWarmStart, fromManifest, singleFile } from './p1.js';
import { benchRoundTrip } from './p2.js';
import { benchMainThread, benchWebinfer } from './p3.js';
import { benchBatching } from './p6.js';
import { benchMonitoring } from './p8.js';
import { benchImagePreprocessing } from './p9.js';
import { benchStorage, largeManifest } from './storage.js';
import { benchUpdate } from './update.js';
import { workloads } from './workloads.js';

declare global {
  interface Window {
    bench: BenchEntry;
  }
}

window.bench = async (task: BenchTask) => {
  switch (task.kind) {
    case 'p2':
      return benchRoundTrip(task, workloads[task.model]);
    case 'p3-webinfer':
      return benchWebinfer(task, workloads[task.model]);
    case 'p3-main-thread':
      return benchMainThread(task, workloads[task.model]);
    case 'echo':
      return benchEcho(task, workloads[task.model]);
    case 'p1': {
      const model =
        task.model === 'large'
          ? await fromManifest(largeManifest)
          : await singleFile(workloads[task.model].url, `bench-${task.model}`);
      return benchWarmStart(task, model);
    }
    case 'p6':
      return benchBatching(task);
    case 'p8':
      return benchMonitoring(task);
    case 'p9':
      return benchImagePreprocessing(task);
    case 'storage':
      return benchStorage(task);
    case 'huge':
      return benchHuge(task);
    case 'update':
      return benchUpdate(task);
  }
};
