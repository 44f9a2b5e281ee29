/**
 * `npm run dev`: the demo on Vite's dev server (hot reload, webinfer imported from source) with
 * COOP/COEP, and a collector on loopback behind it: `/collect`, `/healthz`, `/api`, `/v1` and
 * `/dashboard` are proxied, so the page sees the same origin layout as under `npm start`.
 * `PORT` (5173; 0 picks a free one), `HOST` (127.0.0.1), `COLLECTOR_PORT` (8787) and `WEBINFER_DB`
 * move things.
 */
import { createServer } from 'vite';
import { closeOnSignal, envPort, repo, startBuiltCollector } from './lib/demo-server.mjs';

const { db, collector } = await startBuiltCollector({ host: '127.0.0.1', port: envPort('COLLECTOR_PORT', 8787) });
const proxy = Object.fromEntries(['/collect', '/healthz', '/api', '/v1', '/dashboard'].map((path) => [path, collector.url]));
const vite = await createServer({
  configFile: `${repo}demo/vite.config.ts`,
  server: { host: process.env.HOST || '127.0.0.1', port: envPort('PORT', 5173), proxy },
});
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? '';
console.log(`webinfer demo: ${url}`);
console.log(`webinfer dashboard: ${url}dashboard/ (collector ${collector.url}, data in ${db})`);
console.log('Ctrl+C to stop');
closeOnSignal(() => Promise.all([vite.close(), collector.close()]));
