import { createServer, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from './listen-on-loopback.js';
import { checkOtlp } from './otlp-check.js';

/**
 * A telemetry endpoint that records what arrives, for the telemetry tests: `POST /<id>/collect`
 * (webinfer's beacon) and `POST /<id>/v1/metrics`, `/<id>/v1/logs` (OTLP/HTTP JSON, each checked
 * against the OTLP protobuf definitions on arrival). `GET /log/<id>` answers every request
 * that id received; `POST /mode/<id>/<mode>` sets how it answers from then on: `ok` (204),
 * `down` (the connection is dropped: an unreachable collector), `busy` (503) or `refuse` (400).
 */
export interface BeaconSink {
  readonly url: string;
  close(): Promise<void>;
}

export interface Arrival {
  readonly path: string;
  /** The URL's query, `?` included (an ingest token rides there), or ''. */
  readonly query: string;
  readonly contentType: string | null;
  readonly body: string;
  /** OTLP bodies only: what the protobuf check found wrong, or null. */
  readonly otlpError: string | null;
  /** The answer it got. */
  readonly status: number;
}

export async function startBeaconSink(): Promise<BeaconSink> {
  const arrivals = new Map<string, Arrival[]>();
  const modes = new Map<string, string>();
  const server = createServer(async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const [, first = '', second = '', ...rest] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    if (first === 'log') {
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(arrivals.get(second) ?? []));
    }
    if (first === 'mode') {
      modes.set(second, rest[0] ?? 'ok');
      return void res.writeHead(204).end();
    }
    const mode = modes.get(first) ?? 'ok';
    if (mode === 'down') return void req.socket.destroy();
    const body = await readBody(req);
    const path = `/${[second, ...rest].join('/')}`;
    const otlp = path === '/v1/metrics' ? 'metrics' : path === '/v1/logs' ? 'logs' : undefined;
    const status = mode === 'busy' ? 503 : mode === 'refuse' ? 400 : 204;
    const list = arrivals.get(first) ?? [];
    arrivals.set(first, list);
    list.push({
      path,
      query: new URL(req.url ?? '/', 'http://sink').search,
      contentType: req.headers['content-type'] ?? null,
      body,
      otlpError: otlp ? (checkOtlp(otlp, parse(body)) ?? null) : null,
      status,
    });
    res.writeHead(status).end();
  });
  return listenOnLoopback(server);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
