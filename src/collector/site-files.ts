import type { FastifyInstance } from 'fastify';
import { isolationHeaders } from '../lib/isolation-headers.js';

/** A web app the collector serves from its own origin, so its beacons are same-origin. */
export interface SiteOptions {
  /** The built app: a folder with `index.html` at its top. */
  readonly root: string;
  /**
   * Send COOP/COEP with every file, so the page is cross-origin isolated and onnxruntime-web
   * may use wasm threads. Default true.
   */
  readonly isolated?: boolean;
  /** More headers for every file, e.g. a `Content-Security-Policy` for a deployment profile. */
  readonly headers?: Readonly<Record<string, string>>;
}

const isolated = { ...isolationHeaders, 'Cross-Origin-Resource-Policy': 'same-origin' };

/**
 * Content-hashed build output, cached for a year. Everything else — the page, the service
 * worker, the web app manifest, model manifests — is revalidated on every visit (cheap, with
 * ETag); model files are verified by SHA-256 whatever the cache did.
 */
const hashed = /^\/assets\//;

/**
 * Serves `site.root` at `/` (the collector's routes — `/collect`, `/api/*`, `/dashboard/` —
 * keep theirs: more specific routes win). Byte ranges, ETag and Last-Modified come from
 * @fastify/static, so webinfer's resumable downloads work against it. Loaded only when a site is
 * configured: a collector without one needs no static-file dependency.
 */
export async function registerSite(app: FastifyInstance, site: SiteOptions): Promise<void> {
  const { default: fastifyStatic } = await import('@fastify/static').catch((error: unknown) => {
    throw new Error('serving a site needs @fastify/static, which is not installed: npm install @fastify/static@10', {
      cause: error,
    });
  });
  const fixed = { ...(site.isolated === false ? {} : isolated), ...site.headers };
  await app.register(fastifyStatic, {
    root: site.root,
    prefix: '/',
    index: 'index.html',
    cacheControl: false,
    dotfiles: 'ignore',
    setHeaders: (reply, path) => {
      const relative = path.slice(site.root.length).replaceAll('\\', '/');
      for (const [name, value] of Object.entries(fixed)) reply.header(name, value);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Cache-Control', hashed.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
