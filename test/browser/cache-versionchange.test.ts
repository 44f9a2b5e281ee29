import { deleteDB, openDB } from 'idb';
import { expect, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';

/**
 * RELIABILITY.md 7 and 8: a newer schema opened elsewhere (a tab running a newer webinfer) is not
 * blocked by this runtime's open connection, which closes on `versionchange`; the cache then
 * reopens lazily on the next load, as after any abnormal close.
 */
test('the cache connection yields to a newer version, then reopens for the next load', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  expect((await rt.load(models.mlpManifest)).info.cache.state).toMatch(/stored|hit/);

  let blocked = false;
  const newer = await openDB('webinfer', 99, {
    blocked: () => {
      blocked = true;
    },
  });
  expect(blocked).toBe(false);
  newer.close();
  // The worker holds no connection now: deleting the database is not blocked either.
  await deleteDB('webinfer', { blocked: () => expect.unreachable('the runtime still held the cache open') });

  const again = await rt.load(models.mlpManifest);
  expect(again.info.cache).toEqual({ state: 'stored' });
  expect((await rt.cache.list()).map((m) => m.id)).toContain('mlp');
  await rt.close();
});
