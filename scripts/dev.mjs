/**
 * `npm run dev`: the demo on Vite's dev server (hot reload, webinfer imported from source) with
 * COOP/COEP, and a collector on loopback behind it: `/collect`, `/healthz`, `/api`, `/v1` and
 * `/dashboard` are proxied, so the page sees the same origin layout as under `npm start`.
 * `PORT` (5173; 0 picks a free one), `HOST` (127.0.0.1), `COLLECTOR_PORT` (8787) and `WEBINFER_DB`
 * move things.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const repo = fileURLToPath(new URL('../', import.meta.url));
const db = resolve(repo, process.env.WEBINFER_DB || 'data/webinfer.db');
mkdirSync(dirname(db), { recursive: true });
const host = process.env.HOST || '127.0.0.1';
/** @type {typeof import('../src/collector/index.js')} The built collector (dist/cli), typed by its source. */
const { createCollector } = await import(new URL('../dist/cli/collector.js', import.meta.url).href);
const collector = await createCollector({
  db,
  host: '127.0.0.1',
  port: process.env.COLLECTOR_PORT ? Number(process.env.COLLECTOR_PORT) : 8787,
});
const proxy = Object.fromEntries(['/collect', '/healthz', '/api', '/v1', '/dashboard'].map((path) => [path, collector.url]));
const vite = await createServer({
  configFile: `${repo}demo/vite.config.ts`,
  server: { host, port: process.env.PORT ? Number(process.env.PORT) : 5173, proxy },
});
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? '';
console.log(`webinfer demo: ${url}`);
console.log(`webinfer dashboard: ${url}dashboard/ (collector ${collector.url}, data in ${db})`);
console.log('Ctrl+C to stop');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => Promise.all([vite.close(), collector.close()]).then(() => process.exit(0)));
}
