/**
 * P9', image preprocessing: a 1920×1080 RGBA image → 224×224 ImageNet-normalized NCHW float32,
 * through webinfer's worker (the pixels transferred, resized as Pillow does, normalized, fed to
 * a model that takes the tensor and answers three numbers, its channels' means) against the
 * main-thread path most tutorials use: canvas `drawImage` to 224×224 (not antialiased),
 * `getImageData`, a JavaScript loop. Also how long the page's main thread is busy with
 * webinfer's call, webinfer fed an ImageBitmap or a VideoFrame instead, and the same call on a model that
 * sends the whole tensor back (image-probe: 600 KB more copied out of onnxruntime-web and to
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

/** Ms the main thread stays busy after `start`: until a message posted right after it is handled. */
function busyFor(start: () => unknown): Promise<number> {
  const channel = new MessageChannel();
  const started = performance.now();
  return new Promise((resolve) => {
    channel.port1.onmessage = () => {
      resolve(performance.now() - started);
      channel.port1.close();
    };
    start();
    channel.port2.postMessage(null);
  });
}

/** A call timed as its caller sees it, and how long it kept the main thread busy. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; busyMs: number; value: T }> {
  const started = performance.now();
  let running: Promise<T> | undefined;
  const busyMs = await busyFor(() => {
    running = call();
  });
  const value = await (running as Promise<T>);
  return { ms: performance.now() - started, busyMs, value };
}

export async function benchImagePreprocessing(task: P9Task): Promise<P9Result> {
  const manifestOf = async (fixture: typeof probe | typeof imageMean, url: string) => {
    const file = { ...fixture.files[0], url: new URL(url, location.href).href, ...(await describeFile(url)) };
    return manifestDataUrl({ ...fixture, files: [file] });
  };
  const rt = createRuntime({ backends: ['wasm'] });
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
      preprocessMs: [],
      wholeTensorMs: [],
    };
    for (let run = -3; run < task.runs; run++) {
      const fromData = imageData();
      const webinfer = await timed(() => model.runDetailed({ image: fromData }));
      const another = imageData();
      const wholeTensor = await timed(() => whole.run({ image: another }));
      const bitmap = await createImageBitmap(scene);
      const fromBitmap = await timed(() => model.run({ image: bitmap }));
      const frame = new VideoFrame(rgba.data, { format: 'RGBA', codedWidth: rgba.width, codedHeight: rgba.height, timestamp: 0 });
      const fromFrame = await timed(() => model.run({ image: frame }));
      const started = performance.now();
      mainThreadPreprocess(scene, canvas);
      const baselineMs = performance.now() - started;
      if (run < 0) continue; // warm-up
      result.webinferMs.push(webinfer.ms);
      result.pageBusyMs.push(webinfer.busyMs);
      result.preprocessMs.push(webinfer.value.timings.preprocessMs);
      result.wholeTensorMs.push(wholeTensor.ms);
      result.bitmapMs.push(fromBitmap.ms);
      result.bitmapBusyMs.push(fromBitmap.busyMs);
      result.frameMs.push(fromFrame.ms);
      result.frameBusyMs.push(fromFrame.busyMs);
      result.baselineMs.push(baselineMs);
    }
    return result;
  } finally {
    await rt.close();
  }
}
