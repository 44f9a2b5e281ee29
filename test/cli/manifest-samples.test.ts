import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { fixtureCopy, runCli } from './support/cli.js';

const dir = fixtureCopy();
const write = (name: string, json: unknown) =>
  writeFileSync(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json));
const f32 = Math.fround;

/** 300 samples of add.onnx's `a` ([2, 3]: two rows [i, i + 1, i + 2]) and zeros for `b`. */
const addSamples = {
  inputs: {
    a: Array.from({ length: 300 }, (_, i) => [
      [i, i + 1, i + 2],
      [i, i + 1, i + 2],
    ]),
    b: Array.from({ length: 300 }, () => [
      [0, 0, 0],
      [0, 0, 0],
    ]),
  },
};

describe('webinfer manifest --samples', () => {
  test('runs the model on the inputs; ranges per column and bins for inputs and outputs; the runtime reads it back', async () => {
    write('add-samples.json', addSamples);
    const result = await runCli(['manifest', 'add.onnx', '--samples', 'add-samples.json', '--out', 'add-out.json'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).not.toContain('Warning');
    const text = readFileSync(join(dir, 'add-out.json'), 'utf8');
    const { monitoring } = parseManifest(text, pathToFileURL(join(dir, 'add-out.json')).href);
    // Columns over both rows of every sample: 0 … 299, 1 … 300, 2 … 301.
    const aRange = { min: [0, 1, 2], max: [299, 300, 301] };
    expect(monitoring?.ranges).toEqual({ a: aRange, b: { min: [0, 0, 0], max: [0, 0, 0] }, sum: aRange });
    const reference = monitoring?.drift?.reference;
    // sum = a + 0, as onnxruntime-web computed it: the same bins as a's.
    expect(reference?.sum).toEqual(reference?.a);
    expect(reference?.a?.features).toHaveLength(3);
    // 5 bins by default, at the quintiles of the 600 rows: a fifth of them in each.
    expect(reference?.a?.features[0]).toEqual({ edges: [60, 120, 180, 240], proportions: [0.2, 0.2, 0.2, 0.2, 0.2] });
    expect(reference?.a?.features[2]).toEqual({ edges: [62, 122, 182, 242], proportions: [0.2, 0.2, 0.2, 0.2, 0.2] });
    // A constant column: one edge at its value, everything in the bin from it up.
    expect(reference?.b?.features[0]).toEqual({ edges: [0], proportions: [0, 1] });
    expect(monitoring?.confidence).toBeUndefined();
  });

  test('--summarize bins each sample by its mean; --bins sets how many bins', async () => {
    write('add-samples.json', addSamples);
    const result = await runCli(
      ['manifest', 'add.onnx', '--samples', 'add-samples.json', '--summarize', 'a', '--bins', '3', '--out', '-'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const { monitoring } = JSON.parse(result.stdout);
    // Sample i of a averages i + 1: tertiles of 1 … 300 at 101 and 201.
    expect(monitoring.drift.reference.a).toEqual({
      sample: 'item-mean',
      features: [{ edges: [101, 201], proportions: [0.333333, 0.333333, 0.333333] }],
    });
    // One range for the whole tensor.
    expect(monitoring.ranges.a).toEqual({ min: 0, max: 301 });
    expect(monitoring.drift.reference.sum.features[0].proportions).toHaveLength(3);
  });

  test('outputs given are used as given; --confidence measures the unsure share after the softmax the transforms declare', async () => {
    // 150 sure rows and 50 that are sure as raw scores (top 1, margin 0.5) but not after a
    // softmax (0.46 top): the logits are made up, so the model cannot have been run.
    const logits = [...Array.from({ length: 150 }, () => [5, 0, 0]), ...Array.from({ length: 50 }, () => [1, 0.5, 0.4])];
    write('mlp-samples.json', { inputs: { x: logits.map((_, i) => [i, 0, 1, 0]) }, outputs: { logits } });
    write('softmax.json', { outputs: { logits: [{ op: 'softmax' }] } });
    const args = ['manifest', 'mlp.onnx', '--samples', 'mlp-samples.json', '--confidence', 'logits', '--out', '-'];
    const raw = await runCli(args, { cwd: dir });
    expect(raw.code).toBe(0);
    const softmaxed = await runCli([...args, '--transforms', 'softmax.json'], { cwd: dir });
    expect(softmaxed.code).toBe(0);
    // (unsure + 1) / (rows + 2): 1/202 without the softmax, 51/202 with it.
    expect(JSON.parse(raw.stdout).monitoring.confidence).toEqual({ output: 'logits', expected: 0.005 });
    const { monitoring } = JSON.parse(softmaxed.stdout);
    expect(monitoring.confidence).toEqual({ output: 'logits', expected: 0.2525 });
    expect(monitoring.ranges.logits).toEqual({ min: [1, 0, 0], max: [5, 0.5, f32(0.4)] });
    expect(monitoring.ranges.x).toEqual({ min: [0, 0, 1, 0], max: [199, 0, 1, 0] });
  });

  test('few samples: written, with a warning', async () => {
    write('few.json', { inputs: { x: [[1, 2, 3, 4]] }, outputs: { logits: [[1, 2, 3]] } });
    const result = await runCli(['manifest', 'mlp.onnx', '--samples', 'few.json', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: few.json has 1 samples');
  });

  test('--confidence without samples names the output to watch', async () => {
    const result = await runCli(['manifest', 'mlp.onnx', '--confidence', 'logits', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).monitoring).toEqual({ confidence: { output: 'logits' } });
  });

  test.each([
    ['not JSON', '{"inputs":', [], 1, 'bad.json is not JSON'],
    ['no inputs field', { outputs: {} }, [], 1, 'bad.json: field "inputs" must be'],
    [
      'a name the model lacks',
      { inputs: { y: [1] } },
      [],
      1,
      `bad.json: field "inputs.y" must be one of the model's inputs (x), got y`,
    ],
    [
      'a string among the values',
      { inputs: { x: [[1, 2, 'a', 4]] } },
      [],
      1,
      'bad.json: field "inputs.x.0.2" must be a number, null or an array',
    ],
    [
      'rows of another width',
      { inputs: { x: [[1, 2, 3]] } },
      [],
      1,
      `sample 0 of "x" has shape [3]; the model's input takes [batch,4]`,
    ],
    [
      '--summarize of a name not sampled',
      { inputs: { x: [[1, 2, 3, 4]] } },
      ['--summarize', 'z'],
      1,
      '--summarize z: bad.json has no samples of "z"',
    ],
    [
      '--confidence of an output the model lacks',
      { inputs: { x: [[1, 2, 3, 4]] } },
      ['--confidence', 'p'],
      1,
      '--confidence p: the model has no output of that name (logits)',
    ],
    ['one bin', { inputs: { x: [[1, 2, 3, 4]] } }, ['--bins', '1'], 2, '--bins must be a whole number from 2 to 256, got 1'],
  ])('%s fails, saying where', async (_, json, flags, code, message) => {
    write('bad.json', json);
    const result = await runCli(['manifest', 'mlp.onnx', '--samples', 'bad.json', ...flags, '--out', '-'], { cwd: dir });
    expect(result).toMatchObject({ code, stdout: '' });
    expect(result.stderr).toContain(message);
  });

  test('--bins or --summarize without --samples is a usage error', async () => {
    for (const flags of [
      ['--bins', '5'],
      ['--summarize', 'x'],
    ]) {
      const result = await runCli(['manifest', 'mlp.onnx', ...flags, '--out', '-'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('give --samples FILE too');
    }
  });
});

test('the help documents the samples format', async () => {
  const result = await runCli(['manifest', '--help'], { cwd: dir });
  expect(result.stdout).toContain('--samples FILE');
  expect(result.stdout).toContain('{ "inputs":  { NAME: [sample, ...] },');
});
