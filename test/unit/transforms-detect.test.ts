import { describe, expect, test } from 'vitest';
import { ctcGreedy } from '../../src/transforms/ctc.js';
import { iou, type NmsOptions, nms } from '../../src/transforms/detect.js';

const options: NmsOptions = {
  format: 'cxcywh',
  anchors: 'first',
  scoreThreshold: 0.25,
  iouThreshold: 0.45,
  maxDetections: 100,
  classAgnostic: false,
};
const tensor = (rows: number[][], dims: number[]) => ({ type: 'float32' as const, data: new Float32Array(rows.flat()), dims });

test('iou of two boxes, worked out', () => {
  // [0,0,2,2] and [1,1,3,3]: intersection 1, union 4 + 4 − 1 = 7.
  expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 9);
  expect(iou([0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
});

describe('nms', () => {
  // Anchors first: [cx, cy, w, h, score(cat), score(dog)] per anchor.
  const anchors = [
    [10, 10, 4, 4, 0.9, 0.1], // A: cat 0.9, box [8,8,12,12]
    [11, 10, 4, 4, 0.8, 0.05], // B: cat 0.8, overlaps A: inter 3·4 = 12, union 16 + 16 − 12 = 20 → 0.6 > 0.45, dropped
    [11, 10, 4, 4, 0.1, 0.7], // C: dog 0.7, same place as B, another class: kept
    [30, 30, 2, 2, 0.2, 0.1], // D: best 0.2 < 0.25: not a candidate
    [40, 40, 2, 2, 0.3, 0.3], // E: a tie between classes goes to the lower index (cat)
  ];

  test('per-class suppression, best first, boxes as corners', () => {
    const out = nms(tensor(anchors, [1, 5, 6]), { ...options, labels: ['cat', 'dog'] });
    expect(out.type).toBe('detections');
    expect(out.dims).toEqual([1, 3]);
    expect(out.data[0]?.map((d) => [d.label, d.box, Number(d.score.toFixed(2))])).toEqual([
      ['cat', [8, 8, 12, 12], 0.9],
      ['dog', [9, 8, 13, 12], 0.7],
      ['cat', [39, 39, 41, 41], 0.3],
    ]);
  });

  test('class-agnostic suppression drops the dog too; maxDetections caps the rest', () => {
    expect(nms(tensor(anchors, [1, 5, 6]), { ...options, classAgnostic: true }).data[0]?.map((d) => d.score.toFixed(1))).toEqual([
      '0.9',
      '0.3',
    ]);
    expect(nms(tensor(anchors, [1, 5, 6]), { ...options, maxDetections: 1 }).data[0]).toHaveLength(1);
  });

  test('anchors last ([1, 4 + classes, anchors], YOLOv8) and corner boxes read the same data', () => {
    const transposed = [0, 1, 2, 3, 4, 5].map((f) => anchors.map((a) => a[f] as number));
    const last = nms(tensor(transposed, [1, 6, 5]), { ...options, anchors: 'last' });
    expect(last.data).toEqual(nms(tensor(anchors, [1, 5, 6]), options).data);
    const corners = nms(tensor([[8, 8, 12, 12, 0.9, 0]], [1, 1, 6]), { ...options, format: 'xyxy' });
    expect(corners.data[0]?.[0]?.box).toEqual([8, 8, 12, 12]);
  });
});

describe('ctcGreedy', () => {
  // Classes: 0 blank, 1 "a", 2 "b". Steps pick 1 1 0 1 2 2 0 → "a" (repeat merged), blank, "a", "b" → "aab".
  const steps = [1, 1, 0, 1, 2, 2, 0].map((c) => [0, 1, 2].map((k) => (k === c ? 0.9 : 0.05)));

  test('repeats merge, blanks split them and drop out', () => {
    expect(ctcGreedy(tensor(steps, [1, 7, 3]), ['', 'a', 'b'], 0, false)).toEqual({ type: 'text', data: ['aab'], dims: [1] });
    expect(ctcGreedy(tensor(steps, [7, 3]), ['', 'a', 'b'], 0, false).data).toEqual(['aab']);
  });

  test('time first, two sequences interleaved', () => {
    const other = steps.map(() => [0.05, 0.05, 0.9]); // all "b" → "b"
    const interleaved = steps.flatMap((step, t) => [step, other[t] as number[]]);
    expect(ctcGreedy(tensor(interleaved, [7, 2, 3]), ['', 'a', 'b'], 0, true).data).toEqual(['aab', 'b']);
  });
});
