import { dirname, resolve } from 'node:path';
import type { CollectorOptions } from '../../collector/create-collector.js';
import { listFlag, parseCommandArgs, stringFlag } from '../lib/args.js';
import { CliError, UsageError } from '../lib/cli-error.js';

export const collectorUsage = `Usage: webinfer collector [--port N] [--host H] [--db FILE] [--origins URL...] [--token T]
                         [--site DIR]

Starts the collector: pages' telemetry beacons in (POST /collect; OTLP/HTTP JSON at
/v1/metrics and /v1/logs), stored in a SQLite file; Prometheus metrics out (GET /metrics), the
query API (GET /api/...) and the dashboard (GET /dashboard/). Prints its URL; stops on Ctrl+C
or SIGTERM.

Options:
  --port N             port to listen on (default 8787; 0 picks a free one)
  --host H             address to listen on (default 127.0.0.1; 0.0.0.0 for other machines)
  --db FILE            the SQLite file, created when missing (default ./data/webinfer.db)
  --origins URL        an origin whose pages may send, e.g. https://app.example; repeat for more
                       (default: any origin)
  --token T            an ingest token beacons must carry (?token=T or Authorization: Bearer T)
  --retention-days N   days of data kept (default 30)
  --site DIR           a built web app to serve at / (cross-origin isolated: COOP/COEP), whose
                       pages send to /collect on the same origin; needs @fastify/static
  --rate N             beacons a second one token or origin may send (default 1000; the
                       excess is answered 429 before its body is read)
  -h, --help           show this help
`;

export async function collector(argv: readonly string[]): Promise<void> {
  const args = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      origins: { type: 'string', multiple: true },
      token: { type: 'string' },
      'retention-days': { type: 'string' },
      rate: { type: 'string' },
      site: { type: 'string' },
    },
    collectorUsage,
  );
  if (args.values.help) {
    process.stdout.write(collectorUsage);
    return;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`, collectorUsage);
  const integer = (flag: string, fallback: number, min: number, max: number) => {
    const given = stringFlag(args, flag);
    const value = given === undefined ? fallback : Number(given);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${given}"`, collectorUsage);
    }
    return value;
  };
  const db = stringFlag(args, 'db') ?? 'data/webinfer.db';
  const options: CollectorOptions = {
    db,
    port: integer('port', 8787, 0, 65_535),
    host: stringFlag(args, 'host') ?? '127.0.0.1',
    retentionDays: integer('retention-days', 30, 1, 3_650),
    rateLimit: { max: integer('rate', 1_000, 1, 1_000_000), windowMs: 1_000 },
    ...(listFlag(args, 'origins').length ? { origins: listFlag(args, 'origins') } : {}),
    ...(stringFlag(args, 'token') === undefined ? {} : { token: stringFlag(args, 'token') as string }),
    ...(stringFlag(args, 'site') === undefined ? {} : { site: { root: resolve(stringFlag(args, 'site') as string) } }),
  };
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dirname(db), { recursive: true });
  const { createCollector } = await loadCollector();
  const running = await createCollector(options);
  if (options.site) process.stdout.write(`webinfer site: ${running.url}/ (${options.site.root})\n`);
  process.stdout.write(
    `webinfer collector: ${running.url}/collect (dashboard: ${running.url}/dashboard/, metrics: ${running.url}/metrics, data: ${db})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      void running.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The collector's code, whose dependencies (Fastify, better-sqlite3) are optional for browser users. */
async function loadCollector(): Promise<typeof import('../../collector/create-collector.js')> {
  try {
    return await import('../../collector/create-collector.js');
  } catch (error) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
    if (!missing) throw error;
    throw new CliError(
      `the collector needs ${missing}, which is not installed: npm install better-sqlite3@12 fastify@5 @fastify/cors@11 @fastify/rate-limit@11`,
      { cause: error },
    );
  }
}
