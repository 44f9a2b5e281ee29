import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Beacon } from '../telemetry/beacon.js';
import { beaconSchema, checkBeacon, type SchemaProblem } from './beacon-schema.js';
import { type Ingest, isBusy } from './ingest.js';
import { type DecodeContext, type LocatedBeacon, type Signal, sha256 } from './otlp-envelope.js';
import { beaconsFromLogs } from './otlp-logs.js';
import { beaconsFromMetrics } from './otlp-metrics.js';
import { exportResponse, type Rejections } from './otlp-partial-success.js';
import { checkOtlp, logsRequestSchema, metricsRequestSchema } from './otlp-schema.js';

/** A JSON body as the OTLP routes' parser leaves it: parsed, and the text it came as (for a batch id). */
interface JsonBody {
  readonly text: string;
  readonly json: unknown;
}

type Decoded = { problem: SchemaProblem } | { batches: LocatedBeacon[]; rejections: Rejections };

const decoders: Readonly<Record<Signal, (json: unknown, context: DecodeContext) => Decoded>> = {
  metrics: (json, context) => {
    const checked = checkOtlp(json, metricsRequestSchema);
    return 'problem' in checked ? checked : beaconsFromMetrics(checked.value, context);
  },
  logs: (json, context) => {
    const checked = checkOtlp(json, logsRequestSchema);
    return 'problem' in checked ? checked : beaconsFromLogs(checked.value, context);
  },
};

/**
 * `POST /v1/metrics` and `POST /v1/logs`: OTLP/HTTP JSON (https://opentelemetry.io/docs/specs/otlp/#otlphttp),
 * stored as beacons are, in the same tables and `/metrics`. The body must pass the closed OTLP
 * schema (`otlp-schema.ts`), then each beacon made of it (`otlp-metrics.ts`, `otlp-logs.ts`) the
 * beacon schema; a violation of either is a 422 and stores nothing. Points and records that are
 * not webinfer's are answered, as OTLP asks, with 200 and `partialSuccess`; the rest with 200
 * `{}` once committed. Each scope is a batch, stored once (`otlp-envelope.ts` says how its id is
 * made). `application/json` only: another type (OTLP's protobuf included) is a 415 before the
 * body is read. Token, origin, rate limit, body limit, 400 and 503 are as for `POST /collect`.
 */
export function registerOtlpRoutes(app: FastifyInstance, ingest: Ingest): void {
  const schema = beaconSchema(ingest.now);
  // In a context of their own, so that only these routes keep the body's text.
  app.register(async (otlp) => {
    const parseJson = otlp.getDefaultJsonParser('error', 'error');
    otlp.removeContentTypeParser('application/json');
    otlp.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) =>
      parseJson(request, text as string, (error, json) => (error ? done(error) : done(null, { text, json }))),
    );
    otlp.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST' || mediaType(request) === 'application/json') return;
      ingest.metrics.rejected('unsupported-type');
      await reply.code(415).send({
        error: 'unsupported-type',
        message: 'OTLP/HTTP JSON only: send Content-Type application/json (protobuf is not taken)',
      });
    });
    for (const signal of ['metrics', 'logs'] as const) {
      otlp.post(`/v1/${signal}`, { config: { rateLimit: {} } }, (request, reply) => exportOf(signal, request, reply));
    }
  });

  async function exportOf(signal: Signal, request: FastifyRequest, reply: FastifyReply) {
    const { text, json } = request.body as JsonBody;
    let digest: string | undefined;
    const decoded = decoders[signal](json, { bodyDigest: () => (digest ??= sha256(text)), now: ingest.now });
    if ('problem' in decoded) return refuse(reply, decoded.problem);
    // Every beacon checked before any is stored: a 422 stores nothing.
    const beacons: Beacon[] = [];
    for (const { beacon, at } of decoded.batches) {
      const checked = checkBeacon(beacon, schema);
      if ('problem' in checked) {
        const { field } = checked.problem;
        return refuse(reply, { ...checked.problem, field: `${at} (as beacon: ${field})` });
      }
      beacons.push(checked.beacon);
    }
    // Settled one by one: those committed are counted even when another one failed.
    const results = await Promise.allSettled(beacons.map((beacon) => ingest.store(beacon)));
    let failure: unknown;
    results.forEach((result, i) => {
      if (result.status === 'rejected') failure ??= result.reason;
      else if (result.value) ingest.metrics.stored(beacons[i] as Beacon);
      else ingest.metrics.duplicate();
    });
    if (failure !== undefined) {
      if (!isBusy(failure)) throw failure;
      // Sent again, what was committed is a repeat: acknowledged, not stored twice.
      ingest.metrics.rejected('busy');
      return reply.code(503).header('Retry-After', '1').send({ error: 'busy', message: 'database busy: send again' });
    }
    return reply.code(200).send(exportResponse(signal, decoded.rejections));
  }

  function refuse(reply: FastifyReply, problem: SchemaProblem) {
    ingest.metrics.rejected('schema');
    return reply.code(422).send({ error: 'schema', ...problem });
  }
}

/** The request's media type, lower case, without parameters (`; charset=utf-8`). */
function mediaType(request: FastifyRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}
