import { stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Manifest, type ManifestFile, type ManifestVariant, manifestFormat } from '../../artifacts/manifest-schema.js';
import { signManifest } from '../../artifacts/manifest-signature.js';
import { parseManifest } from '../../artifacts/parse-manifest.js';
import { ManifestError } from '../../errors.js';
import { maxBins } from '../../monitor/bin-window.js';
import { listFlag, type ParsedArgs, parseCommandArgs, stringFlag } from '../lib/args.js';
import { CliError, fileError, UsageError } from '../lib/cli-error.js';
import { hashFile } from '../lib/hash-file.js';
import { defaultModelId } from '../lib/model-id.js';
import { createProgress, formatBytes, progressThresholdBytes } from '../lib/progress.js';
import { readOnnx } from '../lib/read-onnx.js';
import { relativeUrl } from '../lib/relative-url.js';
import { type MonitoringRequest, sampleMonitoring } from '../lib/sample-monitoring.js';
import { readSamples } from '../lib/samples-file.js';
import { readSigningKey } from '../lib/signing-key.js';
import { readTransforms } from '../lib/transforms-file.js';

export const manifestUsage = `Usage: webinfer manifest <model.onnx> [options]

Writes a webinfer/manifest@1 file for an ONNX model: its inputs and outputs, the size and
SHA-256 of the model file and of every external-data file the model references, and with
--samples what the runtime's monitoring compares live values with.

Options:
  --id ID            the model's id (default: the file name without .onnx, lowercased)
  --version V        the model's version (default: 1.0.0)
  --out FILE         where to write it (default: <id>.manifest.json beside the model; - for stdout)
  --sign-key FILE    sign it with this Ed25519 private key (PKCS8 PEM, from \`webinfer keygen\`)
  --variant NAME=FILE  another build of the same model (e.g. fp16=model_fp16.onnx), loaded with
                     rt.load(url, { variant: NAME }); its precision is read from its weights.
                     Repeat for more. A float16 build falls back to a float32 one where WebGPU
                     lacks shader-f16.
  --tokenizer FILE   a tokenizer.json (Hugging Face format) for a "text" transform
  --transforms FILE  preprocessing and postprocessing, as the manifest's "transforms" section
                     (JSON: { "inputs": { NAME: [ops] }, "outputs": { NAME: [ops] } })
  --samples FILE     sample inputs (and optionally outputs) the model was trained or validated on,
                     from which the manifest's "monitoring" section gets each tensor's range
                     and reference bins for drift, per column of its last axis. JSON:
                       { "inputs":  { NAME: [sample, ...] },
                         "outputs": { NAME: [sample, ...] } }     ("outputs" optional)
                     one sample per item fed, as the model takes it (after preprocessing): a
                     number, a row of numbers (one per feature, e.g. [0.2, 41, 3]), or nested
                     arrays (an image [3][224][224]; the innermost arrays are rows); null is a
                     missing value. Without "outputs" the model is run on each sample (batch
                     of 1) with onnxruntime-web in Node. Give thousands: ranges are the samples'
                     min and max, which about 2/(n + 1) of clean values fall outside.
  --bins N           bins per feature for drift, at quantiles of the samples (default 5: few
                     bins suit the runtime's 150-sample window)
  --summarize NAME   bin each sample's mean of NAME rather than its columns, and give it one
                     range (images, audio, embeddings: "item-mean" in the manifest). Repeat
                     for more.
  --confidence OUTPUT  watch OUTPUT as a classifier's scores: with --samples, the share of unsure
                     rows in the samples becomes the expected one (softmaxed first when the
                     transforms start that output with a softmax)
  -h, --help         show this help
`;

const defaultVersion = '1.0.0';

/** A file the manifest names, before it is hashed. */
interface PlannedFile {
  readonly file: string;
  readonly role: ManifestFile['role'];
  /** For external data: the `location` the graph refers to it by. */
  readonly location?: string;
}

export async function manifest(argv: readonly string[]): Promise<void> {
  const args = parseCommandArgs(
    argv,
    {
      id: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      'sign-key': { type: 'string' },
      variant: { type: 'string', multiple: true },
      transforms: { type: 'string' },
      tokenizer: { type: 'string' },
      samples: { type: 'string' },
      bins: { type: 'string' },
      summarize: { type: 'string', multiple: true },
      confidence: { type: 'string' },
    },
    manifestUsage,
  );
  if (args.values.help) {
    process.stdout.write(manifestUsage);
    return;
  }
  const [model, ...extra] = args.positionals;
  if (model === undefined) throw new UsageError('which model? Name one .onnx file', manifestUsage);
  if (extra.length > 0) throw new UsageError(`one model at a time; unexpected "${extra[0]}"`, manifestUsage);

  // The key is read first: a bad key should fail before minutes of hashing, not after.
  const keyFile = stringFlag(args, 'sign-key');
  const signingKey = keyFile === undefined ? undefined : await readSigningKey(keyFile);

  const variants = listFlag(args, 'variant').map(parseVariantFlag);
  const transformsFile = stringFlag(args, 'transforms');
  const transforms = transformsFile === undefined ? undefined : await readTransforms(transformsFile);
  const monitoringRequest = await readMonitoringFlags(args);
  const id = stringFlag(args, 'id') ?? defaultModelId(model);
  const version = stringFlag(args, 'version') ?? defaultVersion;
  const out = stringFlag(args, 'out');
  const toStdout = out === '-';
  // A manifest on stdout is taken to live beside the model, which is where its URLs point from.
  const outFile = out === undefined || toStdout ? join(dirname(resolve(model)), `${id}.manifest.json`) : resolve(out);
  const manifestUrl = pathToFileURL(outFile).href;
  // A bad --id, --version or variant name fails now, not after hashing: a stand-in manifest with them is checked.
  const standInVariants = variants.map(({ name }) => ({ name, precision: 'float32' as const, files: standIn.files }));
  validate({ ...standIn, id, version, ...(variants.length ? { variants: standInVariants } : {}) }, manifestUrl, args.values);

  const where = { outFile, out };
  const base = await describeBuild(model, where);
  const builds: ManifestVariant[] = [];
  for (const variant of variants) {
    const build = await describeBuild(variant.file, where);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    builds.push({
      name: variant.name,
      precision: build.precision,
      files: build.files,
      ...(same(build.inputs, base.inputs) ? {} : { inputs: build.inputs }),
      ...(same(build.outputs, base.outputs) ? {} : { outputs: build.outputs }),
    });
  }
  const monitoring = await sampleMonitoring(monitoringRequest, {
    model,
    build: base,
    transforms,
    warn: (message) => process.stderr.write(message),
  });
  const tokenizer = stringFlag(args, 'tokenizer');
  const files =
    tokenizer === undefined
      ? base.files
      : [...base.files, await describeFile({ file: resolve(tokenizer), role: 'tokenizer' }, { model, outDir: dirname(outFile) })];
  const unsigned: Manifest = {
    format: manifestFormat,
    id,
    version,
    files,
    inputs: base.inputs,
    outputs: base.outputs,
    ...(base.precision === 'float32' ? {} : { precision: base.precision }),
    ...(builds.length > 0 ? { variants: builds } : {}),
    ...(transforms ? { transforms } : {}),
    ...(monitoring ? { monitoring } : {}),
  };
  const signed = signingKey === undefined ? unsigned : await signManifest(unsigned, signingKey);
  validate(signed, manifestUrl, args.values);
  const text = `${JSON.stringify(signed, null, 2)}\n`;

  if (toStdout) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(outFile, text);
  } catch (error) {
    throw fileError(error, out ?? relative(process.cwd(), outFile), 'write');
  }
  const every = [...files, ...builds.flatMap((build) => build.files)];
  const total = every.reduce((sum, file) => sum + file.bytes, 0);
  const count = every.length === 1 ? '1 file' : `${every.length} files`;
  const signedNote = signingKey === undefined ? '' : ', signed';
  process.stderr.write(`Wrote ${outFile} (${count}, ${formatBytes(total)}${signedNote})\n`);
}

/** `--variant NAME=FILE`, split; the name is checked with the rest of the manifest. */
function parseVariantFlag(flag: string): { name: string; file: string } {
  const match = /^([^=]+)=(.+)$/.exec(flag);
  if (!match)
    throw new UsageError(`--variant ${JSON.stringify(flag)} must be NAME=FILE, e.g. fp16=model_fp16.onnx`, manifestUsage);
  return { name: match[1] as string, file: match[2] as string };
}

/** One build of the model, its files hashed: what the manifest says of it. */
async function describeBuild(model: string, { outFile, out }: { outFile: string; out: string | undefined }) {
  const graph = await readOnnx(model);
  const modelDir = dirname(resolve(model));
  const planned: PlannedFile[] = [
    { file: resolve(model), role: 'model' },
    ...graph.externalData.map((location) => ({ file: resolve(modelDir, location), role: 'external-data' as const, location })),
  ];
  if (planned.some(({ file }) => file === outFile)) {
    throw new UsageError(`--out ${out} would overwrite a file the manifest describes`, manifestUsage);
  }
  await warnOfHugeFiles(planned);
  const files: ManifestFile[] = [];
  for (const entry of planned) files.push(await describeFile(entry, { model, outDir: dirname(outFile) }));
  return { files, inputs: graph.inputs, outputs: graph.outputs, precision: graph.precision, externalData: graph.externalData };
}

/** `--samples`, `--bins`, `--summarize` and `--confidence`, checked before any hashing. */
async function readMonitoringFlags(args: ParsedArgs): Promise<MonitoringRequest> {
  const file = stringFlag(args, 'samples');
  const binsFlag = stringFlag(args, 'bins');
  const summarize = listFlag(args, 'summarize');
  if (file === undefined && (binsFlag !== undefined || summarize.length > 0)) {
    throw new UsageError('--bins and --summarize shape the bins of --samples; give --samples FILE too', manifestUsage);
  }
  const bins = binsFlag === undefined ? undefined : Number(binsFlag);
  if (bins !== undefined && !(Number.isInteger(bins) && bins >= 2 && bins <= maxBins)) {
    throw new UsageError(`--bins must be a whole number from 2 to ${maxBins}, got ${binsFlag}`, manifestUsage);
  }
  return {
    samples: file === undefined ? undefined : { file, content: await readSamples(file) },
    bins,
    summarize,
    confidence: stringFlag(args, 'confidence'),
  };
}

/**
 * The size past which a file may not fit one buffer: webinfer hands each file to onnxruntime-web
 * whole, and not every browser (nor onnxruntime-web's 32-bit wasm heap) takes one of 2 GiB.
 */
export const singleBufferLimit = 2 ** 31 - 1;

/** Says, before minutes of hashing, which files are too large to load as they are, and what to do. */
async function warnOfHugeFiles(planned: readonly PlannedFile[]): Promise<void> {
  for (const { file } of planned) {
    const size = await stat(file).then(
      (info) => info.size,
      () => 0,
    );
    if (size <= singleBufferLimit) continue;
    process.stderr.write(
      `Warning: ${basename(file)} is ${formatBytes(size)}. webinfer hands each file to onnxruntime-web as one buffer, ` +
        'which not every browser can allocate past 2 GiB: save the weights as several external-data files of under ' +
        '2 GiB each (e.g. onnx.save_model(..., save_as_external_data=True, all_tensors_to_one_file=False)).\n',
    );
  }
}

/** Hashes one file (with a progress bar when it is large) into its manifest entry. */
async function describeFile(
  { file, role, location }: PlannedFile,
  { model, outDir }: { model: string; outDir: string },
): Promise<ManifestFile> {
  const label = `Hashing ${basename(file)}`;
  let progress: ReturnType<typeof createProgress> | undefined;
  let digest: Awaited<ReturnType<typeof hashFile>>;
  try {
    digest = await hashFile(file, {
      onProgress: (hashed, total) => {
        if (total < progressThresholdBytes) return;
        progress ??= createProgress(label, total);
        progress.update(hashed);
      },
    });
    progress?.finish();
  } catch (error) {
    const problem = fileError(error, file);
    if (location === undefined) throw problem;
    throw new CliError(`${model} references external data "${location}", which cannot be read: ${problem.message}`);
  }
  const url = relativeUrl(file, outDir);
  // The runtime hands external data to onnxruntime-web under `path`, which defaults to the URL's
  // last segment; it is written out only where the graph spells the location differently.
  const path = location !== undefined && location !== basename(file) ? { path: location } : {};
  return { url, role, bytes: digest.bytes, sha256: digest.sha256, ...path };
}

/** A valid manifest, but for the fields under test; it names no real file. */
const standIn: Manifest = {
  format: manifestFormat,
  id: 'model',
  version: defaultVersion,
  files: [{ url: 'model.onnx', role: 'model', bytes: 1, sha256: '0'.repeat(64) }],
  inputs: [],
  outputs: [],
};

/**
 * Runs a manifest through the very check `load` makes (`parseManifest`), so that no file is
 * written that the runtime would refuse. A bad `--id` or `--version` is the command line's fault.
 */
function validate(manifest: Manifest, manifestUrl: string, flags: Readonly<Record<string, unknown>>): void {
  try {
    parseManifest(JSON.stringify(manifest), manifestUrl);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    const field = String(error.details.field);
    if (field === 'variants') throw new UsageError('each --variant needs a name of its own', manifestUsage);
    if (/^variants\.\d+\.name$/.test(field)) {
      const { expected, actual } = error.details;
      throw new UsageError(`a --variant name must be ${expected}, got ${actual}`, manifestUsage);
    }
    if ((field === 'id' || field === 'version') && flags[field] !== undefined) {
      const { expected, actual } = error.details;
      throw new UsageError(
        `--${field} ${JSON.stringify(flags[field])} is refused by the manifest schema (must be ${expected}, got ${actual})`,
        manifestUsage,
      );
    }
    if (field.startsWith('transforms') && typeof flags.transforms === 'string') {
      const { expected, actual } = error.details;
      throw new CliError(`${flags.transforms} does not fit the model: field "${field}" must be ${expected}, got ${actual}`, {
        cause: error,
      });
    }
    throw new CliError(`the manifest would be refused by the runtime: ${error.message}`, { cause: error });
  }
}
