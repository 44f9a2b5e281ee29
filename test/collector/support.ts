import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Collector, type CollectorOptions, createCollector } from '../../src/collector/create-collector.js';
import type { Beacon } from '../../src/telemetry/beacon.js';

/** A collector on a free loopback port with a fresh SQLite file, and a way to remove both. */
export async function startCollector(options: Partial<CollectorOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'webinfer-collector-'));
  const db = join(dir, 'telemetry.db');
  const collector: Collector = await createCollector({ db, port: 0, ...options });
  return {
    collector,
    db,
    url: collector.url,
    count: (table: string) => (collector.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    stop: async () => {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let next = 0;

/** A valid beacon, as webinfer's telemetry makes them. */
export function beacon(overrides: Partial<Beacon> = {}): Beacon {
  const n = next++;
  const hex = n.toString(16).padStart(12, '0');
  return {
    format: 'webinfer/beacon@1',
    batchId: `00000000-0000-4000-8000-${hex}`,
    sessionId: '11111111-1111-4111-8111-111111111111',
    seq: n + 1,
    sentAt: Date.now(),
    sampleRate: 1,
    client: 'webinfer@0.1.0',
    metrics: [
      {
        model: 'vad',
        version: '5.0.0',
        backend: 'wasm',
        runs: 3,
        errors: { 'call-timeout': 1 },
        histograms: {
          total: {
            buckets: [
              [40, 2],
              [44, 1],
            ],
            count: 3,
            sum: 0.012,
          },
        },
      },
    ],
    anomalies: [
      {
        model: 'vad',
        version: '5.0.0',
        backend: 'wasm',
        kind: 'latency',
        tensor: '(call)',
        where: 'output',
        details: { ms: 120, z: 5.2 },
        at: Date.now(),
        suppressed: 0,
      },
    ],
    vitals: [{ name: 'LCP', value: 1200, rating: 'good', id: 'v5-1', navigationType: 'navigate' }],
    longFrames: { count: 1, duringInference: 1, blockingMs: 40, blockingMsDuringInference: 40 },
    dropped: { batches: 0, anomalies: 0, rejected: 0 },
    ...overrides,
  };
}

/** POSTs `body` as it is (a string: sent as written), `text/plain` unless told otherwise. */
export async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    headers: response.headers,
  };
}

/**
 * A request whose `Content-Length` says `declared` bytes while `body` is what goes, written on a
 * raw socket that is then half-closed: what a broken or hostile client does. Resolves to the
 * status line's code, or 0 when the server closed the connection without answering.
 */
export function lyingRequest(url: string, body: string, declared: number): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(
        `POST /collect HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: text/plain\r\nContent-Length: ${declared}\r\n\r\n${body}`,
      );
      socket.end();
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', () => undefined);
  });
}

/** The value of one series (`name{labels}`) in Prometheus text, or NaN when it is absent. */
export function seriesValue(text: string, series: string): number {
  return Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1],
  );
}
