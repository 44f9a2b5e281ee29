import { chmod } from 'node:fs/promises';
import { defineConfig, type Plugin } from 'vite';

/**
 * The `webinfer` command for Node 20: the entry `dist/cli/webinfer.js` and a chunk per command,
 * `dist/cli/collector.js`, the `webinfer/collector` export, sharing the collector's chunk, and
 * `dist/cli/vite.js`, the `webinfer/vite` plugin;
 * built after the library (whose build empties `dist/`). Dependencies stay bare imports, resolved
 * from the package's own `node_modules` where it is installed.
 */

/** npm makes `bin` files executable on install; this makes the built file runnable from a checkout too. */
function executable(): Plugin {
  return {
    name: 'webinfer:executable-bin',
    apply: 'build',
    async writeBundle({ dir }, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.isEntry) await chmod(`${dir}/${chunk.fileName}`, 0o755);
      }
    },
  };
}

export default defineConfig({
  plugins: [executable()],
  build: {
    ssr: true,
    target: 'node20',
    // Emptying dist/cli/ (only) clears chunks of earlier CLI builds; the library's files in dist/ stay.
    outDir: 'dist/cli',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      input: { webinfer: 'src/cli/webinfer.ts', collector: 'src/collector/index.ts', vite: 'src/vite/index.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
  // SSR builds keep every dependency external by default; say so, so no later default bundles them.
  ssr: { target: 'node', noExternal: [] },
});
