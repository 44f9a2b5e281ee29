import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeModelDir } from './large-model.js';
import { listenOnLoopback } from './listen-on-loopback.js';

/**
 * A model server that misbehaves on purpose, for the download fault tests (RELIABILITY.md 12–21).
 * URLs are `/s/<id>/<scenario>/<n>/<file>`: `id` keeps each test's request count apart, `file` is
 * a file of test/fixtures/models, and `n` is the scenario's number (a byte offset or a count).
 * `/log/<id>` answers what that id was asked: one `{ file, range, ifRange, status }` per request;
 * `/down/<id>` takes that id off the network: its later requests fail as a dropped connection.
 *
 * Scenarios, each on the first GET only unless said otherwise:
 * - `ok`: serves normally, honouring Range and If-Range, with a strong ETag;
 * - `drop`: sends n bytes, then destroys the socket;
 * - `stall`: sends n bytes, then nothing, holding the socket open;
 * - `truncate`: sends n bytes without Content-Length and ends cleanly;
 * - `unavailable`: answers 503 to the first n requests;
 * - `ignore-range`: drops at n bytes, and later answers every range with a full 200;
 * - `wrong-range`: drops at n bytes, then answers the range from other bytes (a changed file
 *   whose server ignores If-Range), 206 with a plausible Content-Range;
 * - `refuse-range`: drops at n bytes, then answers every range with 416;
 * - `html`: answers 200 text/html, an SPA fallback;
 * - `slow`: every response (ranges honoured) trickles out in 64 KiB pieces, n ms apart;
 * - `no-validator`: every response a plain 200 with neither ETag nor Last-Modified (many static
 *   hosts), so a client cannot tell the bytes are the same as last time without reading them.
 *
 * Besides the fixtures, onnxruntime-web's own `.wasm` files are served (its binary's cache).
 */
export interface FaultServer {
  readonly url: string;
  close(): Promise<void>;
}

interface Logged {
  file: string;
  range: string | null;
  ifRange: string | null;
  status: number;
}

/** Where files are looked for, in order: the fixtures, the large model written on demand, onnxruntime-web's `.wasm`. */
const folders = [
  fileURLToPath(new URL('../../fixtures/models/', import.meta.url)),
  largeModelDir,
  fileURLToPath(new URL('../../../node_modules/onnxruntime-web/dist/', import.meta.url)),
];
const files = new Map<string, { bytes: Buffer; etag: string }>();

/** A file's bytes and strong ETag, read once (files do not change while the tests run). */
function readServed(name: string): { bytes: Buffer; etag: string } | undefined {
  const safe = name.replace(/[^\w.-]/g, '');
  const folder = folders.find((f) => safe !== '' && existsSync(join(f, safe)));
  if (files.has(safe) || folder === undefined) return files.get(safe);
  const bytes = readFileSync(join(folder, safe));
  const served = { bytes, etag: `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"` };
  files.set(safe, served);
  return served;
}

export async function startFaultServer(): Promise<FaultServer> {
  const logs = new Map<string, Logged[]>();
  const held = new Set<ServerResponse>();
  const down = new Set<string>();
  const server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range, If-Range');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, ETag, Accept-Ranges, Retry-After');
    // The test page is cross-origin isolated (COEP require-corp): cross-origin responses must opt in.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const [, kind, id = '', scenario = 'ok', n = '0', file = ''] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    if (kind === 'log')
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(logs.get(id) ?? []));
    if (kind === 'down') {
      down.add(id);
      return void res.writeHead(204).end();
    }
    if (down.has(id)) return void req.socket.destroy();
    const log = logs.get(id) ?? [];
    logs.set(id, log);
    const entry: Logged = { file, range: header(req, 'range'), ifRange: header(req, 'if-range'), status: 0 };
    log.push(entry);
    serve(res, { scenario, n: Number(n), file, first: log.length === 1, count: log.length, entry, held });
  });
  return listenOnLoopback(server, () => {
    for (const res of held) res.destroy();
  });
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

interface Request {
  scenario: string;
  n: number;
  file: string;
  first: boolean;
  count: number;
  entry: Logged;
  held: Set<ServerResponse>;
}

function serve(res: ServerResponse, r: Request) {
  const send = (status: number, headers: Record<string, string>, body?: Uint8Array) => {
    r.entry.status = status;
    res.writeHead(status, headers).end(body);
  };
  if (r.scenario === 'html') return send(200, { 'Content-Type': 'text/html' }, Buffer.from('<!doctype html><title>App</title>'));
  if (r.scenario === 'unavailable' && r.count <= r.n) return send(503, { 'Retry-After': '0' });
  const served = readServed(r.file);
  if (!served) return send(404, { 'Content-Type': 'text/plain' }, Buffer.from('not found'));
  const { bytes, etag } = served;
  if (r.scenario === 'no-validator') {
    return send(200, { 'Content-Type': 'application/wasm', 'Content-Length': String(bytes.length) }, bytes);
  }
  const base = { 'Content-Type': 'application/octet-stream', ETag: etag, 'Accept-Ranges': 'bytes' };
  const breaksFirst = ['drop', 'stall', 'truncate', 'ignore-range', 'wrong-range', 'refuse-range'].includes(r.scenario);
  if (r.first && breaksFirst) return breakFirst(res, r, bytes, base);
  const start = Number(/^bytes=(\d+)-$/.exec(r.entry.range ?? '')?.[1] ?? Number.NaN);
  const rangeApplies = Number.isInteger(start) && (r.entry.ifRange === null || r.entry.ifRange === etag);
  if (Number.isInteger(start) && r.scenario === 'refuse-range') return send(416, { 'Content-Range': `bytes */${bytes.length}` });
  if (r.scenario === 'slow') return trickle(res, r, bytes, base, rangeApplies && start < bytes.length ? start : 0);
  if (!rangeApplies || r.scenario === 'ignore-range')
    return send(200, { ...base, 'Content-Length': String(bytes.length) }, bytes);
  if (start >= bytes.length) return send(416, { 'Content-Range': `bytes */${bytes.length}` });
  // wrong-range: the right offsets, the wrong bytes (every byte flipped).
  const tail = r.scenario === 'wrong-range' ? Buffer.from(bytes.subarray(start).map((b) => b ^ 0xff)) : bytes.subarray(start);
  send(
    206,
    { ...base, 'Content-Length': String(tail.length), 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` },
    tail,
  );
}

/** The first response of a breaking scenario: part of the body, then a drop, a stall or an early end. */
function breakFirst(res: ServerResponse, r: Request, bytes: Buffer, base: Record<string, string>) {
  r.entry.status = 200;
  const head = bytes.subarray(0, r.n);
  if (r.scenario === 'truncate') {
    res.writeHead(200, base); // no Content-Length: chunked, and it ends cleanly
    return void res.end(head);
  }
  res.writeHead(200, { ...base, 'Content-Length': String(bytes.length) });
  if (r.scenario === 'stall') {
    res.write(head);
    return void r.held.add(res);
  }
  // Every byte written must reach the client before the socket goes: the write's callback says
  // they left Node's buffer (on a busy machine that can take longer than any fixed wait), and a
  // moment more lets the kernel hand them over before the close.
  res.write(head, () => setTimeout(() => res.socket?.destroy(), 50));
}

/** The file from `start` (a range when above 0), 64 KiB at a time, `r.n` ms apart: a download that takes a while. */
function trickle(res: ServerResponse, r: Request, bytes: Buffer, base: Record<string, string>, start: number) {
  r.entry.status = start > 0 ? 206 : 200;
  const range = start > 0 ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {};
  res.writeHead(r.entry.status, { ...base, ...range, 'Content-Length': String(bytes.length - start) });
  let offset = start;
  const next = () => {
    if (res.destroyed) return;
    res.write(bytes.subarray(offset, offset + 65_536));
    offset += 65_536;
    if (offset >= bytes.length) res.end();
    else setTimeout(next, r.n);
  };
  next();
}
