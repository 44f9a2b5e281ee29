/** The binary of a WebAssembly text file (SIMD on), validated. */
export function compileWat(path: string): Promise<Uint8Array>;
/** A TypeScript module exporting `bytes` as base64 (`wasmBase64`): how the worker bundle carries the binary. */
export function wasmModuleSource(bytes: Uint8Array, from: string): string;
