import { InputError } from '../errors.js';
import type { Feeds, Inputs, TensorInfo, TensorType } from '../types.js';

/**
 * The array class each element type needs, by its `Symbol.toStringTag`: a tag check works on
 * arrays from another realm, where `instanceof` does not.
 */
const arrayTags: Readonly<Record<TensorType, readonly string[]>> = {
  float32: ['Float32Array'],
  // onnxruntime-web takes float16 as raw bits in a Uint16Array, or as a Float16Array.
  float16: ['Uint16Array', 'Float16Array'],
  float64: ['Float64Array'],
  int8: ['Int8Array'],
  uint8: ['Uint8Array'],
  int16: ['Int16Array'],
  uint16: ['Uint16Array'],
  int32: ['Int32Array'],
  uint32: ['Uint32Array'],
  int64: ['BigInt64Array'],
  uint64: ['BigUint64Array'],
  bool: ['Uint8Array'],
  string: ['Array'],
};

/** True when `type` names an element type webinfer can feed. */
export function isTensorType(type: unknown): type is TensorType {
  return typeof type === 'string' && Object.hasOwn(arrayTags, type);
}

function tagOf(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Formats a shape for messages: `[1, "batch", 4]`. */
export function formatDims(dims: readonly (number | string)[]): string {
  return `[${dims.map((d) => (typeof d === 'string' ? JSON.stringify(d) : String(d))).join(', ')}]`;
}

function isDetached(data: ArrayBufferView): boolean {
  const buffer = data.buffer as ArrayBuffer & { detached?: boolean };
  // `ArrayBuffer.prototype.detached` (ES2024); before it, a detached buffer reads as zero bytes.
  return buffer.detached ?? (buffer.byteLength === 0 && data.byteLength === 0);
}

/**
 * Checks feeds against the model's declared inputs before onnxruntime-web sees them, so a bad
 * call gets an `InputError` naming the input, the expected and the actual value instead of an
 * opaque failure inside wasm. Symbolic dimensions accept any size but must agree across inputs.
 * Inputs named in `raw` hold values for preprocessing: only their presence is checked here;
 * those in `provided` (constants, recurrent state) the runtime feeds when they are left out.
 */
export function validateFeeds(
  feeds: Feeds | Inputs,
  inputs: readonly TensorInfo[],
  { raw = new Set(), provided = [] }: { raw?: ReadonlySet<string>; provided?: readonly string[] } = {},
): void {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) {
    throw new InputError('input-invalid', `Feeds must be an object of tensors by input name, got ${tagOf(feeds)}`, {
      details: { expected: 'object', actual: tagOf(feeds) },
    });
  }
  const declared = new Map(inputs.map((info) => [info.name, info]));
  const expectedNames = inputs.map((info) => info.name);
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) {
      throw new InputError('input-unknown', `Unknown input "${name}"; the model takes ${JSON.stringify(expectedNames)}`, {
        details: { input: name, expected: expectedNames, actual: name },
      });
    }
  }
  const symbols = new Map<string, { size: number; input: string }>();
  for (const info of inputs) {
    const tensor = feeds[info.name];
    if (tensor === undefined && provided.includes(info.name)) continue;
    if (tensor === undefined) {
      throw new InputError('input-missing', `Missing input "${info.name}"; the model takes ${JSON.stringify(expectedNames)}`, {
        details: { input: info.name, expected: expectedNames, actual: Object.keys(feeds) },
      });
    }
    if (!raw.has(info.name)) checkTensor(info, tensor, symbols);
  }
}

function checkTensor(info: TensorInfo, tensor: unknown, symbols: Map<string, { size: number; input: string }>): void {
  const input = info.name;
  if (typeof tensor !== 'object' || tensor === null) {
    throw new InputError('input-invalid', `Input "${input}" must be { type, data, dims }, got ${tagOf(tensor)}`, {
      details: { input, expected: '{ type, data, dims }', actual: tagOf(tensor) },
    });
  }
  const { type, data, dims } = tensor as { type?: unknown; data?: unknown; dims?: unknown };
  if (!isTensorType(type)) {
    throw new InputError('input-dtype', `Input "${input}" has unknown type ${JSON.stringify(type)}`, {
      details: { input, expected: info.type, actual: String(type) },
    });
  }
  if (info.type !== 'unknown' && type !== info.type) {
    throw new InputError('input-dtype', `Input "${input}" must be ${info.type}, got ${type}`, {
      details: { input, expected: info.type, actual: type },
    });
  }
  const tag = tagOf(data);
  const allowed = arrayTags[type];
  if (!allowed.includes(tag)) {
    throw new InputError('input-dtype', `Input "${input}" of type ${type} needs data in a ${allowed.join(' or ')}, got ${tag}`, {
      details: { input, expected: allowed.join(' | '), actual: tag },
    });
  }
  if (ArrayBuffer.isView(data) && isDetached(data)) {
    throw new InputError(
      'input-detached',
      `Input "${input}" has a detached buffer: it was transferred by an earlier call. Pass { keepInputs: true } to run() to keep inputs usable`,
      { details: { input, expected: 'attached buffer', actual: 'detached buffer' } },
    );
  }
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InputError('input-shape', `Input "${input}" needs dims as an array of non-negative integers`, {
      details: { input, expected: 'non-negative integers', actual: JSON.stringify(dims) ?? String(dims) },
    });
  }
  const length = (data as ArrayLike<unknown>).length;
  const elements = dims.reduce((n: number, d: number) => n * d, 1);
  if (elements !== length) {
    throw new InputError(
      'input-shape',
      `Input "${input}" has dims ${formatDims(dims)} (${elements} elements) but ${length} values`,
      {
        details: { input, expected: elements, actual: length },
      },
    );
  }
  checkDeclaredShape(info, dims, symbols);
}

function checkDeclaredShape(
  info: TensorInfo,
  dims: readonly number[],
  symbols: Map<string, { size: number; input: string }>,
): void {
  // onnxruntime-web reports an undeclared shape as [], the same as a scalar: check neither.
  if (info.dims === null || info.dims.length === 0) return;
  const fail = (why: string) =>
    new InputError(
      'input-shape',
      `Input "${info.name}" must have shape ${formatDims(info.dims ?? [])}, got ${formatDims(dims)}${why}`,
      {
        details: { input: info.name, expected: formatDims(info.dims ?? []), actual: formatDims(dims) },
      },
    );
  if (dims.length !== info.dims.length) throw fail('');
  info.dims.forEach((want, axis) => {
    const got = dims[axis] as number;
    if (typeof want === 'number') {
      // A negative or zero declared size means "unknown" in some exporters.
      if (want > 0 && got !== want) throw fail('');
      return;
    }
    const seen = symbols.get(want);
    if (seen && seen.size !== got) {
      throw fail(` ("${want}" is ${seen.size} in input "${seen.input}")`);
    }
    symbols.set(want, { size: got, input: info.name });
  });
}
