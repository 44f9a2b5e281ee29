import type { Detection, Detections, Tensor } from '../types.js';

type Scores = Extract<Tensor, { type: 'float32' | 'float64' }>;

/** How a detector lays out its output and which boxes to keep (see the `nms` op in schema.ts). */
export interface NmsOptions {
  /** Box coordinates: centre, width, height (YOLO) or corners. */
  readonly format: 'cxcywh' | 'xyxy';
  /** `[rows, 4 + classes, anchors]` (YOLOv8's output) or `[rows, anchors, 4 + classes]`. */
  readonly anchors: 'last' | 'first';
  readonly scoreThreshold: number;
  readonly iouThreshold: number;
  readonly maxDetections: number;
  /** Suppress overlaps across classes too (default: only within a class). */
  readonly classAgnostic: boolean;
  readonly labels?: readonly string[] | undefined;
}

/** Intersection over union of two [x1, y1, x2, y2] boxes. */
export function iou(a: readonly number[], b: readonly number[]): number {
  const [ax1, ay1, ax2, ay2] = a as [number, number, number, number];
  const [bx1, by1, bx2, by2] = b as [number, number, number, number];
  const w = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
  const h = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  const inter = w * h;
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Boxes from a detector's output: per row, each anchor's best class above `scoreThreshold`,
 * then greedy non-maximum suppression (highest score first; a box overlapping a kept one of the
 * same class by more than `iouThreshold` is dropped), at most `maxDetections`, boxes as corners.
 */
export function nms(tensor: Scores, options: NmsOptions): Detections {
  const [rows = 1, a = 0, b = 0] = tensor.dims.length === 3 ? tensor.dims : [1, ...tensor.dims];
  const [features, anchors] = options.anchors === 'last' ? [a, b] : [b, a];
  const classes = features - 4;
  const at = (row: number, anchor: number, feature: number) =>
    tensor.data[
      options.anchors === 'last' ? (row * features + feature) * anchors + anchor : (row * anchors + anchor) * features + feature
    ] as number;
  const data: Detection[][] = [];
  for (let row = 0; row < rows; row++) {
    const candidates: Detection[] = [];
    for (let anchor = 0; anchor < anchors; anchor++) {
      let best = -1;
      let score = options.scoreThreshold;
      for (let c = 0; c < classes; c++) {
        const s = at(row, anchor, 4 + c);
        if (s >= score && (best < 0 || s > score)) [best, score] = [c, s];
      }
      if (best < 0) continue;
      const [p, q, r, s] = [0, 1, 2, 3].map((f) => at(row, anchor, f)) as [number, number, number, number];
      const box = options.format === 'cxcywh' ? [p - r / 2, q - s / 2, p + r / 2, q + s / 2] : [p, q, r, s];
      const label = options.labels?.[best];
      candidates.push({ box, score, index: best, ...(label === undefined ? {} : { label }) });
    }
    candidates.sort((x, y) => y.score - x.score);
    const kept: Detection[] = [];
    for (const candidate of candidates) {
      if (kept.length >= options.maxDetections) break;
      const overlaps = kept.some(
        (other) =>
          (options.classAgnostic || other.index === candidate.index) && iou(other.box, candidate.box) > options.iouThreshold,
      );
      if (!overlaps) kept.push(candidate);
    }
    data.push(kept);
  }
  return { type: 'detections', data, dims: [rows, data.reduce((n, d) => Math.max(n, d.length), 0)] };
}
