/**
 * What `npm start` (scripts/start.mjs) and `npm run dev` (scripts/dev.mjs) share: the built
 * collector on its SQLite file, ports from the environment, and a clean stop on Ctrl+C.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The port `name` in the environment names (0 picks a free one), else `fallback`.
 *
 * @param {string} name
 * @param {number} fallback
 */
export function envPort(name, fallback) {
  const given = process.env[name];
  return given ? Number(given) : fallback;
}

/**
 * Starts the built collector (dist/cli) on `WEBINFER_DB` (default `data/webinfer.db`, its folder
 * made when missing) with `options`.
 *
 * @param {Omit<import('../../src/collector/index.js').CollectorOptions, 'db'>} options
 */
export async function startBuiltCollector(options) {
  const db = resolve(repo, process.env.WEBINFER_DB || 'data/webinfer.db');
  mkdirSync(dirname(db), { recursive: true });
  /** @type {typeof import('../../src/collector/index.js')} The built collector, typed by its source. */
  const { createCollector } = await import(new URL('../../dist/cli/collector.js', import.meta.url).href);
  return { db, collector: await createCollector({ ...options, db }) };
}

/**
 * Runs `close` on Ctrl+C or SIGTERM, then ends the process.
 *
 * @param {() => Promise<unknown>} close
 */
export function closeOnSignal(close) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => close().then(() => process.exit(0)));
}
