import type { LoadSource } from 'webinfer';
import config from '../models.json';

/** Which playground panel runs a model: the demo's own models, or one dropped on the page. */
export type ModelKind = 'vad' | 'orientation' | 'custom';

/** A model the page can load: one of the demo's, or one the user brought. */
export interface ModelSpec {
  /** Unique on the page: the model's id for the demo's, `custom:<sha256>` for a dropped file. */
  readonly key: string;
  /** The model's id in its manifest (and in webinfer's cache). */
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly credit?: string;
  readonly kind: ModelKind;
  readonly source: LoadSource;
  /** Seconds each output row of an audio model covers: its `audio` transform's frame over its rate. */
  readonly frameSeconds?: number;
  /** Load with `{ update: true }`: the demo's manifests are kept current; a dropped file has nothing to revalidate. */
  readonly keepCurrent: boolean;
}

const kinds: readonly ModelKind[] = ['vad', 'orientation'];

/** The demo's models (demo/models.json), each served by `scripts/demo-models.mjs` at models/<id>/manifest.json. */
export function demoModels(): ModelSpec[] {
  return config.models.map((model) => {
    if (!kinds.includes(model.kind as ModelKind)) throw new Error(`demo/models.json: unknown kind "${model.kind}"`);
    const audio = Object.values(model.transforms.inputs)
      .flat()
      .find((op) => op.op === 'audio');
    return {
      ...(audio && 'frame' in audio && 'sampleRate' in audio ? { frameSeconds: audio.frame / audio.sampleRate } : {}),
      key: model.id,
      id: model.id,
      title: model.title,
      summary: model.summary,
      credit: model.credit,
      kind: model.kind as ModelKind,
      // Relative to the page, so that the demo also works from a sub-path of a static host.
      source: new URL(`models/${model.id}/manifest.json`, document.baseURI).href,
      keepCurrent: true,
    };
  });
}
