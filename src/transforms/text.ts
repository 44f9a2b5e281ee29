import { Tokenizer } from '@huggingface/tokenizers';
import { InputError } from '../errors.js';
import type { Tensor } from '../types.js';
import type { TextOp } from './schema.js';

const describe = (value: unknown) => Object.prototype.toString.call(value).slice(8, -1);

/**
 * A tokenizer.json (Hugging Face `tokenizers` format: WordPiece, BPE, Unigram, through
 * @huggingface/tokenizers) and the special tokens it puts around a sentence ([CLS] … [SEP] for
 * BERT, <s> … </s> for RoBERTa), found once by encoding a word with and without them.
 */
export class SentenceTokenizer {
  readonly #tokenizer: Tokenizer;
  readonly #prefix: readonly number[];
  readonly #suffix: readonly number[];

  constructor(json: unknown) {
    this.#tokenizer = new Tokenizer(json as object, {});
    const wrapped = this.#tokenizer.encode('x').ids;
    const plain = this.#tokenizer.encode('x', { add_special_tokens: false }).ids;
    const at = wrapped.findIndex((_, i) => plain.every((id, k) => wrapped[i + k] === id));
    this.#prefix = at < 0 ? [] : wrapped.slice(0, at);
    this.#suffix = at < 0 ? [] : wrapped.slice(at + plain.length);
  }

  /** A sentence's ids with its special tokens, at most `maxLength` of them: the text is cut, never the specials. */
  encode(sentence: string, maxLength: number): number[] {
    const room = Math.max(0, maxLength - this.#prefix.length - this.#suffix.length);
    const body = this.#tokenizer.encode(sentence, { add_special_tokens: false }).ids.slice(0, room);
    return [...this.#prefix, ...body, ...this.#suffix];
  }
}

/**
 * Sentences → token ids [batch, length], and the attention mask and token type ids under the
 * input names the op gives: truncated to `maxLength`, padded with 0 to `maxLength` or to the
 * longest sentence, as Hugging Face's tokenizers do with truncation and padding on.
 */
export function encodeText(input: string, op: TextOp, tokenizer: SentenceTokenizer, value: unknown): Record<string, Tensor> {
  const sentences = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(sentences) || sentences.length === 0 || !sentences.every((s) => typeof s === 'string')) {
    const actual = Array.isArray(sentences) && sentences.length === 0 ? 'an empty array' : describe(value);
    throw new InputError('input-invalid', `Input "${input}" must be a string or a non-empty array of strings, got ${actual}`, {
      details: { input, expected: 'string | string[]', actual },
    });
  }
  const encoded = sentences.map((sentence: string) => tokenizer.encode(sentence, op.maxLength));
  const length = op.padding === 'max-length' ? op.maxLength : Math.max(...encoded.map((ids) => ids.length));
  const make = (value: (ids: readonly number[], i: number) => number): Tensor => {
    const values = encoded.flatMap((ids) => Array.from({ length }, (_, i) => value(ids, i)));
    return op.type === 'int32'
      ? { type: 'int32', data: Int32Array.from(values), dims: [sentences.length, length] }
      : { type: 'int64', data: BigInt64Array.from(values, BigInt), dims: [sentences.length, length] };
  };
  const tensors: Record<string, Tensor> = { [input]: make((ids, i) => ids[i] ?? 0) };
  if (op.attentionMask) tensors[op.attentionMask] = make((ids, i) => (i < ids.length ? 1 : 0));
  if (op.tokenTypeIds) tensors[op.tokenTypeIds] = make(() => 0);
  return tensors;
}
