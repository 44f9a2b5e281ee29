import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const cliPath = fileURLToPath(new URL('../../../dist/cli/webinfer.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would (`node dist/cli/webinfer.js ...`) and never rejects. */
export function runCli(args: readonly string[], { cwd }: { cwd: string }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A fresh temporary folder holding a copy of test/fixtures/models (the tests never write into the
 * repository), removed after the file's tests.
 */
export function fixtureCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webinfer-cli-'));
  cpSync(fixtures, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
