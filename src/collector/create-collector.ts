import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { maxBeaconBytes } from '../telemetry/beacon.js';
import { beaconSchema, checkBeacon } from './beacon-schema.js';
import { CollectorMetrics, type RejectReason } from './collector-metrics.js';
import { registerDashboard } from './dashboard-files.js';
import { GroupCommit } from './group-commit.js';
import { ingestOf, isBusy } from './ingest.js';
import { registerOtlpRoutes } from './otlp-routes.js';
import { Queries } from './queries.js';
import { registerQueryRoutes } from './query-routes.js';
import { registerSite, type SiteOptions } from './site-files.js';
import { BeaconStore } from './store.js';

/** `createCollector(options)`, `webinfer collector`: where beacons land. */
export interface CollectorOptions {
  /** The SQLite file (created when missing). */
  readonly db: string;
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1; `0.0.0.0` to take beacons from other machines. */
  readonly host?: string;
  /** Origins whose pages may send (CORS, and refused with 403 otherwise); default: any. */
  readonly origins?: readonly string[];
  /** An ingest token beacons must carry (`?token=` or `Authorization: Bearer`), else 401. */
  readonly token?: string;
  /** Days of data kept. Default 30. */
  readonly retentionDays?: number;
  /**
   * Beacons one key (the ingest token, else the page's origin) may send per `windowMs`; the
   * excess is answered 429 before its body is read. Default 1 000 a second: a site whose 30 000
   * open pages beacon every 30 s. Keys are kept in an LRU of `keys` (default 10 000): memory
   * stays bounded whatever a flood makes up.
   */
  readonly rateLimit?: { readonly max?: number; readonly windowMs?: number; readonly keys?: number };
  /** The built dashboard page (default: `dist/dashboard` of this package). */
  readonly dashboardDir?: string;
  /**
   * A web app to serve at `/` (the dashboard stays at `/dashboard/`): its pages beacon to
   * `/collect` on their own origin, which is always allowed. Needs `@fastify/static`.
   */
  readonly site?: SiteOptions;
  /** The collector's clock (tests). */
  readonly now?: () => number;
}

export interface Collector {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly store: BeaconStore;
  close(): Promise<void>;
}

/** What the framework's own refusals mean, by status. */
const refusals: Readonly<Record<number, RejectReason>> = {
  400: 'bad-request',
  413: 'too-large',
  415: 'unsupported-type',
  429: 'rate-limited',
};

/** A beacon is at most 32 KiB; twice that leaves room for an OTLP body of the same batch. */
const bodyLimit = 2 * maxBeaconBytes;
const checkpointMs = 60_000;
const pruneMs = 3_600_000;

/**
 * Starts a collector: `POST /collect` takes beacons (`text/plain` or `application/json`),
 * checks them against the closed beacon schema and stores each batch once (its `batchId`),
 * answering only after the commit. Refusals name their reason: 413 over 64 KiB, 400 for a body
 * that is not JSON (or a `__proto__` key: prototype poisoning) or whose length is wrong, 415 for
 * another content type, 422 for a schema violation (the field, expected and received), 401 for
 * a missing or wrong token and 403 for an origin not allowed — the last two before the body is
 * read. 503 with `Retry-After` when the database stays locked past its busy timeout.
 */
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  const now = options.now ?? Date.now;
  const store = new BeaconStore({ path: options.db, ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}) });
  const commits = new GroupCommit(store);
  const metrics = new CollectorMetrics();
  const schema = beaconSchema(now);
  const app = Fastify({ bodyLimit, connectionTimeout: 30_000, requestTimeout: 10_000, logger: false });
  const origins = options.origins && new Set(options.origins);
  await app.register(cors, {
    origin: origins ? [...origins] : true,
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    maxAge: 86_400,
  });
  await app.register(rateLimit, {
    global: false,
    max: options.rateLimit?.max ?? 1_000,
    timeWindow: options.rateLimit?.windowMs ?? 1_000,
    cache: options.rateLimit?.keys ?? 10_000,
    keyGenerator: (request) => tokenOf(request) ?? request.headers.origin ?? 'no-origin',
    onExceeded: () => metrics.rejected('rate-limited'),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'rate-limited',
      message: `more than ${context.max} beacons in ${context.after}: send later`,
    }),
  });
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, json);
  app.addHook('onRequest', async (request, reply) => {
    const refused = refuseEarly(request, options.token, origins, options.site !== undefined);
    if (!refused) return;
    metrics.rejected(refused.error);
    await reply.code(refused.status).send(refused);
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const reason = refusals[status];
    // Rate-limited requests were counted as they were turned away (onExceeded).
    if (reason && reason !== 'rate-limited') metrics.rejected(reason);
    return reply.code(status).send({ error: reason ?? 'internal', message: reason ? error.message : 'internal error' });
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/metrics', async (_request, reply) =>
    reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8').send(metrics.render()),
  );
  app.post('/collect', { config: { rateLimit: {} } }, async (request, reply) => {
    const checked = checkBeacon(request.body, schema);
    if ('problem' in checked) {
      metrics.rejected('schema');
      return reply.code(422).send({ error: 'schema', ...checked.problem });
    }
    try {
      // Answered once committed: an acknowledged batch is on disk. A repeat is acknowledged too.
      if (await commits.add(checked.beacon)) metrics.stored(checked.beacon);
      else metrics.duplicate();
      return reply.code(204).send();
    } catch (error) {
      if (!isBusy(error)) throw error;
      metrics.rejected('busy');
      return reply.code(503).header('Retry-After', '1').send({ error: 'busy', message: 'database busy: send again' });
    }
  });
  registerOtlpRoutes(app, ingestOf(commits, metrics, now));
  const queries = new Queries(options.db);
  registerQueryRoutes(app, queries, now);
  registerDashboard(app, options.dashboardDir ?? fileURLToPath(new URL('../dashboard/', import.meta.url)), {
    home: !options.site,
  });
  if (options.site) await registerSite(app, options.site);
  const timers = [setInterval(() => store.checkpoint(), checkpointMs), setInterval(() => store.prune(now()), pruneMs)];
  for (const timer of timers) timer.unref();
  await app.listen({ port: options.port ?? 8787, host: options.host ?? '127.0.0.1' });
  return {
    url: serverUrl(app),
    store,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      // `app.close()` closes the connections idle when it starts. One that turns idle later (a
      // refused request whose body was still draining) would hold it for the keep-alive timeout,
      // 72 s: sweep those as they come.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      commits.flush();
      queries.close();
      store.close();
    },
  };
}

/** A refusal decided from the headers alone, before the body is read: a wrong origin or token. */
function refuseEarly(
  request: FastifyRequest,
  token: string | undefined,
  origins: ReadonlySet<string> | undefined,
  servesSite: boolean,
): { status: 401 | 403; error: 'origin' | 'token'; message: string } | undefined {
  if (request.method !== 'POST') return undefined;
  const origin = request.headers.origin;
  // A page the collector served itself (its `site`) is always allowed to send.
  const own = servesSite && origin === `${request.protocol}://${request.host}`;
  if (origins && origin !== undefined && !own && !origins.has(origin)) {
    return { status: 403, error: 'origin', message: `origin ${origin} may not send here` };
  }
  if (token === undefined || tokenOf(request) === token) return undefined;
  return { status: 401, error: 'token', message: 'a valid ingest token is required' };
}

/** The ingest token a request carries: `?token=`, or `Authorization: Bearer`. */
function tokenOf(request: FastifyRequest): string | undefined {
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof query === 'string') return query;
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
}

function serverUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the collector has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
