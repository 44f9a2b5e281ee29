import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type NumericType, numericTypes, tensorFromNumbers } from '../../lib/tensor-from-numbers.js';
import { CliError, fileError } from './cli-error.js';
import type { TensorEntry } from './describe-values.js';
import { flatValues, type Sample } from './monitoring-from-samples.js';
import { sampleShape } from './samples-file.js';

type Ort = typeof import('onnxruntime-web');
type OrtTensor = InstanceType<Ort['Tensor']>;

/**
 * Runs the model on each sample of its inputs, one item per run, with onnxruntime-web's WASM
 * backend in Node (the engine the runtime uses in the browser; onnxruntime-node would be a
 * second engine with its own numerics), and returns each output per run as rows of its last
 * axis. An input's sample is fed with a batch axis of 1 added when the model's input has one
 * more axis than the sample.
 */
export async function runSamples(
  model: string,
  {
    inputs,
    externalData,
    samples,
  }: { inputs: readonly TensorEntry[]; externalData: readonly string[]; samples: Readonly<Record<string, readonly Sample[]>> },
): Promise<Record<string, Sample[]>> {
  const count = samples[inputs[0]?.name ?? '']?.length ?? 0;
  for (const input of inputs) {
    const given = samples[input.name];
    if (!given)
      throw new CliError(`the samples have no "${input.name}": to run the model they need every input, or give "outputs"`);
    if (given.length !== count) {
      throw new CliError(`the samples have ${given.length} of "${input.name}" but ${count} of "${inputs[0]?.name}"`);
    }
    if (!(numericTypes as readonly string[]).includes(input.type)) {
      throw new CliError(`input "${input.name}" is ${input.type}, which samples cannot be fed as: give "outputs" in the samples`);
    }
  }
  const ort: Ort = await import('onnxruntime-web');
  // One thread: nothing to gain from workers on a few thousand small runs, and none left running after.
  ort.env.wasm.numThreads = 1;
  const read = async (file: string) => readFile(file).catch((error: unknown) => Promise.reject(fileError(error, file)));
  const modelDir = dirname(resolve(model));
  const session = await ort.InferenceSession.create(await read(model), {
    externalData: await Promise.all(externalData.map(async (path) => ({ path, data: await read(resolve(modelDir, path)) }))),
  });
  const outputs: Record<string, Sample[]> = Object.fromEntries(session.outputNames.map((name) => [name, []]));
  try {
    for (let i = 0; i < count; i++) {
      const feeds = Object.fromEntries(
        inputs.map((input) => [input.name, toTensor(ort, input, samples[input.name]?.[i] ?? null, i)]),
      );
      const results = await session.run(feeds);
      for (const [name, tensor] of Object.entries(results)) outputs[name]?.push(rowsOf(tensor));
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`running the model on the samples failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await session.release();
  }
  return outputs;
}

function toTensor(ort: Ort, input: TensorEntry, sample: Sample, index: number): OrtTensor {
  const shape = sampleShape(sample);
  const where = `sample ${index} of "${input.name}"`;
  if (typeof shape === 'string') throw new CliError(`${where} is ragged: ${shape}`);
  const declared = input.dims ?? [];
  const rank = input.dims ? declared.length : shape.length;
  const dims = rank === shape.length + 1 ? [1, ...shape] : shape;
  const fits =
    dims.length === rank && declared.every((size, axis) => typeof size !== 'number' || size < 0 || size === dims[axis]);
  if (!fits) throw new CliError(`${where} has shape [${shape}]; the model's input takes [${declared}]`);
  const values = flatValues(sample).map((value) => (Number.isFinite(value) ? value : Number.NaN));
  const tensor = tensorFromNumbers(input.type as NumericType, dims, values);
  return new ort.Tensor(tensor.type, tensor.data as never, tensor.dims);
}

/** An output of one run as rows of its last axis (numbers; 64-bit integers converted). */
function rowsOf(tensor: OrtTensor): number[][] {
  const data = tensor.data;
  // float16 arrives as raw bits; strings are not binned.
  if (tensor.type === 'float16' || typeof data === 'string' || !ArrayBuffer.isView(data)) return [];
  const values = Array.from(data as ArrayLike<number | bigint>, Number);
  const width = tensor.dims.at(-1) || 1;
  return Array.from({ length: Math.ceil(values.length / width) }, (_, r) => values.slice(r * width, (r + 1) * width));
}
