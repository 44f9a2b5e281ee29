import type { Feeds, Inputs, Outputs, Tensor, Tensors, TransformsInfo } from '../types.js';
import { argmax, sigmoid, softmax, threshold, topK } from './classify.js';
import { ctcGreedy } from './ctc.js';
import { nms } from './detect.js';
import { fitPixels, pixelsToTensor, readPixels } from './image.js';
import { isTensorLike } from './is-tensor-like.js';
import { rowsToTensor } from './row.js';
import type { InputOp, OutputOp, PixelOp, Transforms } from './schema.js';

type Scores = Parameters<typeof softmax>[0];

/**
 * A model's declared preprocessing and postprocessing, ready to run in the worker. Inputs given
 * as tensors skip their preprocessing; every other value goes through its input's ops.
 */
export class Pipeline {
  readonly info: TransformsInfo;
  readonly #inputs: ReadonlyMap<string, readonly InputOp[]>;
  readonly #outputs: ReadonlyMap<string, readonly OutputOp[]>;

  constructor(transforms: Transforms) {
    this.#inputs = new Map(Object.entries(transforms.inputs ?? {}));
    this.#outputs = new Map(Object.entries(transforms.outputs ?? {}));
    this.info = {
      inputs: Object.fromEntries([...this.#inputs].map(([name, [reader]]) => [name, reader?.op ?? ''])),
      outputs: Object.fromEntries([...this.#outputs].map(([name, ops]) => [name, ops.map((op) => op.op)])),
    };
  }

  /** Raw inputs made into tensors; tensors, and inputs without preprocessing, pass as they are. */
  async preprocess(inputs: Inputs): Promise<Feeds> {
    const feeds: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(inputs)) {
      const ops = this.#inputs.get(name);
      feeds[name] = ops && !isTensorLike(value) ? await readInput(name, ops, value) : (value as Tensor);
    }
    return feeds;
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

async function readInput(name: string, ops: readonly InputOp[], value: unknown): Promise<Tensor> {
  const [reader, ...rest] = ops;
  switch (reader?.op) {
    case 'row':
      return rowsToTensor(name, reader, value);
    case 'image': {
      const pixels = fitPixels(await readPixels(name, value), reader);
      return pixelsToTensor(pixels, reader.channels ?? 'rgb', rest as PixelOp[]);
    }
    default:
      throw new Error(`no reader for input "${name}"`);
  }
}

function applyOutputOp(op: OutputOp, scores: Scores): Outputs[string] {
  switch (op.op) {
    case 'softmax':
      return softmax(scores, op.axis);
    case 'sigmoid':
      return sigmoid(scores);
    case 'argmax':
      return argmax(scores, op.labels);
    case 'top-k':
      return topK(scores, op.k, op.labels);
    case 'threshold':
      return threshold(scores, op.value, op.labels);
    case 'nms':
      return nms(scores, {
        format: op.format ?? 'cxcywh',
        anchors: op.anchors ?? 'last',
        scoreThreshold: op.scoreThreshold ?? 0.25,
        iouThreshold: op.iouThreshold ?? 0.45,
        maxDetections: op.maxDetections ?? 100,
        classAgnostic: op.classAgnostic ?? false,
        labels: op.labels,
      });
    case 'ctc-greedy':
      return ctcGreedy(scores, op.alphabet, op.blank ?? 0, op.timeFirst ?? false);
  }
}
