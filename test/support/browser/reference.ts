import type { Feeds, Outputs, Tensor } from '../../../src/index.js';

type Ort = typeof import('onnxruntime-web');

/**
 * onnxruntime-web called directly on the test page: the reference `model.run` must equal.
 * Same build (the plain wasm one) and the same thread count as the worker's session.
 */
export async function referenceSession(url: string, threads: number) {
  const ort = (await import('onnxruntime-web/wasm')) as unknown as Ort;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  return {
    async run(feeds: Feeds): Promise<Outputs> {
      const ortFeeds = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as never, t.dims)]),
      );
      const results = await session.run(ortFeeds);
      return Object.fromEntries(
        Object.entries(results).map(([name, t]) => {
          const tensor = t as InstanceType<Ort['Tensor']>;
          return [name, { type: tensor.type, data: tensor.data, dims: [...tensor.dims] } as Tensor];
        }),
      );
    },
    release: () => session.release(),
  };
}
