/**
 * The consumer suite's rig: the repo packed as npm would publish it, installed from the tarball
 * into a fresh Vite app made from test/consumer/app/, and visits of that app in Chromium that
 * read what its main.js reports and record every request.
 */
import { execFile } from 'node:child_process';
import { access, copyFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import { expect } from 'vitest';
import type { ModelInfo } from '../../src/types.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const appTemplate = fileURLToPath(new URL('./app/', import.meta.url));
const addModel = fileURLToPath(new URL('../fixtures/models/add.onnx', import.meta.url));

/** What test/consumer/app/src/main.js leaves on `window.__result`. */
export interface PageError {
  readonly name: string;
  readonly code: string | null;
  readonly message: string;
}
export type AddRun =
  | {
      readonly ok: true;
      readonly info: ModelInfo;
      readonly sum: { readonly type: string; readonly data: number[]; readonly dims: number[] };
      readonly ms: number;
    }
  | { readonly ok: false; readonly error: PageError; readonly ms: number };
export interface AppResult {
  readonly pageError?: PageError;
  readonly crossOriginIsolated?: boolean;
  readonly runs?: { readonly default: AddRun; readonly wasm: AddRun };
}

export interface AppVisit {
  readonly result: AppResult;
  /** Every URL the page and its workers requested. */
  readonly requests: string[];
  /** Responses with an error status, and requests that failed. */
  readonly failures: string[];
}

export const expectedSum = { type: 'float32', data: [11, 22, 33, 44, 55, 66], dims: [2, 3] };

/** The environment for npm and Vite: none of Vitest's own variables (NODE_ENV=test, MODE, ...). */
export function childEnv(): NodeJS.ProcessEnv {
  const vitestKeys = new Set(['NODE_ENV', 'TEST', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !vitestKeys.has(key) && !key.startsWith('VITEST') && !/^npm_(lifecycle|package)_/.test(key),
    ),
  );
}

/** Runs a command; rejects with its stderr (the part that says what went wrong) on failure. */
export function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
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

/** Every file under `root`, by path relative to it (posix separators), sorted. */
export async function listFiles(root: string): Promise<string[]> {
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

/**
 * Packs the repo into `work`, and makes `work/app` from the app template with `add.onnx` in its
 * `public/models/`, webinfer installed from the tarball and Vite at the repo's pinned version.
 * `files` adds files to the app (a `vite.config.js`, say). Returns the app's folder.
 */
export async function installPackedApp(work: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
  const built = await access(join(repoRoot, 'dist/index.js')).then(
    () => true,
    () => false,
  );
  if (!built) await run('npm', ['run', 'build'], repoRoot, 180_000);
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
  for (const [name, text] of Object.entries(files)) await writeFile(join(app, name), text);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app, 240_000);
  return app;
}

/** Opens `url`, waits for main.js to report, and records every request. */
export async function visit(browser: Browser, url: string): Promise<AppVisit> {
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
    await page.goto(url);
    const done = await page.waitForFunction<AppResult, undefined>('window.__result', undefined, { timeout: 150_000 });
    return { result: await done.jsonValue(), requests, failures };
  } finally {
    await context.close();
  }
}

/** The run's model info, after checking that it produced exactly a + b. */
export function expectSum(run: AddRun | undefined, label: string): ModelInfo {
  if (!run) return expect.fail(`${label}: main.js reported no run`);
  if (!run.ok) return expect.fail(`${label}: ${run.error.name} (${run.error.code}): ${run.error.message}`);
  expect(run.sum, label).toEqual(expectedSum);
  return run.info;
}

/** The app's two runs, after checking that both completed (the failure names each run's error). */
export function expectAppRan(result: AppResult): { default: AddRun; wasm: AddRun } {
  if (result.pageError) expect.fail(`the app failed: ${result.pageError.name}: ${result.pageError.message}`);
  if (!result.runs) return expect.fail(`the app reported no runs: ${JSON.stringify(result)}`);
  const outcome = (run: AddRun): string => (run.ok ? 'ok' : `${run.error.name} (${run.error.code}): ${run.error.message}`);
  expect({ default: outcome(result.runs.default), wasm: outcome(result.runs.wasm) }).toEqual({ default: 'ok', wasm: 'ok' });
  return result.runs;
}
