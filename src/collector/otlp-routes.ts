import type { FastifyInstance } from 'fastify';
import type { Ingest } from './ingest.js';

/** `POST /v1/metrics` and `/v1/logs`: OTLP/HTTP JSON, stored as beacons are. (Being written.) */
export function registerOtlpRoutes(_app: FastifyInstance, _ingest: Ingest): void {}
