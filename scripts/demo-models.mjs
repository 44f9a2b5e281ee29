/**
 * Prepares what the demo serves from public/: each model of demo/models.json copied from its
 * pinned devDependency into public/models/<id>/, with a manifest written by webinfer's own CLI
 * (`webinfer manifest --transforms`, plus the monitoring section the entry gives), and the
 * sample clip into public/samples/. Deterministic: the same inputs give the same bytes. A model
 * whose inputs (its entry, its file, this script, the CLI) have not changed since the last run
 * is skipped, so `npm run build:demo` and `npm run dev` pay nothing the second time. Needs
 * `npm run build` first (the CLI is dist/cli/webinfer.js).
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const cli = join(repo, 'dist/cli/webinfer.js');
const publicDir = join(repo, 'public');
/** What each model was last made from, outside public/ so that it is never served. */
const stampsFile = join(repo, 'node_modules/.cache/webinfer-demo-models.json');
/** @type {[string, string][]} Files the demo serves as they are: from, to (under public/). */
const samples = [['test/fixtures/audio/speech-and-silence.wav', 'samples/speech-and-silence.wav']];

if (!existsSync(cli)) {
  console.error(`${cli} is missing: run \`npm run build\` first (npm start and npm run dev do).`);
  process.exit(1);
}

/** @param {string | Uint8Array} bytes */
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const { models } = JSON.parse(readFileSync(join(repo, 'demo/models.json'), 'utf8'));
const stamps = existsSync(stampsFile) ? JSON.parse(readFileSync(stampsFile, 'utf8')) : {};
/** What every model's output also depends on: this script, and the CLI (dist/ and the package version). */
const toolStamp = [fileURLToPath(import.meta.url), join(repo, 'package.json'), cli]
  .map((file) => sha256(readFileSync(file)))
  .join('');
const scratch = mkdtempSync(join(tmpdir(), 'webinfer-demo-models-'));

try {
  for (const model of models) {
    const source = readFileSync(join(repo, 'node_modules', model.source));
    const dir = join(publicDir, 'models', model.id);
    const manifest = join(dir, 'manifest.json');
    const stamp = sha256(JSON.stringify(model) + sha256(source) + toolStamp);
    if (stamps[model.id] === stamp && existsSync(manifest)) continue;
    const started = performance.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = join(dir, basename(model.source));
    writeFileSync(file, source);
    const transforms = join(scratch, `${model.id}.transforms.json`);
    writeFileSync(transforms, JSON.stringify(model.transforms));
    const args = ['manifest', file, '--id', model.id, '--version', model.version, '--out', manifest, '--transforms', transforms];
    execFileSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    // A monitoring section given by hand: the CLI derives one only from samples (--samples).
    if (model.monitoring) {
      const written = JSON.parse(readFileSync(manifest, 'utf8'));
      writeFileSync(manifest, `${JSON.stringify({ ...written, monitoring: model.monitoring }, null, 2)}\n`);
    }
    stamps[model.id] = stamp;
    const kib = Math.round(source.byteLength / 1024);
    console.log(`demo model ${model.id}@${model.version}: ${kib} KiB (${Math.round(performance.now() - started)} ms)`);
  }
  for (const [from, to] of samples) {
    mkdirSync(join(publicDir, to, '..'), { recursive: true });
    copyFileSync(join(repo, from), join(publicDir, to));
  }
  mkdirSync(join(stampsFile, '..'), { recursive: true });
  writeFileSync(stampsFile, `${JSON.stringify(stamps, null, 2)}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
