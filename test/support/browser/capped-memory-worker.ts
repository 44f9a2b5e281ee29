/**
 * webinfer's worker whose WebAssembly memories may grow only 8 MiB past their initial size (a
 * test-only cap; started by `hookableWorkers({ cappedMemory: true })`): a
 * model of a megabyte is then too large for onnxruntime-web to make a session of, as a model
 * past 4 GiB is for a real worker, without writing gigabytes (RELIABILITY.md 24, out of memory
 * on session create).
 */
import './cap-wasm-memory.js';
import '../../../src/worker/worker.js';
