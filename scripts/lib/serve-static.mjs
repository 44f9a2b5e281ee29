import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { isolationHeaders } from './chromium.mjs';

/** @type {Record<string, string>} */
const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json',
};

/**
 * @typedef {object} StaticServer
 * @property {string} url
 * @property {string[]} requests Paths requested so far, in order.
 * @property {() => Promise<void>} close
 */

/**
 * Serves a folder on loopback, as a static host serves a built app. With `isolated`, every
 * response carries COOP/COEP so the page is cross-origin isolated (wasm threads need it).
 *
 * @param {string} root
 * @param {{ isolated?: boolean, port?: number, host?: string }} [options]
 * @returns {Promise<StaticServer>}
 */
export async function serveStatic(root, { isolated = true, port = 0, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  /** @type {string[]} */
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    /** @type {Record<string, string>} */
    const headers = isolated ? { ...isolationHeaders } : {};
    try {
      if (!file.startsWith(base)) throw new Error('outside root');
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        ...headers,
        'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream',
        'Content-Length': String(info.size),
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((done) => server.listen(port, host, () => done(undefined)));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done(undefined));
      }),
  };
}
