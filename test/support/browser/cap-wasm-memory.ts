/**
 * Caps every WebAssembly memory made from now on in this thread to 8 MiB past its initial size.
 * Imported first by ./capped-memory-worker.ts, before onnxruntime-web makes its memory.
 */
const headroomPages = (8 * 2 ** 20) / 65_536;

WebAssembly.Memory = class CappedMemory extends WebAssembly.Memory {
  constructor(descriptor: WebAssembly.MemoryDescriptor) {
    const maximum = Math.min(descriptor.maximum ?? Number.POSITIVE_INFINITY, descriptor.initial + headroomPages);
    super({ ...descriptor, maximum });
  }
};
