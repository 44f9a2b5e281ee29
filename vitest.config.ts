import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { setOffline } from './test/support/node/browser-commands.js';
import { baseChromiumArgs, chromiumPath, isolationHeaders, webgpuArg } from './test/support/node/chromium.js';

/** A Vitest browser-mode project in Debian's Chromium, pages served cross-origin isolated. */
function browserProject(name: string, include: string[], args: string[]): TestProjectInlineConfiguration {
  return {
    server: { headers: isolationHeaders },
    // Pre-bundle onnxruntime-web up front, or Vite re-optimizes it mid-run and reloads the test.
    optimizeDeps: { include: ['onnxruntime-web/wasm', 'onnxruntime-web/webgpu', 'comlink'] },
    test: {
      name,
      include,
      globalSetup: ['test/support/node/fault-server-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Two cores: one test file at a time keeps WebGPU's software adapter and wasm from starving.
      fileParallelism: false,
      browser: {
        enabled: true,
        headless: true,
        provider: playwright({ launchOptions: { executablePath: chromiumPath, args } }),
        instances: [{ browser: 'chromium' }],
        commands: { setOffline },
      },
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        // Runs the built `dist/cli/webinfer.js` as a user would; builds it first if it is missing.
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/cli/support/build-cli.ts'],
          testTimeout: 30_000,
        },
      },
      // ForceEagerMeasureMemory: performance.measureUserAgentSpecificMemory() answers at once
      // instead of at the next GC (~15 s here), for the memory checks of worker-recycling.test.ts.
      browserProject(
        'browser',
        ['test/browser/**/*.test.ts'],
        [...baseChromiumArgs, webgpuArg, '--enable-blink-features=ForceEagerMeasureMemory'],
      ),
      browserProject('browser-nogpu', ['test/browser-nogpu/**/*.test.ts'], [...baseChromiumArgs]),
      {
        // The collector over real HTTP on loopback, with real SQLite files; its crash and package
        // tests run the built `webinfer collector` and `webinfer/collector` (built first if missing).
        test: {
          name: 'collector',
          include: ['test/collector/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/collector/build-if-missing.ts'],
          testTimeout: 30_000,
        },
      },
      {
        // Top-level pages in Playwright, for what Vitest's test iframe cannot do (DevTools quota overrides).
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 180_000 },
      },
      {
        test: {
          name: 'consumer',
          include: ['test/consumer/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
