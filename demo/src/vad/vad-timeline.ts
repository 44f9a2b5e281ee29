import { cssColor, onColorSchemeChange } from '../lib/css-color.js';
import type { Segment } from './speech-segments.js';

/** What the timeline shows: the clip's waveform and, once run, the model's verdict per frame. */
export interface TimelineData {
  readonly samples: Float32Array;
  readonly seconds: number;
  readonly result?: {
    readonly probabilities: Float32Array;
    readonly frameSeconds: number;
    readonly segments: readonly Segment[];
  };
}

const axisHeight = 20;

/**
 * The VAD panel's canvas: the waveform, the speech probability of each frame as a line over
 * it, the 0.5 threshold, and the speech segments shaded. Redrawn at the canvas's CSS size (sharp
 * on high-DPI screens), on resize and when the colour scheme changes.
 */
export class Timeline {
  readonly #canvas: HTMLCanvasElement;
  #data: TimelineData | undefined;

  constructor(canvas: HTMLCanvasElement) {
    this.#canvas = canvas;
    new ResizeObserver(() => this.#draw()).observe(canvas);
    onColorSchemeChange(() => this.#draw());
  }

  show(data: TimelineData | undefined): void {
    this.#data = data;
    this.#draw();
  }

  #draw(): void {
    const canvas = this.#canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = width / ratio;
    const h = height / ratio;
    context.clearRect(0, 0, w, h);
    const data = this.#data;
    if (!data || data.seconds <= 0) return;
    const plot = h - axisHeight;
    const x = (seconds: number) => (seconds / data.seconds) * w;

    context.fillStyle = cssColor('--speech');
    for (const { start, end } of data.result?.segments ?? []) context.fillRect(x(start), 0, x(end) - x(start), plot);

    drawWaveform(context, data.samples, w, plot);
    drawAxis(context, data.seconds, w, plot);
    if (!data.result) return;

    context.strokeStyle = cssColor('--text-muted');
    context.setLineDash([4, 4]);
    context.beginPath();
    context.moveTo(0, plot / 2);
    context.lineTo(w, plot / 2);
    context.stroke();
    context.setLineDash([]);

    const { probabilities, frameSeconds } = data.result;
    context.strokeStyle = cssColor('--accent');
    context.lineWidth = 2;
    context.beginPath();
    probabilities.forEach((p, frame) => {
      const at = x((frame + 0.5) * frameSeconds);
      const y = plot - p * (plot - 4) - 2;
      if (frame === 0) context.moveTo(at, y);
      else context.lineTo(at, y);
    });
    context.stroke();
    context.lineWidth = 1;
  }
}

/** The clip's peak level per pixel column, mirrored around the middle. */
function drawWaveform(context: CanvasRenderingContext2D, samples: Float32Array, w: number, plot: number): void {
  context.fillStyle = cssColor('--wave');
  const perColumn = samples.length / w;
  for (let column = 0; column < w; column++) {
    let peak = 0;
    const end = Math.min(samples.length, Math.floor((column + 1) * perColumn));
    for (let i = Math.floor(column * perColumn); i < end; i++) peak = Math.max(peak, Math.abs(samples[i] as number));
    const half = Math.max(0.5, peak * (plot / 2 - 2));
    context.fillRect(column, plot / 2 - half, 1, half * 2);
  }
}

/** Seconds along the bottom, a tick every 1, 2, 5 or 10 s depending on the clip's length. */
function drawAxis(context: CanvasRenderingContext2D, seconds: number, w: number, plot: number): void {
  const step = [1, 2, 5, 10, 30, 60].find((s) => seconds / s <= 10) ?? 120;
  context.fillStyle = cssColor('--text-muted');
  context.strokeStyle = cssColor('--chart-grid');
  context.font = '11px system-ui, sans-serif';
  context.textBaseline = 'top';
  for (let t = 0; t <= seconds; t += step) {
    const at = (t / seconds) * w;
    context.beginPath();
    context.moveTo(at, 0);
    context.lineTo(at, plot);
    context.stroke();
    context.textAlign = t === 0 ? 'left' : 'center';
    context.fillText(`${t} s`, at + (t === 0 ? 2 : 0), plot + 4);
  }
}
