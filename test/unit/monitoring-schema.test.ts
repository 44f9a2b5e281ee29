import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { ManifestError } from '../../src/errors.js';

const url = 'https://example.test/models/mlp/manifest.json';
const withMonitoring = (monitoring: unknown) =>
  JSON.stringify({
    format: 'webinfer/manifest@1',
    id: 'mlp',
    version: '1.0.0',
    files: [{ url: 'mlp.onnx', role: 'model', bytes: 523, sha256: 'a'.repeat(64) }],
    inputs: [{ name: 'x', type: 'float32', dims: ['batch', 2] }],
    outputs: [{ name: 'logits', type: 'float32', dims: ['batch', 3] }],
    monitoring,
  });

const bins = (feature: object = {}) => ({ edges: [-1, 0, 1], proportions: [0.1, 0.4, 0.4, 0.1], ...feature });
const drift = (reference: object, options: object = {}) => ({ drift: { ...options, reference: { x: reference } } });

function refusal(monitoring: unknown): ManifestError {
  try {
    parseManifest(withMonitoring(monitoring), url);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('parseManifest accepted a bad monitoring section');
}

describe('the monitoring section', () => {
  test('reference bins, per-column ranges and the confidence window load as written', () => {
    const monitoring = {
      ranges: { x: { min: [18, -3], max: [95, 3] }, logits: { min: -20, max: 20 } },
      drift: {
        window: 300,
        minSamples: 150,
        measure: 'js',
        warn: 0.02,
        alarm: 0.05,
        reference: {
          x: { features: [bins({ name: 'age' }), { edges: [0], proportions: [30, 70] }] },
          logits: { sample: 'item-mean', features: [bins()] },
        },
      },
      confidence: { output: 'logits', window: 500, expected: 0.08 },
    };
    expect(parseManifest(withMonitoring(monitoring), url).monitoring).toEqual(monitoring);
  });

  test.each([
    ['edges out of order', drift({ features: [bins({ edges: [0, -1, 1] })] }), 'monitoring.drift.reference.x.features.0.edges'],
    ['no edge at all', drift({ features: [{ edges: [], proportions: [1] }] }), 'monitoring.drift.reference.x.features.0.edges'],
    [
      'one proportion too few',
      drift({ features: [bins({ proportions: [0.5, 0.5, 0] })] }),
      'monitoring.drift.reference.x.features.0.proportions',
    ],
    [
      'a negative proportion',
      drift({ features: [bins({ proportions: [0.5, -0.1, 0.5, 0.1] })] }),
      'monitoring.drift.reference.x.features.0.proportions.1',
    ],
    [
      'proportions all 0',
      drift({ features: [bins({ proportions: [0, 0, 0, 0] })] }),
      'monitoring.drift.reference.x.features.0.proportions',
    ],
    [
      'a string for an edge',
      drift({ features: [bins({ edges: [-1, '0', 1] })] }),
      'monitoring.drift.reference.x.features.0.edges.1',
    ],
    ['an unknown sample kind', drift({ sample: 'pixel', features: [bins()] }), 'monitoring.drift.reference.x.sample'],
    [
      'item-mean with two features',
      drift({ sample: 'item-mean', features: [bins(), bins()] }),
      'monitoring.drift.reference.x.features',
    ],
    ['no features', drift({ features: [] }), 'monitoring.drift.reference.x.features'],
    ['a window shorter than minSamples', drift({ features: [bins()] }, { window: 50 }), 'monitoring.drift.window'],
    ['alarm under warn', drift({ features: [bins()] }, { warn: 0.3 }), 'monitoring.drift.alarm'],
    ['an unknown measure', drift({ features: [bins()] }, { measure: 'kl' }), 'monitoring.drift.measure'],
    ['a per-column max under its min', { ranges: { x: { min: [0, 0], max: [1, -1] } } }, 'monitoring.ranges.x.max'],
    ['an expected share over 1', { confidence: { output: 'logits', expected: 1.5 } }, 'monitoring.confidence.expected'],
    ['a confidence window of 0 rows', { confidence: { output: 'logits', window: 0 } }, 'monitoring.confidence.window'],
  ])('%s is refused, naming the field', (_, monitoring, field) => {
    const error = refusal(monitoring);
    expect(error.code).toBe('manifest-invalid');
    expect(error.details).toMatchObject({ url, field });
    expect(error.message).toContain(`field "${field}"`);
  });

  test('a check across fields says what it found', () => {
    expect(refusal(drift({ features: [bins({ proportions: [0.5, 0.5] })] })).details).toMatchObject({
      field: 'monitoring.drift.reference.x.features.0.proportions',
      expected: 'one proportion per bin (one more than there are edges)',
      actual: '2 proportions for 3 edges',
    });
    expect(refusal(drift({ features: [bins({ edges: [0, 0], proportions: [1, 1, 1] })] })).details).toMatchObject({
      actual: '0 after 0 (edge 1)',
    });
    expect(refusal({ ranges: { x: { min: [0, 0], max: [1] } } }).details).toMatchObject({ actual: '1 max for 2 min' });
  });
});
