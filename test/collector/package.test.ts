import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

/**
 * `webinfer/collector` as a server imports it: resolved through the package's `exports` (a
 * plain Node process, not Vitest's resolver), from the build, serving the built dashboard page
 * from where the package keeps it.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'webinfer-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = `
import { createCollector } from 'webinfer/collector';
const collector = await createCollector({ db: process.argv[1], port: 0 });
const page = await fetch(collector.url + '/dashboard/');
const html = await page.text();
const assets = [...html.matchAll(/(?:src|href)="\\.\\/([^"]+)"/g)].map((m) => m[1]);
const served = await Promise.all(assets.map(async (a) => (await fetch(collector.url + '/dashboard/' + a)).status));
const models = await (await fetch(collector.url + '/api/models')).json();
await collector.close();
console.log(JSON.stringify({ status: page.status, type: page.headers.get('content-type'), assets, served, models: models.models }));
`;

test('webinfer/collector starts a collector that serves the dashboard page and the API', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, join(dir, 'c.db')], {
    cwd: root,
  });
  const result = JSON.parse(stdout) as { status: number; type: string; assets: string[]; served: number[]; models: unknown[] };
  expect(result).toMatchObject({ status: 200, models: [] });
  expect(result.type).toMatch(/^text\/html/);
  expect(result.assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(result.served.every((status) => status === 200)).toBe(true);
});
