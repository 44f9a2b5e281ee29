import { driftDefaults } from '../../monitor/drift-schema.js';
import type { Monitoring } from '../../monitor/schema.js';
import type { Transforms } from '../../transforms/schema.js';
import { CliError } from './cli-error.js';
import type { TensorEntry } from './describe-values.js';
import { monitoringFromSamples, type Sample, sampleRows } from './monitoring-from-samples.js';
import { runSamples } from './run-samples.js';
import type { SamplesFile } from './samples-file.js';

/** Under this many samples the command warns: a window of 150 is judged against the reference. */
const fewSamples = 200;

/** What the manifest command was asked for about monitoring. */
export interface MonitoringRequest {
  /** The `--samples` file's name, for messages, and what it holds. */
  readonly samples?: { readonly file: string; readonly content: SamplesFile } | undefined;
  readonly bins?: number | undefined;
  readonly summarize?: readonly string[];
  /** `--confidence OUTPUT`. */
  readonly confidence?: string | undefined;
}

/**
 * The manifest's `monitoring` section from `--samples` (and `--confidence`): inputs as given,
 * outputs as given or else got by running the model on the inputs; undefined when nothing was
 * asked. Tensor names the model does not have fail, naming the file and the name.
 */
export async function sampleMonitoring(
  { samples, bins, summarize = [], confidence }: MonitoringRequest,
  {
    model,
    build,
    transforms,
    warn,
  }: {
    /** The model file, to run when the samples give no outputs. */
    model: string;
    build: { inputs: readonly TensorEntry[]; outputs: readonly TensorEntry[]; externalData: readonly string[] };
    transforms: Transforms | undefined;
    warn: (message: string) => void;
  },
): Promise<Monitoring | undefined> {
  if (confidence !== undefined && !build.outputs.some((output) => output.name === confidence)) {
    throw new CliError(`--confidence ${confidence}: the model has no output of that name (${names(build.outputs)})`);
  }
  if (!samples) return confidence === undefined ? undefined : { confidence: { output: confidence } };
  const { file, content } = samples;
  checkNames(file, 'inputs', content.inputs, build.inputs);
  if (content.outputs) checkNames(file, 'outputs', content.outputs, build.outputs);
  const outputs =
    content.outputs ??
    (await runSamples(model, { inputs: build.inputs, externalData: build.externalData, samples: content.inputs }));
  // The runtime sees float32 tensors: ranges and edges from the doubles of JSON would put a
  // sample's own float32 value a hair outside its range.
  const declared = [...build.inputs, ...build.outputs];
  const tensors = Object.fromEntries(
    Object.entries({ ...content.inputs, ...outputs }).map(([name, given]) => [
      name,
      declared.find((entry) => entry.name === name)?.type === 'float32' ? given.map(toFloat32) : given,
    ]),
  );
  for (const name of summarize) {
    if (!(name in tensors)) throw new CliError(`--summarize ${name}: ${file} has no samples of "${name}"`);
  }
  const counts = Object.values(tensors).map((given) => given.length);
  if (Math.min(...counts) < fewSamples) {
    warn(
      `Warning: ${file} has ${Math.min(...counts)} samples; drift is judged on windows of ${driftDefaults.window} against them, and a ` +
        `reference from fewer than ${fewSamples} is mostly noise. Ranges from n samples miss about 2/(n + 1) of clean values.\n`,
    );
  }
  const rows = confidence === undefined ? undefined : confidenceRows(confidence, outputs, transforms, file);
  try {
    return monitoringFromSamples({
      tensors,
      summarize,
      ...(bins === undefined ? {} : { bins }),
      ...(rows && confidence !== undefined ? { confidence: { output: confidence, rows } } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

function names(entries: readonly TensorEntry[]): string {
  return entries.map((entry) => entry.name).join(', ') || 'none';
}

function checkNames(
  file: string,
  field: 'inputs' | 'outputs',
  given: Readonly<Record<string, unknown>>,
  declared: readonly TensorEntry[],
): void {
  for (const name of Object.keys(given)) {
    if (!declared.some((entry) => entry.name === name)) {
      throw new CliError(
        `${file}: field "${field}.${name}" must be one of the model's ${field} (${names(declared)}), got ${name}`,
      );
    }
  }
}

/**
 * The confidence output's rows of scores as the app sees them: softmaxed along the last axis
 * when the manifest's postprocessing of that output starts with a softmax.
 */
function confidenceRows(
  output: string,
  outputs: Readonly<Record<string, readonly Sample[]>>,
  transforms: Transforms | undefined,
  file: string,
): number[][] {
  const given = outputs[output];
  if (!given) throw new CliError(`--confidence ${output}: ${file} has no samples of "${output}"`);
  const rows = given.flatMap(sampleRows);
  const ops = transforms?.outputs?.[output] ?? [];
  return ops[0]?.op === 'softmax' ? rows.map(softmax) : rows;
}

function toFloat32(sample: Sample): Sample {
  if (sample === null) return null;
  return typeof sample === 'number' ? Math.fround(sample) : sample.map(toFloat32);
}

function softmax(row: readonly number[]): number[] {
  const top = Math.max(...row);
  const exp = row.map((x) => Math.exp(x - top));
  const total = exp.reduce((sum, e) => sum + e, 0);
  return exp.map((e) => e / total);
}
