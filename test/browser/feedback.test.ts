import { afterAll, expect, test } from 'vitest';
import { type AnomalyEvent, createRuntime, type Predictions } from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { floatsOf } from '../support/browser/tensors.js';

/**
 * Ground truth learned after the fact: `model.feedback(result, truth)` feeds online accuracy (a
 * classifier) or absolute error (a regressor) into `rt.metrics()`, and a drop below what the
 * model scored offline is an `accuracy-drop` anomaly.
 */
const rt = createRuntime({ backends: ['wasm'], anomalies: { intervalMs: 0 } });
afterAll(() => rt.close());
const events: AnomalyEvent[] = [];
// Accuracy only: on a busy machine a latency spike may come too.
rt.on('anomaly', (event) => event.kind === 'accuracy-drop' && events.push(event));

const row = (age: number) => ({ age, hours: 20 + age, color: age % 2 ? 'red' : 'green' });
const x = (values: number[], rows = 1) => ({ x: { type: 'float32' as const, data: Float32Array.from(values), dims: [rows, 4] } });

test('a classifier: right and wrong labels make its accuracy; a fall below the expected one is an anomaly', async () => {
  const model = await rt.load(models.mlpTabularManifest, { feedback: { expected: { accuracy: 0.9 }, window: 20 } });
  expect(model.info.feedback).toEqual({ expected: { accuracy: 0.9 }, window: 20 });
  events.length = 0;
  for (let i = 0; i < 30; i++) {
    const { outputs, resultId } = await model.runDetailed({ x: row(i) });
    const top = (outputs.logits as Predictions).data[0]?.[0];
    const right = i < 12;
    // By id or by the outputs themselves; by label or by index.
    if (i % 2) model.feedback(resultId, right ? (top?.label as string) : 'nope');
    else model.feedback(outputs, right ? (top?.index as number) : 99);
    if (i === 13) expect(events).toEqual([]);
  }
  const [metrics] = rt.metrics().models;
  expect(metrics?.feedback).toMatchObject({ count: 30, correct: 12, accuracy: 0.4 });
  // The last 20 hold 2 right: the window fell under 0.85 once, as soon as 10 were in and it did.
  expect(events.map((e) => [e.kind, e.tensor])).toEqual([['accuracy-drop', 'logits']]);
  expect(events[0]?.details).toMatchObject({ expected: 0.9, tolerance: 0.05 });
  await model.dispose();
});

test('a regressor: absolute errors in the output’s units', async () => {
  const model = await rt.load(models.mlpManifest, { feedback: { task: 'regression', expected: { mae: 1 } } });
  for (let i = 0; i < 10; i++) {
    const out = await model.run(x([i, 1, 2, 3]));
    model.feedback(
      out,
      Array.from(floatsOf(out.logits), (y) => y + 0.5),
    );
  }
  const metrics = rt.metrics().models.find((m) => m.model === 'mlp');
  expect(metrics?.feedback.errors).toBe(30);
  expect(metrics?.feedback.meanAbsoluteError).toBeCloseTo(0.5, 5);
  expect(metrics?.histograms.absoluteError.count).toBe(30);
  await model.dispose();
});

test('bad feedback is refused by name; a result is judged once', async () => {
  const model = await rt.load(models.mlpTabularManifest, { feedback: {} });
  const { outputs, resultId } = await model.runDetailed({ x: [row(1), row(2)] });
  expect(() => model.feedback(resultId, 'low')).toThrow(expect.objectContaining({ name: 'InputError', code: 'truth-invalid' }));
  expect(() => model.feedback(resultId, [1.5 as never, {} as never])).toThrow(expect.objectContaining({ code: 'truth-invalid' }));
  model.feedback(outputs, ['low', 'high']);
  expect(() => model.feedback(resultId, ['low', 'high'])).toThrow(expect.objectContaining({ code: 'result-unknown' }));
  expect(() => model.feedback('nope', 1)).toThrow(expect.objectContaining({ name: 'InputError', code: 'result-unknown' }));
  await expect(rt.load(models.mlpManifest, { feedback: { task: 'guess' as never } })).rejects.toMatchObject({
    name: 'StateError',
    code: 'invalid-options',
    details: { option: 'feedback.task' },
  });
  const off = await rt.load(models.mlpManifest);
  const result = await off.runDetailed(x([1, 2, 3, 4]));
  expect(result.resultId).toMatch(/\w+-\d+/);
  expect(() => off.feedback(result.resultId, 1)).toThrow(/feedback is off for this model/);
});
