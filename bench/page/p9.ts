/**
 * P9', image preprocessing: a 1920×1080 RGBA image → 224×224 ImageNet-normalized NCHW float32,
 * through webinfer's worker (the pixels transferred, resized as Pillow does, normalized, fed to
 * a model that takes the tensor and answers three numbers, its channels' means) against the
 * main-thread path most tutorials use: canvas `drawImage` to 224×224 (not antialiased),
 * `getImageData`, a JavaScript loop. Also how long the page's main thread is busy with
 * webinfer's call (and with a bare transfer of the same pixels to a worker, for comparison),
 * webinfer fed an ImageBitmap or a VideoFrame instead, and the same call on a model that sends
 * the whole tensor back (image-probe: 600 KB more copied out of onnxruntime-web and to
 * the page, which the image's path to a model does not need).
 */
import { createRuntime } from 'webinfer';
import sceneUrl from '../../test/fixtures/images/scene-1920x1080.png?url';
import imageMean from '../../test/fixtures/models/image-mean.manifest.json';
import meanModelUrl from '../../test/fixtures/models/image-mean.onnx?url';
import probe from '../../test/fixtures/models/image-probe.manifest.json';
import probeModelUrl from '../../test/fixtures/models/image-probe.onnx?url';
import { describeFile, manifestDataUrl } from '../../test/support/browser/manifests.js';
import type { BenchTask, P9Result } from '../shared/protocol.js';

type P9Task = Extract<BenchTask, { kind: 'p9' }>;

const mean = [0.485, 0.456, 0.406];
const std = [0.229, 0.224, 0.225];

/** The tutorial path: drawImage scaled, getImageData, a loop to normalized NCHW. */
function mainThreadPreprocess(source: ImageBitmap, canvas: HTMLCanvasElement): Float32Array {
  const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  context.drawImage(source, 0, 0, 224, 224);
  const { data } = context.getImageData(0, 0, 224, 224);
  const area = 224 * 224;
  const out = new Float32Array(3 * area);
  for (let i = 0; i < area; i++) {
    for (let c = 0; c < 3; c++)
      out[c * area + i] = ((data[i * 4 + c] as number) / 255 - (mean[c] as number)) / (std[c] as number);
  }
  return out;
}

/**
 * Collects the page's garbage, before a clock starts. Each run here leaves 8 MB of pixels behind
 * (new ones per call); left to V8, their collection landed in whatever ran next: the canvas
 * path took 0.4 or 2–6 ms in its loop by that alone (median 3.5 ms, against 1.45 ms with a
 * collection before each). The bench's Chromium has `--expose-gc`.
 */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

/** Ms the tutorial path takes on the main thread. */
function mainThreadMs(source: ImageBitmap, canvas: HTMLCanvasElement): number {
  collectGarbage();
  const started = performance.now();
  mainThreadPreprocess(source, canvas);
  return performance.now() - started;
}

/**
 * Ms the main thread stays busy with `call`: until a message posted right after it starts is
 * handled. A call of its own, not one of the timed calls: opening the probe's channel and
 * posting its message took ~0.15 ms of a timed call's clock here, and its handler ran while the
 * worker woke.
 */
async function busyWith(call: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const channel = new MessageChannel();
  let running: Promise<unknown> | undefined;
  const busyMs = await new Promise<number>((resolve) => {
    channel.port1.onmessage = () => resolve(performance.now() - started);
    const started = performance.now();
    running = call();
    channel.port2.postMessage(null);
  });
  channel.port1.close();
  await running;
  return busyMs;
}

/** A call timed as its caller sees it. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  collectGarbage();
  const started = performance.now();
  const value = await call();
  return { ms: performance.now() - started, value };
}

export async function benchImagePreprocessing(task: P9Task): Promise<P9Result> {
  const manifestOf = async (fixture: typeof probe | typeof imageMean, url: string) => {
    const file = { ...fixture.files[0], url: new URL(url, location.href).href, ...(await describeFile(url)) };
    return manifestDataUrl({ ...fixture, files: [file] });
  };
  const rt = createRuntime({ backends: ['wasm'] });
  // The bare transfer: the same pixels posted to a worker that sends them back, no webinfer.
  const echo = new Worker(new URL('./echo-worker.ts', import.meta.url), { type: 'module', name: 'raw' });
  try {
    const model = await rt.load(await manifestOf(imageMean, meanModelUrl));
    const whole = await rt.load(await manifestOf(probe, probeModelUrl));
    const scene = await createImageBitmap(await (await fetch(sceneUrl)).blob());
    const sceneCanvas = new OffscreenCanvas(scene.width, scene.height);
    const sceneContext = sceneCanvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    sceneContext.drawImage(scene, 0, 0);
    const rgba = sceneContext.getImageData(0, 0, scene.width, scene.height);
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [224, 224];
    // Each input is made before its clock starts: webinfer moves the pixels, so each run needs new ones.
    const imageData = () => new ImageData(rgba.data.slice(), rgba.width, rgba.height);
    const result: P9Result = {
      kind: 'p9',
      webinferMs: [],
      baselineMs: [],
      bitmapMs: [],
      bitmapBusyMs: [],
      frameMs: [],
      frameBusyMs: [],
      pageBusyMs: [],
      transferBusyMs: [],
      preprocessMs: [],
      wholeTensorMs: [],
    };
    const bareTransfer = (pixels: ImageData) =>
      new Promise((resolve) => {
        echo.addEventListener('message', resolve, { once: true });
        echo.postMessage({ image: { data: pixels.data } }, [pixels.data.buffer]);
      });
    const frameOf = () =>
      new VideoFrame(rgba.data, { format: 'RGBA', codedWidth: rgba.width, codedHeight: rgba.height, timestamp: 0 });
    for (let run = -3; run < task.runs; run++) {
      const fromData = imageData();
      const webinfer = await timed(() => model.runDetailed({ image: fromData }));
      const probedData = imageData();
      const dataBusyMs = await busyWith(() => model.run({ image: probedData }));
      const echoed = imageData();
      const transferBusyMs = await busyWith(() => bareTransfer(echoed));
      const another = imageData();
      const wholeTensor = await timed(() => whole.run({ image: another }));
      const bitmap = await createImageBitmap(scene);
      const fromBitmap = await timed(() => model.run({ image: bitmap }));
      const probedBitmap = await createImageBitmap(scene);
      const bitmapBusyMs = await busyWith(() => model.run({ image: probedBitmap }));
      const frame = frameOf();
      const fromFrame = await timed(() => model.run({ image: frame }));
      const probedFrame = frameOf();
      const frameBusyMs = await busyWith(() => model.run({ image: probedFrame }));
      const baselineMs = mainThreadMs(scene, canvas);
      if (run < 0) continue; // warm-up
      result.webinferMs.push(webinfer.ms);
      result.pageBusyMs.push(dataBusyMs);
      result.transferBusyMs.push(transferBusyMs);
      result.preprocessMs.push(webinfer.value.timings.preprocessMs);
      result.wholeTensorMs.push(wholeTensor.ms);
      result.bitmapMs.push(fromBitmap.ms);
      result.bitmapBusyMs.push(bitmapBusyMs);
      result.frameMs.push(fromFrame.ms);
      result.frameBusyMs.push(frameBusyMs);
      result.baselineMs.push(baselineMs);
    }
    return result;
  } finally {
    echo.terminate();
    await rt.close();
  }
}
