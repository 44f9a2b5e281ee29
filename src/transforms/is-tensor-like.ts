import { isTensorType } from '../session/validate-feeds.js';
import type { Tensor } from '../types.js';

/** A value in the shape of a tensor (`{ type, data, dims }`): fed as it is, never preprocessed. */
export function isTensorLike(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const { type, data, dims } = value as { type?: unknown; data?: unknown; dims?: unknown };
  return isTensorType(type) && (ArrayBuffer.isView(data) || Array.isArray(data)) && Array.isArray(dims);
}
