/**
 * `npm start`: serves the built demo (demo/dist) cross-origin isolated and prints its URL.
 * The collector joins this command when it lands (see the README).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './lib/serve-static.mjs';

const root = fileURLToPath(new URL('../demo/dist/', import.meta.url));
if (!existsSync(`${root}index.html`)) {
  console.error('demo/dist is missing: run `npm run build:demo` (npm start does it for you).');
  process.exit(1);
}
const port = Number(process.env.PORT) || 5173;
const server = await serveStatic(root, { port, host: process.env.HOST || '127.0.0.1' });
console.log(`webinfer demo: ${server.url}/ (Ctrl+C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close().then(() => process.exit(0)));
