import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup of the 'collector' project: its crash and package tests run the built
 * `dist/cli/` and serve the built `dist/dashboard/` (`npm test` builds first); on its own,
 * `vitest --project collector` builds whichever is missing.
 */
export default function buildIfMissing(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const vite = (config: string) =>
    execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', config], {
      cwd: root,
      stdio: 'inherit',
    });
  if (!existsSync(`${root}dist/cli/collector.js`)) vite('vite.cli.config.ts');
  if (!existsSync(`${root}dist/dashboard/index.html`)) vite('vite.dashboard.config.ts');
}
