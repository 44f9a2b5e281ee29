/**
 * A user's app uses the built package through a bundler with no configuration: the repo is packed
 * as npm would publish it, installed from the tarball into a fresh Vite app (test/consumer/app/,
 * no vite.config), built with `vite build`, served as a static host would serve it, and run in
 * Chromium. Proves the worker chunk and onnxruntime-web's `.wasm` are bundled and emitted by the
 * app's bundler, and that every request stays on the app's own origin (no CDN).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseChromiumArgs, chromiumPath, webgpuArg } from '../support/node/chromium.js';
import { type StaticServer, serveStatic } from '../support/node/static-server.js';
import { type AppVisit, expectAppRan, expectSum, installPackedApp, listFiles, run, visit as visitWith } from './support.js';

/** A CDN host, or an absolute URL of a script or wasm file: none belongs in a self-hosted build. */
const cdnReference =
  /cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|esm\.sh|esm\.run|skypack\.dev|https?:\/\/[^\s"'`]*\.(?:wasm|mjs)\b/g;

let work: string | undefined;
let distDir = '';
/** The built app's files, by path relative to its `dist/` (posix separators). */
let built: string[] = [];
let isolatedServer: StaticServer | undefined;
let openServer: StaticServer | undefined;
let browser: Browser | undefined;

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function readBuilt(file: string): Promise<string> {
  return readFile(join(distDir, file), 'utf8');
}

/** Opens the built app from `server` (with `query`), and reads what it reports. */
function visit(server: StaticServer, query = ''): Promise<AppVisit> {
  if (!browser) throw new Error('the browser did not start (see beforeAll)');
  return visitWith(browser, `${server.url}/${query}`);
}

/** Every request went to the app's own origin, none failed, and each `.wasm` is one the build emitted. */
function expectSelfHosted(visited: AppVisit, server: StaticServer): string[] {
  const origin = new URL(server.url).origin;
  const elsewhere = visited.requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
  expect(elsewhere, 'requests to another origin').toEqual([]);
  expect(visited.failures, 'failed requests').toEqual([]);
  const wasm = visited.requests.filter((url) => new URL(url).pathname.endsWith('.wasm'));
  for (const url of wasm) expect(built, `${url} is not a file of the built app`).toContain(new URL(url).pathname.slice(1));
  return wasm.map((url) => new URL(url).pathname.slice(1));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'webinfer-consumer-'));
  const app = await installPackedApp(work);
  // Vite's defaults: no vite.config in the app (build.target, worker.format 'iife', assets, all).
  const configs = (await readdir(app)).filter((name) => name.startsWith('vite.config'));
  if (configs.length > 0) throw new Error(`the consumer app must build with Vite's defaults, found ${configs.join(', ')}`);
  await run('npx', ['--no', 'vite', 'build'], app, 180_000);

  distDir = join(app, 'dist');
  built = await listFiles(distDir);
  isolatedServer = await serveStatic(distDir, { isolated: true });
  openServer = await serveStatic(distDir, { isolated: false });
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs, webgpuArg] });
});

afterAll(async () => {
  await browser?.close();
  await isolatedServer?.close();
  await openServer?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a Vite app with no configuration bundles the packed package', () => {
  test('the build emits the worker as its own chunk and the .wasm from onnxruntime-web, with no CDN reference', async () => {
    const html = await readBuilt('index.html');
    const entries = [...html.matchAll(/<script[^>]*\ssrc="\/([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(entries).toHaveLength(1);

    const workers = built.filter((file) => /^assets\/worker-[\w-]+\.js$/.test(file));
    expect(workers, `built files: ${built.join(', ')}`).toHaveLength(1);
    const worker = workers[0] ?? '';
    expect(entries).not.toContain(worker);

    const wasmFiles = built.filter((file) => file.endsWith('.wasm'));
    const plainWasm = wasmFiles.filter((file) => /^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(file));
    expect(plainWasm, `built files: ${built.join(', ')}`).toHaveLength(1);
    // Each .wasm is onnxruntime-web's own file, byte for byte, renamed with a content hash.
    const ortDist = join(distDir, '../node_modules/onnxruntime-web/dist');
    for (const file of wasmFiles) {
      const original = /^assets\/(ort-wasm-simd-threaded(?:\.\w+)?)-[\w-]+\.wasm$/.exec(file)?.[1];
      expect(original, `${file} is not named after an onnxruntime-web .wasm`).toBeDefined();
      expect(await sha256(join(distDir, file)), file).toBe(await sha256(join(ortDist, `${original}.wasm`)));
    }

    const workerCode = await readBuilt(worker);
    expect(workerCode).toContain(`/${plainWasm[0]}`);
    const pageChunks = built.filter((file) => file.endsWith('.js') && file !== worker);
    expect(pageChunks).toContain(entries[0]);
    const spawners: string[] = [];
    for (const chunk of pageChunks) {
      const code = await readBuilt(chunk);
      if (code.includes(`/${worker}`)) spawners.push(chunk);
      // onnxruntime-web belongs to the worker: no page chunk carries emscripten's code or a .wasm.
      expect(code, chunk).not.toMatch(/em-pthread|\.wasm\b/);
    }
    expect(spawners, 'page chunks that spawn the worker by its URL').toHaveLength(1);

    const textFiles = built.filter((file) => /\.(?:html|js|mjs|css|json|webmanifest)$/.test(file));
    const cdnHits: string[] = [];
    for (const file of textFiles) {
      for (const match of (await readBuilt(file)).matchAll(cdnReference)) cdnHits.push(`${file}: ${match[0]}`);
    }
    expect(cdnHits).toEqual([]);
  });

  test('cross-origin isolated: add runs on the default backends and on wasm, fetching only from the app origin', async () => {
    if (!isolatedServer) throw new Error('no server (see beforeAll)');
    const visited = await visit(isolatedServer);
    const runs = expectAppRan(visited.result);
    expect(visited.result.crossOriginIsolated).toBe(true);

    const chosen = expectSum(runs.default, 'default backends');
    expect(['webgpu', 'wasm']).toContain(chosen.backend);
    if (chosen.backend === 'wasm') {
      expect(chosen.fallbackReason).toMatch(/webgpu/i);
    } else {
      expect(chosen.fallbackReason).toBeUndefined();
      expect(chosen.attempts).toEqual([{ backend: 'webgpu', ok: true }]);
    }
    expect(chosen.crossOriginIsolated).toBe(true);

    const wasm = expectSum(runs.wasm, "backends: ['wasm']");
    expect(wasm).toMatchObject({
      id: 'add',
      url: `${isolatedServer.url}/models/add.onnx`,
      backend: 'wasm',
      attempts: [{ backend: 'wasm', ok: true }],
      crossOriginIsolated: true,
    });
    expect(wasm.fallbackReason).toBeUndefined();
    expect(wasm.singleThreadReason).toBeUndefined();
    expect(Number.isInteger(wasm.threads) && wasm.threads >= 1, `threads: ${wasm.threads}`).toBe(true);
    expect(wasm.inputs.map((input) => input.name)).toEqual(['a', 'b']);
    expect(wasm.outputs.map((output) => output.name)).toEqual(['sum']);

    const wasmFetched = expectSelfHosted(visited, isolatedServer);
    const plainWasm = built.find((file) => /^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(file));
    expect(wasmFetched).toContain(plainWasm);
    expect(isolatedServer.requests).toContain(`/${plainWasm}`);
  });

  test('not cross-origin isolated: add still runs on wasm, on one thread, and says why', async () => {
    if (!openServer) throw new Error('no server (see beforeAll)');
    const visited = await visit(openServer);
    const runs = expectAppRan(visited.result);
    expect(visited.result.crossOriginIsolated).toBe(false);

    expect(expectSum(runs.default, 'default backends').crossOriginIsolated).toBe(false);
    const wasm = expectSum(runs.wasm, "backends: ['wasm']");
    expect(wasm).toMatchObject({ backend: 'wasm', crossOriginIsolated: false, threads: 1 });
    expect(wasm.singleThreadReason).toMatch(/cross-origin isolat/i);
    expectSelfHosted(visited, openServer);
  });

  // On a machine with 3+ cores onnxruntime-web picks 2+ threads by itself; `threads: 2` makes this
  // 2-core box take the same path: pthread workers that the app's bundled worker must start.
  test('with threads: 2, add runs in the bundled worker on the default backends and on wasm', async () => {
    if (!isolatedServer) throw new Error('no server (see beforeAll)');
    const visited = await visit(isolatedServer, '?threads=2');
    const runs = expectAppRan(visited.result);
    expectSum(runs.default, 'default backends, threads: 2');
    const wasm = expectSum(runs.wasm, "backends: ['wasm'], threads: 2");
    expect(wasm).toMatchObject({ backend: 'wasm', crossOriginIsolated: true, threads: 2 });
    expectSelfHosted(visited, isolatedServer);
  });
});
