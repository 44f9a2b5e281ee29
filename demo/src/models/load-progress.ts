import type { LoadProgress, LoadStage, ModelInfo } from 'webinfer';
import { byId } from '../lib/dom.js';
import { formatBytes, formatMs, formatRate } from '../lib/format.js';
import type { ModelStatus } from '../playground.js';

const stages: Readonly<Record<LoadStage, string>> = {
  downloading: 'Downloading',
  'reading-cache': 'Reading from the cache',
  'creating-session': 'Creating the session',
  ready: 'Ready',
};

/** The load bar: stage, bytes, rate and time left while a model loads; where it came from once loaded. */
export function renderProgress(status: ModelStatus): void {
  const box = byId('load-progress');
  const bar = byId('load-bar');
  box.hidden = status.state === 'idle' || status.state === 'failed';
  if (status.state === 'loading') {
    const progress = status.progress;
    show(progress?.stage ?? 'starting', progress ? detailOf(progress) : 'fetching the manifest…', fraction(progress));
  } else if (status.state === 'ready') {
    const info = status.model.info;
    show('ready', readyDetail(info), 1);
  }

  function show(stage: string, detail: string, done: number | undefined) {
    box.dataset.stage = stage;
    byId('load-stage').textContent = stage in stages ? stages[stage as LoadStage] : 'Starting';
    byId('load-detail').textContent = detail;
    const span = bar.firstElementChild as HTMLElement;
    span.style.width = `${Math.round((done ?? 0) * 100)}%`;
    if (done === undefined) bar.removeAttribute('aria-valuenow');
    else bar.setAttribute('aria-valuenow', String(Math.round(done * 100)));
  }
}

function fraction(progress: LoadProgress | undefined): number | undefined {
  if (!progress?.total) return undefined;
  return Math.min(1, progress.loaded / progress.total);
}

function detailOf(p: LoadProgress): string {
  const parts = [p.total ? `${formatBytes(p.loaded)} of ${formatBytes(p.total)}` : formatBytes(p.loaded)];
  if (p.bytesPerSecond !== null) parts.push(formatRate(p.bytesPerSecond));
  if (p.etaMs !== null) parts.push(`${formatMs(p.etaMs)} left`);
  parts.push(p.fromCache ? 'from the cache' : 'from the network');
  return parts.join(' · ');
}

function readyDetail(info: ModelInfo): string {
  const from = info.cache.state === 'hit' ? 'from the cache' : 'from the network';
  return `${formatBytes(info.bytes)} ${from} in ${formatMs(info.loadMs)}, on ${info.backend}`;
}
