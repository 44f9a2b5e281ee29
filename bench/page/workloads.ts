/** The two benchmark models and how to make each call's inputs. */
import type { Feeds } from 'webinfer';
import vadUrl from '../../node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import heavyUrl from '../../test/fixtures/models/heavy.onnx?url';
import type { ModelName } from '../shared/protocol.js';

/** The previous call's outputs, from webinfer or onnxruntime-web (both have `data`). */
export type Previous = Readonly<Record<string, { readonly data: unknown }>> | undefined;

export interface Workload {
  readonly url: string;
  /** Fresh inputs for the next call; buffers are new each time, since webinfer transfers them. */
  feeds(previous: Previous): Feeds;
}

const vadStateSize = 2 * 1 * 128;
let phase = 0;

/** 512 samples (32 ms at 16 kHz) of a tone plus noise, continuing the previous frame's phase. */
function audioFrame(): Float32Array {
  const frame = new Float32Array(512);
  for (let i = 0; i < frame.length; i++, phase++) frame[i] = 0.3 * Math.sin(phase * 0.06) + 0.05 * (Math.random() - 0.5);
  return frame;
}

/** Silero VAD v5, carrying its recurrent state (`stateN`) into the next call's `state`. */
const vad: Workload = {
  url: vadUrl,
  feeds(previous) {
    const carried = previous?.stateN?.data;
    return {
      input: { type: 'float32', data: audioFrame(), dims: [1, 512] },
      state: {
        type: 'float32',
        data: carried instanceof Float32Array ? carried : new Float32Array(vadStateSize),
        dims: [2, 1, 128],
      },
      sr: { type: 'int64', data: BigInt64Array.of(16000n), dims: [] },
    };
  },
};

/** The synthetic 256-layer MLP fixture (~2 ms per run on one wasm thread). */
const heavy: Workload = {
  url: heavyUrl,
  feeds() {
    return { x: { type: 'float32', data: Float32Array.from({ length: 256 }, () => Math.random() - 0.5), dims: [1, 256] } };
  },
};

export const workloads: Record<ModelName, Workload> = { vad, heavy };

/** Runs `run` `count` times in sequence, carrying outputs forward; returns each call's milliseconds. */
export async function timeCalls(
  count: number,
  workload: Workload,
  run: (feeds: Feeds) => Promise<NonNullable<Previous>>,
): Promise<number[]> {
  const times: number[] = [];
  let previous: Previous;
  for (let i = 0; i < count; i++) {
    const feeds = workload.feeds(previous);
    const started = performance.now();
    previous = await run(feeds);
    times.push(performance.now() - started);
  }
  return times;
}
