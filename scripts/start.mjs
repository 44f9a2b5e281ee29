/**
 * `npm start`: the collector, with its SQLite file under ./data, serving the built demo
 * (demo/dist) from its own origin, cross-origin isolated (COOP/COEP): the demo's beacons go to
 * `/collect` on that origin and its dashboard is `/dashboard/`. Prints the URL.
 * `PORT` (5173; 0 picks a free one), `HOST` (127.0.0.1) and `WEBINFER_DB` move things.
 */
import { existsSync } from 'node:fs';
import { closeOnSignal, envPort, repo, startBuiltCollector } from './lib/demo-server.mjs';

const root = `${repo}demo/dist`;
/** @type {[string, string][]} What npm start builds first, and the command that builds it. */
const needed = [
  [`${root}/index.html`, 'npm run build:demo'],
  [`${repo}dist/cli/collector.js`, 'npm run build'],
];
for (const [path, build] of needed) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: run \`${build}\` (npm start does it for you).`);
    process.exit(1);
  }
}
const { db, collector } = await startBuiltCollector({
  port: envPort('PORT', 5173),
  host: process.env.HOST || '127.0.0.1',
  site: { root },
});
console.log(`webinfer demo: ${collector.url}/`);
console.log(`webinfer dashboard: ${collector.url}/dashboard/ (data in ${db})`);
console.log('Ctrl+C to stop');
closeOnSignal(() => collector.close());
