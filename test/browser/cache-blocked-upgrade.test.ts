import { deleteDB, openDB } from 'idb';
import { expect, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';

/**
 * RELIABILITY.md 7 from the new tab's side: an old tab holds the previous schema version open
 * and never lets go (an old webinfer without a `versionchange` handler). The new runtime's
 * upgrade is blocked: its load does not hang, it runs uncached and says why.
 */
test('an upgrade blocked by an old tab fails fast with storage-blocked, or runs uncached and says so', async () => {
  await deleteDB('webinfer');
  const oldTab = await openDB('webinfer', 1, {
    upgrade: (db) => void db.createObjectStore('files', { keyPath: 'sha256' }),
  });
  const strict = createRuntime({ backends: ['wasm'], cache: { memoryFallback: false } });
  const lenient = createRuntime({ backends: ['wasm'] });
  try {
    await expect(strict.load(models.mlpManifest)).rejects.toMatchObject({
      name: 'StorageError',
      code: 'storage-blocked',
      message: expect.stringMatching(/older version.*reload or close it/),
    });
    // The blocked upgrade request stays queued in the browser while the old tab holds on: a
    // later open waits behind it, then times out. Either way a typed answer, never a hang.
    const model = await lenient.load(models.mlpManifest);
    expect(model.info.cache).toEqual({ state: 'not-cached', reason: expect.stringMatching(/older version|did not open/) });
  } finally {
    oldTab.close();
    await Promise.all([strict.close(), lenient.close()]);
  }
  // Once the old tab is gone, the upgrade goes through.
  const after = createRuntime({ backends: ['wasm'] });
  await after.cache.clear();
  expect((await after.load(models.mlpManifest)).info.cache).toEqual({ state: 'stored' });
  await after.close();
});
