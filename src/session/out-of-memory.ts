import { ModelError } from '../errors.js';

/**
 * How running out of memory surfaces from onnxruntime-web's wasm build: the C++ side's
 * `std::bad_alloc` (ERROR_CODE 6, seen here at 4 GiB), its own "failed to allocate a buffer"
 * when copying a model in, V8's refusals to grow a `WebAssembly.Memory` or an `ArrayBuffer`, and
 * Emscripten's OOM abort.
 */
const outOfMemory =
  /bad_alloc|out of memory|failed to allocate|Array buffer allocation failed|Memory\.grow|Cannot enlarge memory|Aborted\(OOM\)/i;

/** Whether `error` says memory ran out (RELIABILITY.md 24). */
export function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return outOfMemory.test(message);
}

/**
 * The error to report when memory ran out while `doing` (creating the session, running it): wasm
 * memory is capped at 4 GiB and never shrinks, so the runtime moves its models to a fresh worker.
 */
export function outOfMemoryError(doing: string, cause: unknown, details: Record<string, string | number>): ModelError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ModelError(
    'out-of-memory',
    `onnxruntime-web ran out of memory ${doing} (${reason}); a wasm worker holds at most 4 GiB and its memory never shrinks, so the model's worker is replaced`,
    { cause, details },
  );
}
