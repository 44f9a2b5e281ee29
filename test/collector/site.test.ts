/**
 * The collector serving a web app from its own origin (`site`, what `npm start` does with the
 * demo): the app's files at `/`, cross-origin isolated, with byte ranges for resumable model
 * downloads; the collector's own routes unchanged; and the app's same-origin beacons accepted
 * even when `origins` names only other sites. Real HTTP on loopback, a real SQLite file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { beacon, post, startCollector } from './support.js';

const site = mkdtempSync(join(tmpdir(), 'webinfer-site-'));
const model = Uint8Array.from({ length: 4096 }, (_, i) => i % 251);
let running: Awaited<ReturnType<typeof startCollector>>;

beforeAll(async () => {
  mkdirSync(join(site, 'assets'));
  mkdirSync(join(site, 'models'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(site, 'assets/main-3f9a.js'), 'console.log(1)');
  writeFileSync(join(site, 'models/m.onnx'), model);
  writeFileSync(join(site, '.env'), 'SECRET=1');
  running = await startCollector({ site: { root: site }, origins: ['https://other.example'] });
});
afterAll(async () => {
  await running.stop();
  rmSync(site, { recursive: true, force: true });
});

test('the page at / is cross-origin isolated and revalidated; hashed assets are cached for a year', async () => {
  const page = await fetch(`${running.url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await page.text()).toContain('<title>app</title>');
  expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  expect(page.headers.get('cache-control')).toBe('no-cache');

  const asset = await fetch(`${running.url}/assets/main-3f9a.js`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(asset.headers.get('cross-origin-resource-policy')).toBe('same-origin');
});

test('model files answer byte ranges with validators, for resumed downloads', async () => {
  const whole = await fetch(`${running.url}/models/m.onnx`);
  const etag = whole.headers.get('etag');
  expect(etag).toBeTruthy();
  expect(new Uint8Array(await whole.arrayBuffer())).toEqual(model);
  const rest = await fetch(`${running.url}/models/m.onnx`, { headers: { Range: 'bytes=1000-', 'If-Range': etag ?? '' } });
  expect(rest.status).toBe(206);
  expect(rest.headers.get('content-range')).toBe(`bytes 1000-4095/${model.length}`);
  expect(new Uint8Array(await rest.arrayBuffer())).toEqual(model.subarray(1000));
});

test('nothing outside the site, and no dotfiles, is served', async () => {
  expect((await fetch(`${running.url}/.env`)).status).toBe(404);
  expect((await fetch(`${running.url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  expect((await fetch(`${running.url}/no-such-file.js`)).status).toBe(404);
});

test("the collector's routes keep theirs beside the site", async () => {
  expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ ok: true });
  const models = await fetch(`${running.url}/api/models`);
  expect(models.status).toBe(200);
  const dashboard = await fetch(`${running.url}/dashboard/`);
  expect([200, 404]).toContain(dashboard.status);
  expect(await dashboard.text()).not.toContain('<title>app</title>');
});

test("the site's own pages may send; other origins not listed may not", async () => {
  const own = await post(`${running.url}/collect`, JSON.stringify(beacon()), { Origin: running.url });
  expect(own.status).toBe(204);
  const stranger = await post(`${running.url}/collect`, JSON.stringify(beacon()), { Origin: 'https://evil.example' });
  expect(stranger.status).toBe(403);
  expect(running.count('batches')).toBe(1);
});

test('`webinfer collector --site DIR` serves the folder, cross-origin isolated, and says where', async () => {
  const cli = fileURLToPath(new URL('../../dist/cli/webinfer.js', import.meta.url));
  const args = [cli, 'collector', '--port', '0', '--db', join(site, 'cli.db'), '--site', site];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /webinfer site: (http:\/\/[\d.:]+)\//.exec(out)?.[1];
        if (found) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`the collector exited (${code}): ${out}`)));
    });
    const page = await fetch(`${url}/`);
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  } finally {
    child.kill('SIGTERM');
  }
});
