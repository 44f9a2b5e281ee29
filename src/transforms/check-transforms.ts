import type { Manifest } from '../artifacts/manifest-schema.js';
import { rowWidth } from './row.js';
import type { ImageOp, InputOp, OutputOp, Transforms } from './schema.js';

/** What is wrong, for a `ManifestError`: the field's path, the expected and the actual value. */
export interface TransformsProblem {
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

const scoreTypes = new Set(['float32', 'float64']);

/** A dimension of fixed size (a string is symbolic, -1 dynamic without a name). */
const fixed = (dim: number | string | undefined): dim is number => typeof dim === 'number' && dim >= 0;

/**
 * Checks the transforms against the tensors they feed and read: each named input and output
 * exists; a row op feeds a float32 input of rank 2 ([rows, columns]) whose column count, when
 * fixed, is the columns the fields make; output ops read float scores, and labels number the
 * classes when that dimension is fixed.
 */
export function transformsProblem(
  transforms: Transforms,
  { inputs, outputs, files }: Pick<Manifest, 'inputs' | 'outputs' | 'files'>,
): TransformsProblem | undefined {
  for (const [name, ops] of Object.entries(transforms.inputs ?? {})) {
    const field = `transforms.inputs.${name}`;
    const input = inputs.find((candidate) => candidate.name === name);
    if (!input) return { field, expected: `one of the model's inputs (${inputs.map((i) => i.name).join(', ')})`, actual: name };
    const [reader] = ops;
    if (reader?.op === 'image') {
      const problem = imageProblem(field, reader, ops, input);
      if (problem) return problem;
    }
    if (reader?.op === 'audio') {
      const want = reader.frame ? `[1, ${reader.frame}]` : '[1, samples]';
      const fits =
        input.type === 'float32' &&
        input.dims.length === 2 &&
        (!reader.frame || !fixed(input.dims[1]) || input.dims[1] === reader.frame);
      if (!fits)
        return {
          field,
          expected: `a float32 input of shape ${want} for "audio"`,
          actual: `${input.type} ${JSON.stringify(input.dims)}`,
        };
    }
    if (reader?.op === 'text' && !files.some((file) => file.role === 'tokenizer')) {
      return { field: 'files', expected: 'a file with role "tokenizer" (a tokenizer.json) for the "text" op', actual: 'none' };
    }
    if (reader?.op === 'text') {
      const type = reader.type ?? 'int64';
      for (const name of [input.name, reader.attentionMask, reader.tokenTypeIds]) {
        if (name === undefined) continue;
        const companion = inputs.find((candidate) => candidate.name === name);
        if (!companion || companion.type !== type || companion.dims.length !== 2) {
          return {
            field: `${field}.0`,
            expected: `inputs ${input.name}, and those it names, of type ${type} and rank 2 ([batch, tokens])`,
            actual: `${name}: ${companion ? `${companion.type} ${JSON.stringify(companion.dims)}` : 'no such input'}`,
          };
        }
      }
    }
    if (reader?.op === 'constant' && input.type !== reader.type) {
      return { field: `${field}.0.type`, expected: `the input's type (${input.type})`, actual: reader.type };
    }
    if (reader?.op !== 'row') continue;
    if (input.type !== 'float32')
      return { field: `${field}.0.op`, expected: 'an input of type float32 for "row"', actual: input.type };
    if (input.dims.length !== 2)
      return {
        field: `${field}.0.op`,
        expected: 'an input of rank 2 ([rows, columns]) for "row"',
        actual: `rank ${input.dims.length}`,
      };
    const columns = input.dims[1];
    if (fixed(columns) && columns !== rowWidth(reader)) {
      return {
        field: `${field}.0.fields`,
        expected: `fields making ${columns} columns (input "${name}" dims)`,
        actual: `${rowWidth(reader)} columns`,
      };
    }
  }
  for (const [i, link] of (transforms.state ?? []).entries()) {
    if (!inputs.some((input) => input.name === link.input)) {
      return {
        field: `transforms.state.${i}.input`,
        expected: `one of the model's inputs (${inputs.map((x) => x.name).join(', ')})`,
        actual: link.input,
      };
    }
    if (!outputs.some((output) => output.name === link.output)) {
      return {
        field: `transforms.state.${i}.output`,
        expected: `one of the model's outputs (${outputs.map((x) => x.name).join(', ')})`,
        actual: link.output,
      };
    }
  }
  const framed = Object.values(transforms.inputs ?? {}).filter(([reader]) => reader?.op === 'audio' && reader.frame);
  if (framed.length > 1)
    return { field: 'transforms.inputs', expected: 'at most one framed audio input', actual: `${framed.length}` };
  for (const [name, ops] of Object.entries(transforms.outputs ?? {})) {
    const field = `transforms.outputs.${name}`;
    const output = outputs.find((candidate) => candidate.name === name);
    if (!output)
      return { field, expected: `one of the model's outputs (${outputs.map((o) => o.name).join(', ')})`, actual: name };
    if (!scoreTypes.has(output.type)) return { field, expected: 'an output of float32 or float64 scores', actual: output.type };
    const classes = output.dims.at(-1);
    for (const [i, op] of ops.entries()) {
      const labelsFile = 'labels' in op && op.labels && !Array.isArray(op.labels) ? op.labels.file : undefined;
      if (labelsFile !== undefined && !files.some((file) => file.role === 'labels' && file.url === labelsFile)) {
        return {
          field: `${field}.${i}.labels.file`,
          expected: 'the url of a file of role "labels" in "files"',
          actual: labelsFile,
        };
      }
      const problem = opProblem(`${field}.${i}`, op, output.dims);
      if (problem) return problem;
      if (op.op === 'nms' || op.op === 'ctc-greedy') continue;
      if ('labels' in op && Array.isArray(op.labels) && typeof classes === 'number' && op.labels.length !== classes) {
        return {
          field: `${field}.${i}.labels`,
          expected: `${classes} labels, one per class`,
          actual: `${op.labels.length} labels`,
        };
      }
      if (op.op === 'softmax' && op.axis !== undefined && (op.axis >= output.dims.length || op.axis < -output.dims.length)) {
        return {
          field: `${field}.${i}.axis`,
          expected: `an axis of a rank-${output.dims.length} output`,
          actual: String(op.axis),
        };
      }
    }
  }
  return undefined;
}

/** An image reader makes [1, 3, h, w] (nchw) or [1, h, w, 3] (nhwc) of its dtype: the input must take that. */
function imageProblem(
  field: string,
  reader: ImageOp,
  ops: readonly InputOp[],
  input: Manifest['inputs'][number],
): TransformsProblem | undefined {
  const layout = ops.find((op) => op.op === 'layout')?.to ?? 'nchw';
  const type = ops.find((op) => op.op === 'dtype')?.to ?? 'float32';
  if (input.type !== type) return { field, expected: `an input of type ${type} (the image ops' dtype)`, actual: input.type };
  const made = layout === 'nchw' ? [1, 3, reader.height, reader.width] : [1, reader.height, reader.width, 3];
  const shape = `[${made.join(', ')}] (${layout})`;
  if (input.dims.length !== 4) return { field, expected: `an input of shape ${shape}`, actual: `rank ${input.dims.length}` };
  const clash = input.dims.findIndex((dim, i) => fixed(dim) && dim !== made[i]);
  if (clash >= 0) return { field, expected: `an input of shape ${shape}`, actual: JSON.stringify(input.dims) };
  return undefined;
}

/** Detection and CTC ops read rank-3 outputs; their class counts must match the labels or alphabet. */
function opProblem(field: string, op: OutputOp, dims: Manifest['outputs'][number]['dims']): TransformsProblem | undefined {
  if (op.op === 'nms') {
    if (dims.length !== 3)
      return {
        field,
        expected: 'an output of rank 3 ([rows, 4 + classes, anchors] or anchors first)',
        actual: `rank ${dims.length}`,
      };
    const features = (op.anchors ?? 'last') === 'last' ? dims[1] : dims[2];
    if (typeof features === 'number' && features < 5)
      return { field, expected: 'at least 5 features per anchor (4 box values and a class)', actual: String(features) };
    if (typeof features === 'number' && Array.isArray(op.labels) && op.labels.length !== features - 4) {
      return {
        field: `${field}.labels`,
        expected: `${features - 4} labels, one per class`,
        actual: `${op.labels.length} labels`,
      };
    }
  }
  if (op.op === 'ctc-greedy') {
    if (dims.length !== 2 && dims.length !== 3)
      return { field, expected: 'an output of rank 2 or 3 ([batch, time, classes])', actual: `rank ${dims.length}` };
    const classes = dims.at(-1);
    if (typeof classes === 'number' && op.alphabet.length !== classes) {
      return {
        field: `${field}.alphabet`,
        expected: `${classes} entries, one per class`,
        actual: `${op.alphabet.length} entries`,
      };
    }
    if ((op.blank ?? 0) >= op.alphabet.length)
      return { field: `${field}.blank`, expected: `a class index below ${op.alphabet.length}`, actual: String(op.blank) };
  }
  return undefined;
}
