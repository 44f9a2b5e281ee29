import { describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';

describe('webinfer collector', () => {
  test('--help prints its options to stdout', async () => {
    const result = await runCli(['collector', '--help'], { cwd: process.cwd() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: webinfer collector/);
    expect(result.stdout).toContain('--origins URL');
  });

  test.each([
    [['--port', 'eighty'], '--port must be an integer from 0 to 65535, got "eighty"'],
    [['--retention-days', '0'], '--retention-days must be an integer from 1 to 3650, got "0"'],
    [['extra'], 'unexpected argument "extra"'],
  ])('%j is a usage error', async (args, message) => {
    const result = await runCli(['collector', ...args], { cwd: process.cwd() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`webinfer collector: ${message}`);
  });

  test('is listed in the commands', async () => {
    expect((await runCli(['--help'], { cwd: process.cwd() })).stdout).toContain('collector               start the collector');
  });
});
