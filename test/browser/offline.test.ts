import { afterEach, expect, inject, test } from 'vitest';
import { commands } from 'vitest/browser';
import { visits } from '../support/browser/visits.js';

/**
 * After one visit, the network off: the manifest, the model's files and onnxruntime-web's
 * `.wasm` all come from webinfer's cache. The second runtime's worker is started while online
 * (as a page's service worker or HTTP cache would provide its script); everything the load
 * fetches happens with the whole browser context offline.
 */
const server = inject('faultServer');
const { visit, closeAll } = visits();
afterEach(async () => {
  await commands.setOffline(false);
  await closeAll();
});

test('with the browser context offline after one load, the same manifest loads and runs', async () => {
  const url = `${server}/s/offline-${Date.now()}/ok/0/mlp.manifest.json`;
  await visit().cache.clear();
  const first = await visit().load(url);
  const feeds = () => ({ x: { type: 'float32' as const, data: Float32Array.of(1, 2, 3, 4), dims: [1, 4] } });
  const online = await first.run(feeds());

  const later = visit();
  await later.cache.usage(); // the worker is up
  await commands.setOffline(true);
  await expect(fetch(url)).rejects.toThrow(); // really offline
  const model = await later.load(url);
  expect(model.info.cache).toEqual({ state: 'hit' });
  expect((await model.run(feeds())).logits?.data).toEqual(online.logits?.data);
});
