import type { FastifyInstance, FastifyReply } from 'fastify';
import * as v from 'valibot';
import { loadPhases, runPhases } from '../monitor/metrics.js';
import { beaconLimits } from '../telemetry/beacon.js';
import { defaultStep, type Queries, type Scope } from './queries.js';
import { slotMs } from './rollup.js';

/** The longest window one query reads (the default retention, and a bit). */
const maxWindowMs = 31 * 86_400_000;
const maxPoints = 1_500;
const hourMs = 3_600_000;

const epochMs = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(beaconLimits.name));
const phases = [...runPhases, ...loadPhases, 'absoluteError'] as const;

const scopeEntries = { from: v.optional(epochMs), to: v.optional(epochMs), model: v.optional(name), version: v.optional(name) };
const scopeQuery = v.strictObject(scopeEntries);
const latencyQuery = v.strictObject({
  ...scopeEntries,
  phase: v.optional(v.picklist(phases), 'total'),
  step: v.optional(v.pipe(epochMs, v.multipleOf(slotMs, `a whole number of minutes (${slotMs} ms each)`), v.minValue(slotMs))),
});
const listQuery = v.strictObject({
  ...scopeEntries,
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.minValue(1), v.maxValue(500)), '50'),
});

type Checked<T> = { ok: T } | { problem: { field: string; expected: string; received: string } };

/**
 * The query API, `GET /api/...`, read by the dashboard page and by anyone's scripts: per model
 * and version, calls, errors and latency percentiles over time windows, every phase's
 * percentiles, anomalies, the backend mix, web-vitals. Windows default to the last hour and
 * widen to whole minutes; a bad parameter is a 400 naming it, what it must be and what came.
 */
export function registerQueryRoutes(app: FastifyInstance, queries: Queries, now: () => number): void {
  app.get('/api/models', async (request, reply) =>
    answer(reply, scopeOf(scopeQuery, request.query, now), (scope) => ({ ...window(scope), models: queries.models(scope) })),
  );
  app.get('/api/latency', async (request, reply) =>
    answer(reply, scopeOf(latencyQuery, request.query, now), ({ phase, step, ...scope }) => {
      const every = step ?? defaultStep(scope.from, scope.to);
      if ((scope.to - scope.from) / every > maxPoints) return undefined;
      return { ...window(scope), step: every, phase, points: queries.latency(scope, phase, every) };
    }),
  );
  app.get('/api/phases', async (request, reply) =>
    answer(reply, scopeOf(scopeQuery, request.query, now), (scope) => ({ ...window(scope), phases: queries.phases(scope) })),
  );
  app.get('/api/anomalies', async (request, reply) =>
    answer(reply, scopeOf(listQuery, request.query, now), ({ limit, ...scope }) => ({
      ...window(scope),
      ...queries.anomalies(scope, limit),
    })),
  );
  app.get('/api/transitions', async (request, reply) =>
    answer(reply, scopeOf(listQuery, request.query, now), ({ limit, ...scope }) => ({
      ...window(scope),
      transitions: queries.transitions(scope, limit),
    })),
  );
  app.get('/api/vitals', async (request, reply) =>
    answer(reply, scopeOf(scopeQuery, request.query, now), (scope) => ({ ...window(scope), vitals: queries.vitals(scope) })),
  );
}

function answer<T extends Scope>(reply: FastifyReply, checked: Checked<T>, read: (scope: T) => object | undefined) {
  if ('problem' in checked) return reply.code(400).send({ error: 'query', ...checked.problem });
  const body = read(checked.ok);
  if (body === undefined) {
    return reply.code(400).send({
      error: 'query',
      field: 'step',
      expected: `at most ${maxPoints} windows between from and to`,
      received: 'more',
    });
  }
  return reply.header('Cache-Control', 'no-store').send(body);
}

const window = (scope: Scope) => ({ from: scope.from, to: scope.to });

/** The query string checked, with `from` and `to` filled in (the last hour) and kept in bounds. */
type ScopeQuery = { [K in keyof Scope]?: Scope[K] | undefined };

function scopeOf<S extends v.GenericSchema<unknown, ScopeQuery>>(
  schema: S,
  query: unknown,
  now: () => number,
): Checked<v.InferOutput<S> & Scope> {
  const result = v.safeParse(schema, query ?? {}, { abortEarly: true });
  if (!result.success) {
    const [issue] = result.issues;
    return {
      problem: { field: v.getDotPath(issue) ?? '(query)', expected: issue.expected ?? issue.message, received: issue.received },
    };
  }
  const to = result.output.to ?? now();
  const from = result.output.from ?? to - hourMs;
  if (result.output.version !== undefined && result.output.model === undefined) {
    return { problem: { field: 'version', expected: 'model as well', received: 'version alone' } };
  }
  if (from >= to || to - from > maxWindowMs) {
    return {
      problem: { field: 'from', expected: `before to, by at most ${maxWindowMs / 86_400_000} days`, received: `${from}` },
    };
  }
  return { ok: { ...result.output, from, to } };
}
