/**
 * `webinfer/vite` in a user's app: the packed package installed into a fresh Vite app whose only
 * configuration is the plugin (`crossOriginIsolation: true`). The app runs a model in Chromium
 * from Vite's dev server — where pre-bundling otherwise breaks the worker's and onnxruntime-web's
 * `import.meta.url` lookups — and from its build served by `vite preview`, cross-origin isolated
 * both times by the plugin's headers alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { baseChromiumArgs, chromiumPath, webgpuArg } from '../support/node/chromium.js';
import { type AppVisit, childEnv, expectAppRan, expectSum, installPackedApp, listFiles, run, visit } from './support.js';

const viteConfig = `import webinfer from 'webinfer/vite';

export default { plugins: [webinfer({ crossOriginIsolation: true })] };
`;

let work: string | undefined;
let app = '';
let browser: Browser | undefined;
let server: ChildProcess | undefined;
/** What the running Vite server printed so far. */
let serverOutput = '';

/** A port free right now on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `vite <command>` in the app and resolves once it answers at its URL. */
async function startVite(command: 'dev' | 'preview'): Promise<string> {
  const port = await freePort();
  const args = [join(app, 'node_modules/vite/bin/vite.js'), ...(command === 'preview' ? ['preview'] : [])];
  const child = spawn(process.execPath, [...args, '--host', '127.0.0.1', '--port', `${port}`, '--strictPort'], {
    cwd: app,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  serverOutput = '';
  child.stdout?.on('data', (chunk) => {
    serverOutput += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    serverOutput += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite ${command} exited (${child.exitCode}):\n${serverOutput}`);
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return url;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`vite ${command} did not answer at ${url} within 60 s:\n${serverOutput}`);
}

/** Every request answered, none to another origin, and the `.wasm` fetched is onnxruntime-web's. */
function expectServed(visited: AppVisit, url: string): string[] {
  expect(visited.failures, 'failed requests').toEqual([]);
  const origin = new URL(url).origin;
  expect(visited.requests.filter((request) => !request.startsWith('data:') && new URL(request).origin !== origin)).toEqual([]);
  return visited.requests.filter((request) => new URL(request).pathname.endsWith('.wasm'));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'webinfer-vite-plugin-'));
  app = await installPackedApp(work, { 'vite.config.js': viteConfig });
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs, webgpuArg] });
});

afterEach(() => {
  server?.kill('SIGTERM');
  server = undefined;
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a Vite app whose only configuration is webinfer/vite', () => {
  test('on the dev server: cross-origin isolated, the model runs on the default backends and on wasm', async () => {
    if (!browser) throw new Error('the browser did not start (see beforeAll)');
    const url = await startVite('dev');
    const visited = await visit(browser, `${url}/`);
    const runs = expectAppRan(visited.result);
    expect(visited.result.crossOriginIsolated).toBe(true);
    expect(['webgpu', 'wasm']).toContain(expectSum(runs.default, 'default backends').backend);
    expect(expectSum(runs.wasm, "backends: ['wasm']")).toMatchObject({ backend: 'wasm', crossOriginIsolated: true });
    const wasm = expectServed(visited, url);
    expect(wasm.some((request) => /\/ort-wasm-simd-threaded\.wasm$/.test(new URL(request).pathname))).toBe(true);

    // Two wasm threads: onnxruntime-web starts its thread workers from its own module's URL.
    const threaded = await visit(browser, `${url}/?threads=2`);
    const threadedRuns = expectAppRan(threaded.result);
    expect(expectSum(threadedRuns.wasm, "backends: ['wasm'], threads: 2")).toMatchObject({ backend: 'wasm', threads: 2 });
    expectServed(threaded, url);
    expect(serverOutput, 'Vite re-optimized dependencies mid-visit').not.toMatch(/reloading/i);
  });

  test('built and previewed: ES-module worker chunks, hashed .wasm, cross-origin isolated, the model runs', async () => {
    if (!browser) throw new Error('the browser did not start (see beforeAll)');
    await run('npx', ['--no', 'vite', 'build'], app, 180_000);
    const built = await listFiles(join(app, 'dist'));
    expect(built.filter((file) => /^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(file))).toHaveLength(1);
    const workers = built.filter((file) => /^assets\/worker-[\w-]+\.js$/.test(file));
    expect(workers, built.join(', ')).toHaveLength(1);
    // An ES-module worker: the onnxruntime-web builds are chunks of their own, loaded when used.
    const worker = await readFile(join(app, 'dist', workers[0] ?? ''), 'utf8');
    expect(worker).toMatch(/\bimport\(/);

    const url = await startVite('preview');
    const visited = await visit(browser, `${url}/`);
    const runs = expectAppRan(visited.result);
    expect(visited.result.crossOriginIsolated).toBe(true);
    expectSum(runs.default, 'default backends');
    expect(expectSum(runs.wasm, "backends: ['wasm']")).toMatchObject({ backend: 'wasm', crossOriginIsolated: true });
    const wasm = expectServed(visited, url).map((request) => new URL(request).pathname.slice(1));
    for (const file of wasm) expect(built).toContain(file);
  });
});
