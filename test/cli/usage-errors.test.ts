import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtureCopy, runCli } from './support/cli.js';

const dir = fixtureCopy();
/** A Node stack frame: expected failures must not print one. */
const stackFrame = /^\s+at /m;

describe('the webinfer command line', () => {
  test('--help prints the commands on stdout and succeeds', async () => {
    const result = await runCli(['--help'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: webinfer <command>/);
    expect(result.stdout).toContain('manifest <model.onnx>');
    expect(result.stdout).toContain('keygen');
  });

  test.each(['manifest', 'keygen'])('%s --help prints its options on stdout', async (command) => {
    const result = await runCli([command, '--help'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Usage: webinfer ${command}`));
  });

  test.each([
    [[], 'webinfer: no command given'],
    [['deploy'], 'webinfer: unknown command "deploy"'],
    [['manifest'], 'webinfer manifest: which model? Name one .onnx file'],
    [['manifest', 'a.onnx', 'b.onnx'], 'webinfer manifest: one model at a time; unexpected "b.onnx"'],
    [['manifest', 'mlp.onnx', '--frobnicate'], "webinfer manifest: Unknown option '--frobnicate'"],
    [['manifest', 'mlp.onnx', '--out'], "webinfer manifest: Option '--out <value>' argument missing"],
    [['manifest', 'mlp.onnx', '--id', 'not an id'], 'webinfer manifest: --id "not an id" is refused by the manifest schema'],
    // Checked before the model is even opened, so hours of hashing are not lost to a typo.
    [['manifest', 'nowhere.onnx', '--version', ''], 'webinfer manifest: --version "" is refused by the manifest schema'],
    [
      ['manifest', 'mlp.onnx', '--out', 'mlp.onnx'],
      'webinfer manifest: --out mlp.onnx would overwrite a file the manifest describes',
    ],
    [['keygen', '--bits', '4096'], "webinfer keygen: Unknown option '--bits'"],
  ])('%j is a usage error: message and usage on stderr, exit code 2', async (args, message) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr).toContain('Usage: webinfer');
    expect(result.stderr).not.toMatch(stackFrame);
  });

  test('a missing model file is one line naming it, exit code 1', async () => {
    const result = await runCli(['manifest', 'nowhere.onnx'], { cwd: dir });
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'webinfer manifest: no such file: nowhere.onnx\n' });
  });

  test('a file that is not an ONNX model is one line naming it, exit code 1', async () => {
    writeFileSync(join(dir, 'notes.onnx'), 'these are not the weights you are looking for\n');
    const result = await runCli(['manifest', 'notes.onnx'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^webinfer manifest: notes\.onnx is not an ONNX model \([^\n]+\)\n$/);
  });

  test('a manifest given in place of the model is not an ONNX model either', async () => {
    const result = await runCli(['manifest', 'mlp.manifest.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^webinfer manifest: mlp\.manifest\.json is not an ONNX model \([^\n]+\)\n$/);
  });
});
