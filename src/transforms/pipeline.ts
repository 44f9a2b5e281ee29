import type { StateLink } from '../session/recurrent-state.js';
import type { ScratchBuffers } from '../session/scratch-buffers.js';
import type { Feeds, Inputs, Outputs, Tensor, Tensors, TransformsInfo } from '../types.js';
import { frames, readAudio } from './audio.js';
import { argmax, sigmoid, softmax, threshold, topK } from './classify.js';
import { ctcGreedy } from './ctc.js';
import { nms } from './detect.js';
import { fitPixels, pixelsToTensor, readPixels } from './image.js';
import { isTensorLike } from './is-tensor-like.js';
import { rowsToTensor } from './row.js';
import type { AudioOp, ConstantOp, InputOp, OutputOp, PixelOp, Transforms } from './schema.js';
import { encodeText, SentenceTokenizer } from './text.js';

type Scores = Parameters<typeof softmax>[0];

/**
 * A model's declared preprocessing and postprocessing, ready to run in the worker. Inputs given
 * as tensors skip their preprocessing; every other value goes through its input's ops.
 */
export class Pipeline {
  readonly info: TransformsInfo;
  readonly #inputs: ReadonlyMap<string, readonly InputOp[]>;
  readonly #outputs: ReadonlyMap<string, readonly OutputOp[]>;

  /** The recurrent state the manifest declares (`transforms.state`). */
  readonly state: readonly StateLink[];

  readonly #tokenizer: SentenceTokenizer | undefined;

  /** `tokenizer`: the manifest's tokenizer.json, parsed, for a `text` input. */
  constructor(transforms: Transforms, { tokenizer }: { tokenizer?: unknown } = {}) {
    this.#tokenizer = tokenizer === undefined ? undefined : new SentenceTokenizer(tokenizer);
    this.#inputs = new Map(Object.entries(transforms.inputs ?? {}));
    this.#outputs = new Map(Object.entries(transforms.outputs ?? {}));
    this.state = transforms.state ?? [];
    const constants = [...this.#inputs].filter(([, [reader]]) => reader?.op === 'constant').map(([name]) => name);
    const companions = [...this.#inputs].flatMap(([, [reader]]) =>
      reader?.op === 'text' ? [reader.attentionMask, reader.tokenTypeIds].filter((name) => name !== undefined) : [],
    );
    this.info = {
      inputs: Object.fromEntries([...this.#inputs].map(([name, [reader]]) => [name, reader?.op ?? ''])),
      outputs: Object.fromEntries([...this.#outputs].map(([name, ops]) => [name, ops.map((op) => op.op)])),
      provided: [...constants, ...companions, ...this.state.map((link) => link.input)],
    };
  }

  /**
   * Raw inputs made into tensors, as the feeds of each session run: one run, or one per frame
   * of a framed audio input. Tensors, and inputs without preprocessing, pass as they are;
   * constants are added where the caller left them out. Images become tensors in `scratch`'s
   * memory, when given: hand the feeds back to it once the session has run.
   */
  async preprocess(inputs: Inputs, scratch?: ScratchBuffers): Promise<Feeds[]> {
    const feeds: Record<string, Tensor> = {};
    let framed: { name: string; frames: Tensor[] } | undefined;
    for (const [name, ops] of this.#inputs) {
      const [reader] = ops;
      if (reader?.op === 'constant' && !(name in inputs)) feeds[name] = constantTensor(reader);
    }
    for (const [name, value] of Object.entries(inputs)) {
      const ops = this.#inputs.get(name);
      const [reader] = ops ?? [];
      if (!ops || isTensorLike(value)) feeds[name] = value as Tensor;
      else if (reader?.op === 'audio' && reader.frame) framed = { name, frames: readFrames(name, reader, value) };
      else if (reader?.op === 'text' && this.#tokenizer) Object.assign(feeds, encodeText(name, reader, this.#tokenizer, value));
      else feeds[name] = await readInput(name, ops, value, scratch);
    }
    if (!framed) return [feeds];
    const { name, frames: list } = framed;
    return list.map((frame) => ({ ...feeds, [name]: frame }));
  }

  /** Outputs through their ops; outputs without any pass as they are. */
  postprocess(tensors: Tensors): Outputs {
    const outputs: Outputs = { ...tensors };
    for (const [name, ops] of this.#outputs) {
      const tensor = tensors[name];
      if (tensor) outputs[name] = ops.reduce<Outputs[string]>((value, op) => applyOutputOp(op, value as Scores), tensor);
    }
    return outputs;
  }
}

async function readInput(name: string, ops: readonly InputOp[], value: unknown, scratch?: ScratchBuffers): Promise<Tensor> {
  const [reader, ...rest] = ops;
  switch (reader?.op) {
    case 'row':
      return rowsToTensor(name, reader, value);
    case 'image': {
      // No await between the two: resized pixels may be the SIMD kernel's memory, valid until its next resize.
      const pixels = fitPixels(await readPixels(name, value), reader);
      return pixelsToTensor(pixels, reader.channels ?? 'rgb', rest as PixelOp[], scratch);
    }
    case 'audio': {
      const data = readAudio(name, value, reader.sampleRate);
      return { type: 'float32', data, dims: [1, data.length] };
    }
    case 'constant':
      return constantTensor(reader);
    default:
      throw new Error(`no reader for input "${name}"`);
  }
}

/** Inline labels (files were read in by `fetchArtifacts`, see `inlineLabelFiles`). */
const labelsOf = (op: { labels?: readonly string[] | { file: string } | undefined }) =>
  Array.isArray(op.labels) ? op.labels : undefined;

function applyOutputOp(op: OutputOp, scores: Scores): Outputs[string] {
  switch (op.op) {
    case 'softmax':
      return softmax(scores, op.axis);
    case 'sigmoid':
      return sigmoid(scores);
    case 'argmax':
      return argmax(scores, labelsOf(op));
    case 'top-k':
      return topK(scores, op.k, labelsOf(op));
    case 'threshold':
      return threshold(scores, op.value, labelsOf(op));
    case 'nms':
      return nms(scores, {
        format: op.format ?? 'cxcywh',
        anchors: op.anchors ?? 'last',
        scoreThreshold: op.scoreThreshold ?? 0.25,
        iouThreshold: op.iouThreshold ?? 0.45,
        maxDetections: op.maxDetections ?? 100,
        classAgnostic: op.classAgnostic ?? false,
        labels: labelsOf(op),
      });
    case 'ctc-greedy':
      return ctcGreedy(scores, op.alphabet, op.blank ?? 0, op.timeFirst ?? false);
  }
}

/** A framed audio input: resampled, cut into frames of [1, frame]. */
function readFrames(name: string, op: AudioOp, value: unknown): Tensor[] {
  const samples = readAudio(name, value, op.sampleRate);
  const size = op.frame ?? samples.length;
  const framed = frames(samples, size, { hop: op.hop ?? size, window: op.window ?? 'none' });
  return framed.map((data) => ({ type: 'float32', data, dims: [1, size] }));
}

function constantTensor(op: ConstantOp): Tensor {
  const { type, value, dims } = op;
  if (type === 'int64') return { type, data: BigInt64Array.from(value, (v) => BigInt(Math.trunc(v))), dims };
  if (type === 'int32') return { type, data: Int32Array.from(value), dims };
  return { type, data: Float32Array.from(value), dims };
}
