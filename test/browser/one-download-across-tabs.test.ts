import { expect, inject, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { describeFile, manifestDataUrl, singleFileManifest } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';

/**
 * Two runtimes (two workers: to Web Locks and IndexedDB, the same as two tabs) load the same
 * manifest at once while the file trickles in: the server sees one download, and the second
 * runtime reads the file from the cache once the first has stored it.
 */
const server = inject('faultServer');

test('two loads of one manifest at once download each file once', async () => {
  const heavy = await describeFile(models.heavy);
  const [a, b] = [createRuntime({ backends: ['wasm'] }), createRuntime({ backends: ['wasm'] })];
  for (const cached of await a.cache.list()) await a.cache.delete(cached.id);
  const id = `tabs${Date.now()}`;
  const url = manifestDataUrl(singleFileManifest('heavy-tabs', '1', `${server}/s/${id}/slow/20/heavy.onnx`, heavy));
  const [first, second] = await Promise.all([a.load(url), b.load(url)]);
  const log = (await (await fetch(`${server}/log/${id}`)).json()) as unknown[];
  expect(log).toHaveLength(1);
  expect([first.info.cache.state, second.info.cache.state].sort()).toEqual(['hit', 'stored']);
  await a.cache.delete('heavy-tabs');
  await a.close();
  await b.close();
});
