import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const startTimeoutMs = 30_000;

/**
 * Builds what `npm start` serves: the library and collector when `dist/` lacks them (about a
 * minute), then the demo itself every time (its models, seconds when they are ready), so that
 * the test runs the demo as the source says, not a stale `demo/dist`.
 */
export function buildDemo(): void {
  // Without Vitest's NODE_ENV=test, which would make Vite build the demo in development mode.
  const { NODE_ENV: _, ...env } = process.env;
  const npm = (script: string) => execFileSync('npm', ['run', script], { cwd: repo, env, stdio: 'pipe', encoding: 'utf8' });
  if (!existsSync(join(repo, 'dist/cli/collector.js')) || !existsSync(join(repo, 'dist/cli/webinfer.js'))) npm('build');
  npm('build:demo');
}

/** `node scripts/start.mjs` (or dev.mjs), running: the demo's URL, and the way to end it. */
export interface DemoServer {
  readonly url: string;
  /** Ends the server (SIGTERM) and resolves once the process has exited: the network is off for the page. */
  stop(): Promise<void>;
}

/**
 * Starts `node scripts/start.mjs` as `npm start` does (or, with `dev`, scripts/dev.mjs as
 * `npm run dev` does), on a free port with `db` as its SQLite file.
 */
export async function startDemo({ db, dev = false }: { db: string; dev?: boolean }): Promise<DemoServer> {
  const script = dev ? 'scripts/dev.mjs' : 'scripts/start.mjs';
  const child = spawn(process.execPath, [script], {
    cwd: repo,
    env: { ...process.env, PORT: '0', COLLECTOR_PORT: '0', HOST: '127.0.0.1', WEBINFER_DB: db },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} printed no URL in ${startTimeoutMs} ms: ${stderr}`)),
      startTimeoutMs,
    );
    // The line `webinfer demo: http://HOST:PORT/` names where it listens.
    createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> }).on('line', (line) => {
      const match = /^webinfer demo: (http:\/\/\S+\/)$/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${child.exitCode}) before printing its URL: ${stderr}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
