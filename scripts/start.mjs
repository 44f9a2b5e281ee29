/**
 * `npm start`: the collector (its SQLite file under ./data) and the built demo (demo/dist),
 * served cross-origin isolated; the demo's runtime sends its telemetry to the collector, whose
 * dashboard shows it. Prints both URLs. `PORT` (5173) and `COLLECTOR_PORT` (8787) move them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './lib/serve-static.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const root = `${repo}demo/dist/`;
/** @type {[string, string][]} What npm start builds first, and the command that builds it. */
const needed = [
  [`${root}index.html`, 'npm run build:demo'],
  [`${repo}dist/cli/collector.js`, 'npm run build'],
];
for (const [path, build] of needed) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: run \`${build}\` (npm start does it for you).`);
    process.exit(1);
  }
}
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT) || 5173;
const demoOrigin = `http://${host}:${port}`;
mkdirSync(`${repo}data`, { recursive: true });
/** @type {typeof import('../src/collector/index.js')} The built collector (dist/cli), typed by its source. */
const { createCollector } = await import(new URL('../dist/cli/collector.js', import.meta.url).href);
const collector = await createCollector({
  db: `${repo}data/webinfer.db`,
  port: Number(process.env.COLLECTOR_PORT) || 8787,
  host,
  origins: [demoOrigin],
});
// Where the demo page sends its beacons: read at start-up (absent under `npm run dev`: no telemetry).
writeFileSync(`${root}collector.json`, `${JSON.stringify({ endpoint: `${collector.url}/collect` })}\n`);
const server = await serveStatic(root, { port, host });
console.log(`webinfer demo: ${server.url}/`);
console.log(`webinfer collector: ${collector.url}/dashboard/ (beacons at ${collector.url}/collect, data in data/webinfer.db)`);
console.log('Ctrl+C to stop');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => Promise.all([server.close(), collector.close()]).then(() => process.exit(0)));
}
