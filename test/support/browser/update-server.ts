import { inject } from 'vitest';
import type { Manifest } from '../../../src/artifacts/manifest-schema.js';
import mlpFixture from '../../fixtures/models/mlp.manifest.json';
import mlpExternalFixture from '../../fixtures/models/mlp-external.manifest.json';
import type { UpdateLogEntry } from '../update-log.js';

/**
 * The browser side of the server whose manifest changes during a test
 * (test/support/node/update-server.ts), and manifests of two versions of one model for it.
 */

export interface UpdateScenario {
  /** `<server>/u/<id>/manifest.json`: what `rt.load` is given. */
  readonly manifestUrl: string;
  /** `<server>/u/<id>/`: relative file URLs in the manifest resolve here. */
  readonly baseUrl: string;
  /** Serves `manifest` from now on: an object as JSON, a string as the exact text. */
  setManifest(manifest: object | string): Promise<void>;
  /** Every request of this scenario so far. */
  log(): Promise<UpdateLogEntry[]>;
  /** How many times a file (`file`, or any but the manifest) was sent whole (200). */
  downloads(file?: string): Promise<number>;
  /** Every later file response waits `ms` before it starts (0: none). */
  delay(ms: number): Promise<void>;
  /** Every later manifest response waits `ms` (0: none). */
  manifestDelay(ms: number): Promise<void>;
  /** Off the network: every later request of this scenario gets its connection dropped. */
  down(): Promise<void>;
  /** Back on the network. */
  up(): Promise<void>;
}

let nextId = 0;

/**
 * A scenario of its own on the update server: a manifest URL no other test shares.
 * @example
 * const at = updateScenario();
 * await at.setManifest(await mlpManifest('1.0.0'));
 * const model = await rt.load(at.manifestUrl);
 * await at.setManifest(await mlpExternalManifest('2.0.0'));
 * expect(await at.downloads('mlp-labels.txt')).toBe(1);
 */
export function updateScenario(): UpdateScenario {
  const server = inject('updateServer');
  const id = `u${Date.now()}-${nextId++}`;
  const baseUrl = `${server}/u/${id}/`;
  const post = async (path: string, body?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body, headers: { 'Content-Type': 'application/json' } }),
    });
    if (response.status !== 204) throw new Error(`POST ${baseUrl}${path} answered ${response.status}, expected 204`);
  };
  const log = async () => (await (await fetch(`${server}/log/${id}`)).json()) as UpdateLogEntry[];
  return {
    manifestUrl: `${baseUrl}manifest.json`,
    baseUrl,
    setManifest: (manifest) => post('manifest', typeof manifest === 'string' ? manifest : JSON.stringify(manifest)),
    log,
    downloads: async (file) =>
      (await log()).filter((e) => e.status === 200 && e.path !== 'manifest.json' && (file === undefined || e.path === file))
        .length,
    delay: (ms) => post(`delay/${ms}`),
    manifestDelay: (ms) => post(`manifest-delay/${ms}`),
    down: () => post('down'),
    up: () => post('up'),
  };
}

const described = new Map<string, Promise<{ bytes: number; sha256: string }>>();

/** A file's size and SHA-256 as the update server serves it. */
function describe(file: string): Promise<{ bytes: number; sha256: string }> {
  const found = described.get(file);
  if (found) return found;
  const asked = fetch(`${inject('updateServer')}/describe/${file}`).then(async (response) => {
    if (!response.ok) throw new Error(`${file}: the update server answered ${response.status}`);
    return (await response.json()) as { bytes: number; sha256: string };
  });
  described.set(file, asked);
  return asked;
}

/** The id both versions share: two versions of one model. */
const updateModelId = 'mlp-update';

/** mlp-labels.txt as a `labels` file: the same in both versions, so an update leaves it where it is. */
async function labelsFile(): Promise<Manifest['files'][number]> {
  return { url: 'mlp-labels.txt', role: 'labels', ...(await describe('mlp-labels.txt')) };
}

/**
 * Version `version` of model "mlp-update" as mlp.onnx, with mlp-labels.txt; file URLs relative,
 * for a scenario's `manifestUrl`. `extra` is laid over the top level.
 * @example
 * await at.setManifest(await mlpManifest('1.0.0', { transforms: { outputs: { logits: [{ op: 'argmax' }] } } }));
 */
export async function mlpManifest(version: string, extra: Partial<Manifest> = {}): Promise<Manifest> {
  const fixture = mlpFixture as Manifest;
  return { ...fixture, id: updateModelId, version, files: [...fixture.files, await labelsFile()], ...extra };
}

/**
 * Version `version` of model "mlp-update" as mlp-external.onnx with its weights in an
 * external-data file, and the same labels file as `mlpManifest`. Its weights are mlp.onnx's
 * negated (`mlp-external-negated.weights`, which the server makes), so its logits differ from
 * `mlpManifest`'s: a result tells which version computed it.
 */
export async function mlpExternalManifest(version: string, extra: Partial<Manifest> = {}): Promise<Manifest> {
  const fixture = mlpExternalFixture as Manifest;
  const graph = fixture.files.filter((file) => file.role === 'model');
  const weights: Manifest['files'][number] = {
    url: 'mlp-external-negated.weights',
    role: 'external-data',
    path: 'mlp-external.weights',
    ...(await describe('mlp-external-negated.weights')),
  };
  return { ...fixture, id: updateModelId, version, files: [...graph, weights, await labelsFile()], ...extra };
}
