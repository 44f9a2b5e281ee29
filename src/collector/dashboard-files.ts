import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** What the page may do: its own scripts and styles, and fetch the API it came from. */
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The dashboard page at `GET /dashboard/` (and `/` sends there, unless `home` is false: a site
 * lives there): the files of its build, read
 * into memory at start — a handful, fixed when the package was built, so no request ever names
 * a path on disk. Hashed assets are cached for a year, the page itself revalidated. Without a
 * build (a checkout before `npm run build`), the page answers 404 saying so.
 */
export function registerDashboard(app: FastifyInstance, dir: string, { home }: { home: boolean }): void {
  const files = existsSync(join(dir, 'index.html')) ? readTree(dir) : undefined;
  if (home) app.get('/', async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard/*', async (request, reply) => {
    if (!files) {
      return reply.code(404).send({ error: 'no-dashboard', message: `the dashboard is not built (${dir}): run npm run build` });
    }
    const path = (request.params as { '*': string })['*'] || 'index.html';
    const file = files.get(path);
    if (!file) return reply.code(404).send({ error: 'not-found', message: `no dashboard file ${path}` });
    return reply
      .header('Content-Type', types[extname(path)] ?? 'application/octet-stream')
      .header('Cache-Control', path === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable')
      .header('Content-Security-Policy', contentSecurityPolicy)
      .header('X-Content-Type-Options', 'nosniff')
      .send(file);
  });
}

/** Every file under `dir`, by its path relative to it (with `/`). */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), readFileSync(path));
  }
  return files;
}
