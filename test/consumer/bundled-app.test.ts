/**
 * A user's app uses the built package through a bundler with no configuration: the repo is packed
 * as npm would publish it, installed from the tarball into a fresh Vite app (test/consumer/app/,
 * no vite.config), built with `vite build`, served as a static host would serve it, and run in
 * Chromium. Proves the worker chunk and onnxruntime-web's `.wasm` are bundled and emitted by the
 * app's bundler, and that every request stays on the app's own origin (no CDN).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ModelInfo } from '../../src/types.js';
import { baseChromiumArgs, chromiumPath, webgpuArg } from '../support/node/chromium.js';
import { type StaticServer, serveStatic } from '../support/node/static-server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const appTemplate = fileURLToPath(new URL('./app/', import.meta.url));
const addModel = fileURLToPath(new URL('../fixtures/models/add.onnx', import.meta.url));

/** What test/consumer/app/src/main.js leaves on `window.__result`. */
interface PageError {
  readonly name: string;
  readonly code: string | null;
  readonly message: string;
}
type AddRun =
  | {
      readonly ok: true;
      readonly info: ModelInfo;
      readonly sum: { readonly type: string; readonly data: number[]; readonly dims: number[] };
      readonly ms: number;
    }
  | { readonly ok: false; readonly error: PageError; readonly ms: number };
interface AppResult {
  readonly pageError?: PageError;
  readonly crossOriginIsolated?: boolean;
  readonly runs?: { readonly default: AddRun; readonly wasm: AddRun };
}

interface AppVisit {
  readonly result: AppResult;
  /** Every URL the page and its workers requested. */
  readonly requests: string[];
  /** Responses with an error status, and requests that failed. */
  readonly failures: string[];
}

const expectedSum = { type: 'float32', data: [11, 22, 33, 44, 55, 66], dims: [2, 3] };
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

/** The environment for npm and Vite: none of Vitest's own variables (NODE_ENV=test, MODE, ...). */
function childEnv(): NodeJS.ProcessEnv {
  const vitestKeys = new Set(['NODE_ENV', 'TEST', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !vitestKeys.has(key) && !key.startsWith('VITEST') && !/^npm_(lifecycle|package)_/.test(key),
    ),
  );
}

/** Runs a command; rejects with its stderr (the part that says what went wrong) on failure. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const why = error.killed ? `killed after ${timeoutMs} ms` : error.message.split('\n')[0];
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` in ${cwd} failed (${why})\n${stderr.slice(-6000)}\n${stdout.slice(-2000)}`,
            {
              cause: error,
            },
          ),
        );
      },
    );
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(root.length + 1)
        .replaceAll('\\', '/'),
    )
    .sort();
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function readBuilt(file: string): Promise<string> {
  return readFile(join(distDir, file), 'utf8');
}

/** Opens the built app from `server`, waits for main.js to report, and records every request. */
async function visit(server: StaticServer, query = ''): Promise<AppVisit> {
  if (!browser) throw new Error('the browser did not start (see beforeAll)');
  const context = await browser.newContext();
  const requests: string[] = [];
  const failures: string[] = [];
  // Context-wide, so requests from the page's workers (and their workers) are seen as well.
  context.on('request', (request) => requests.push(request.url()));
  context.on('requestfailed', (request) => failures.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`));
  context.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/${query}`);
    const done = await page.waitForFunction<AppResult, undefined>('window.__result', undefined, { timeout: 150_000 });
    return { result: await done.jsonValue(), requests, failures };
  } finally {
    await context.close();
  }
}

/** The run's model info, after checking that it produced exactly a + b. */
function expectSum(run: AddRun | undefined, label: string): ModelInfo {
  if (!run) return expect.fail(`${label}: main.js reported no run`);
  if (!run.ok) return expect.fail(`${label}: ${run.error.name} (${run.error.code}): ${run.error.message}`);
  expect(run.sum, label).toEqual(expectedSum);
  return run.info;
}

/** The app's two runs, after checking that both completed (the failure names each run's error). */
function expectAppRan(result: AppResult): { default: AddRun; wasm: AddRun } {
  if (result.pageError) expect.fail(`the app failed: ${result.pageError.name}: ${result.pageError.message}`);
  if (!result.runs) return expect.fail(`the app reported no runs: ${JSON.stringify(result)}`);
  const outcome = (run: AddRun): string => (run.ok ? 'ok' : `${run.error.name} (${run.error.code}): ${run.error.message}`);
  expect({ default: outcome(result.runs.default), wasm: outcome(result.runs.wasm) }).toEqual({ default: 'ok', wasm: 'ok' });
  return result.runs;
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
  if (!(await exists(join(repoRoot, 'dist/index.js')))) await run('npm', ['run', 'build'], repoRoot, 180_000);

  await run('npm', ['pack', '--pack-destination', work], repoRoot, 120_000);
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no .tgz into ${work}`);

  const repoPackage = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const viteVersion = repoPackage.devDependencies?.vite;
  if (!viteVersion || !/^\d+\.\d+\.\d+$/.test(viteVersion)) {
    throw new Error(`the repo's package.json must pin vite to an exact version, got ${JSON.stringify(viteVersion)}`);
  }

  const app = join(work, 'app');
  await cp(appTemplate, app, { recursive: true });
  await mkdir(join(app, 'public/models'), { recursive: true });
  await copyFile(addModel, join(app, 'public/models/add.onnx'));
  const appPackage = {
    name: 'webinfer-consumer-app',
    private: true,
    type: 'module',
    dependencies: { webinfer: `file:${join(work, tarball)}` },
    devDependencies: { vite: viteVersion },
  };
  await writeFile(join(app, 'package.json'), `${JSON.stringify(appPackage, null, 2)}\n`);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, 240_000);
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
