/**
 * `webinfer/collector`: the collector as a library, for a server that starts it itself (the
 * `webinfer collector` command does the same). Node only; its dependencies — Fastify,
 * @fastify/cors, @fastify/rate-limit, better-sqlite3 — are optional peer dependencies of
 * webinfer, installed beside it by those who run a collector.
 */
export type { Beacon } from '../telemetry/beacon.js';
export { type Collector, type CollectorOptions, createCollector } from './create-collector.js';
export type { SiteOptions } from './site-files.js';
export { BeaconStore, type StoreOptions } from './store.js';
