import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UpdateLogEntry } from '../update-log.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/**
 * A model server whose manifest changes during a test, for the model-update tests (revalidation,
 * stale-while-revalidate, atomic swap, rollback, only changed files downloaded). Each test takes
 * its own scenario id, which keeps its manifest, its settings and its log apart from the others'.
 *
 * - `POST /u/<id>/manifest`: the body becomes the manifest of `<id>`, kept as the exact text
 *   posted (not parsed: a test may post a broken one). 204.
 * - `GET /u/<id>/manifest.json`: that text (404 before the first POST), `Cache-Control: no-cache`,
 *   a strong `ETag` (a hash of the text) and `Last-Modified` (when it was set). `If-None-Match`
 *   and `If-Modified-Since` are honoured with a 304, the first winning when both are sent
 *   (RFC 9110 §13.2.2).
 * - `GET /u/<id>/<file>`: a file of test/fixtures/models, or one of `derivedFiles`, with a strong
 *   ETag and `Cache-Control: no-store`, so every request the runtime makes reaches this server
 *   and the log counts it (a revalidation the browser's HTTP cache answered would look like no
 *   download). No ranges, no conditional requests.
 * - `POST /u/<id>/delay/<ms>`: every later file response of `<id>` waits that long before it
 *   starts, holding a download in flight.
 * - `POST /u/<id>/manifest-delay/<ms>`: every later manifest response waits that long (a slow
 *   network, which a load from the cache must not wait for).
 * - `POST /u/<id>/down`, `/up`: takes `<id>` off the network and back: its requests (a delayed
 *   one too, when its wait ends) get the socket destroyed, a dropped connection.
 * - `GET /log/<id>`: what `<id>` was asked, one `UpdateLogEntry` per GET in the order they came.
 * - `GET /describe/<file>`: `{ bytes, sha256 }` of a file served, for manifests made in a test.
 */
export interface UpdateServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Scenario {
  manifest?: { text: string; etag: string; lastModified: number };
  delayMs: number;
  /** Ms every later manifest response waits (a slow network the manifest's check must not block on). */
  manifestDelayMs: number;
  down: boolean;
  log: UpdateLogEntry[];
}

interface Served {
  bytes: Buffer;
  etag: string;
  sha256: string;
}

const fixtures = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

/**
 * Files made from a fixture when first asked for. mlp-external.onnx computes what mlp.onnx does
 * (scripts/make-fixtures.mjs builds both from one seed), so a second version of the MLP needs
 * other weights: these are mlp-external.weights with every float32 negated (the sign bit of each
 * little-endian word flipped; the file holds only float32 initializers), for a manifest entry
 * with `path: 'mlp-external.weights'`, the location the graph refers to.
 */
const derivedFiles: Record<string, { from: string; make: (bytes: Buffer) => Buffer }> = {
  'mlp-external-negated.weights': { from: 'mlp-external.weights', make: negateFloat32 },
};

function negateFloat32(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 3; i < out.length; i += 4) out[i] = (out[i] ?? 0) ^ 0x80;
  return out;
}

const files = new Map<string, Served>();

/** A file's bytes and hashes, read once (files do not change while the tests run). */
function readServed(name: string): Served | undefined {
  const safe = name.replace(/[^\w.-]/g, '');
  if (files.has(safe)) return files.get(safe);
  const derived = derivedFiles[safe];
  const source = derived?.from ?? safe;
  if (safe === '' || !existsSync(join(fixtures, source))) return undefined;
  const read = readFileSync(join(fixtures, source));
  const bytes = derived ? derived.make(read) : read;
  const sha256 = hash(bytes);
  const served = { bytes, sha256, etag: `"${sha256.slice(0, 16)}"` };
  files.set(safe, served);
  return served;
}

function hash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function startUpdateServer(): Promise<UpdateServer> {
  const scenarios = new Map<string, Scenario>();
  const waits = new Set<NodeJS.Timeout>();
  const scenario = (id: string) => {
    const found = scenarios.get(id) ?? { delayMs: 0, manifestDelayMs: 0, down: false, log: [] };
    scenarios.set(id, found);
    return found;
  };
  const server = createServer(async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, If-None-Match, If-Modified-Since');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Content-Length');
    // The test page is cross-origin isolated (COEP require-corp): cross-origin responses must opt in.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    // A connection for each request: Chromium sends a request again when a connection it reused
    // drops before any answer, which would log one fetch of a scenario that is down as several.
    res.setHeader('Connection', 'close');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const [, kind = '', id = '', path = '', arg = ''] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    if (kind === 'log' && req.method === 'GET') return json(res, scenarios.get(id)?.log ?? []);
    if (kind === 'describe' && req.method === 'GET') {
      const served = readServed(id);
      return served ? json(res, { bytes: served.bytes.length, sha256: served.sha256 }) : notFound(res);
    }
    if (kind !== 'u' || id === '') return notFound(res);
    const s = scenario(id);
    if (req.method === 'POST') return control(req, res, s, path, arg);
    const entry: UpdateLogEntry = {
      path,
      method: req.method ?? 'GET',
      status: 0,
      ifNoneMatch: header(req, 'if-none-match'),
      ifModifiedSince: header(req, 'if-modified-since'),
      at: Date.now(),
    };
    s.log.push(entry);
    if (s.down) return void req.socket.destroy();
    const send = (status: number, headers: Record<string, string>, body?: string | Buffer) => {
      entry.status = status;
      res.writeHead(status, headers).end(body);
    };
    if (path === 'manifest.json') {
      if (s.manifestDelayMs <= 0) return sendManifest(s, entry, send);
      const wait = setTimeout(() => {
        waits.delete(wait);
        if (!res.destroyed) sendManifest(s, entry, send);
      }, s.manifestDelayMs);
      return void waits.add(wait);
    }
    const served = readServed(path);
    if (!served) return send(404, { 'Content-Type': 'text/plain' }, 'not found');
    const sendFile = () => {
      if (res.destroyed) return;
      if (s.down) return void req.socket.destroy();
      const headers = { 'Content-Type': 'application/octet-stream', ETag: served.etag, 'Cache-Control': 'no-store' };
      send(200, { ...headers, 'Content-Length': String(served.bytes.length) }, served.bytes);
    };
    if (s.delayMs <= 0) return sendFile();
    const wait = setTimeout(() => {
      waits.delete(wait);
      sendFile();
    }, s.delayMs);
    waits.add(wait);
  });
  return listenOnLoopback(server, () => {
    for (const wait of waits) clearTimeout(wait);
  });
}

/** The POSTs that set a scenario up: `manifest`, `delay/<ms>`, `manifest-delay/<ms>`, `down`, `up`. */
async function control(req: IncomingMessage, res: ServerResponse, s: Scenario, path: string, arg: string) {
  if (path === 'manifest') {
    const text = await readBody(req);
    // At least a second after the last one: Last-Modified counts whole seconds, and a change
    // within the same second would otherwise answer If-Modified-Since with a wrong 304.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const lastModified = s.manifest ? Math.max(now, s.manifest.lastModified + 1000) : now;
    s.manifest = { text, etag: `"${hash(text).slice(0, 16)}"`, lastModified };
  } else if (path === 'delay' && /^\d+$/.test(arg)) s.delayMs = Number(arg);
  else if (path === 'manifest-delay' && /^\d+$/.test(arg)) s.manifestDelayMs = Number(arg);
  else if (path === 'down' || path === 'up') s.down = path === 'down';
  else return notFound(res);
  res.writeHead(204).end();
}

/** The manifest, or 304 when the validators sent match it (RFC 9110 §13.1.2, §13.1.3, §13.2.2). */
function sendManifest(
  s: Scenario,
  entry: UpdateLogEntry,
  send: (status: number, headers: Record<string, string>, body?: string) => void,
) {
  const m = s.manifest;
  if (!m) return send(404, { 'Content-Type': 'text/plain' }, 'no manifest set for this id');
  const headers = { ETag: m.etag, 'Last-Modified': new Date(m.lastModified).toUTCString(), 'Cache-Control': 'no-cache' };
  const since = entry.ifModifiedSince === null ? Number.NaN : Date.parse(entry.ifModifiedSince);
  const notModified =
    entry.ifNoneMatch !== null
      ? entry.ifNoneMatch
          .split(',')
          .map((tag) => tag.trim().replace(/^W\//, ''))
          .some((tag) => tag === '*' || tag === m.etag)
      : !Number.isNaN(since) && m.lastModified <= since;
  if (notModified) return send(304, headers);
  send(200, { ...headers, 'Content-Type': 'application/json' }, m.text);
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function json(res: ServerResponse, value: unknown) {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
