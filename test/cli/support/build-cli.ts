import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup of the 'cli' project: the suite runs the built `dist/cli/webinfer.js`
 * (`npm test` builds first); on its own, `vitest --project cli` builds the CLI once if it is missing.
 */
export default function buildCliIfMissing(): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  if (existsSync(`${root}dist/cli/webinfer.js`)) return;
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', 'vite.cli.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
}
