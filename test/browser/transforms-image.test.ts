import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createRuntime, InputError, type Model, type Predictions } from '../../src/index.js';
import centerCropUrl from '../fixtures/images/scene-224-center-crop.png?url';
import letterboxUrl from '../fixtures/images/scene-224-letterbox.png?url';
import stretchUrl from '../fixtures/images/scene-224-stretch.png?url';
import sceneUrl from '../fixtures/images/scene-1920x1080.png?url';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';
import { floatsOf } from '../support/browser/tensors.js';

/**
 * Image preprocessing in the worker, against Pillow: a 1920×1080 scene resized to 224×224
 * (stretched, letterboxed, centre-cropped) must match what Pillow's BILINEAR resize made of it
 * (scripts/make-image-references.py) within 2/255 per channel value, after ImageNet
 * normalization. The probe model returns the tensor it was fed, so the whole path is checked.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

const mean = [0.485, 0.456, 0.406];
const std = [0.229, 0.224, 0.225];
const tolerance = 2 / 255;

async function rgbaOf(url: string): Promise<ImageData> {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** A VideoFrame of the same RGBA pixels (what a camera's or a decoder's frames are to webinfer). */
function frameOf(pixels: ImageData): VideoFrame {
  return new VideoFrame(pixels.data, { format: 'RGBA', codedWidth: pixels.width, codedHeight: pixels.height, timestamp: 0 });
}

function closedFrame(): VideoFrame {
  const frame = frameOf(new ImageData(2, 2));
  frame.close();
  return frame;
}

/** Largest difference, in [0, 1] pixel units, between a fed NCHW tensor and a reference image normalized the same way. */
function worstDifference(fed: Float32Array, reference: ImageData): number {
  const area = reference.width * reference.height;
  let worst = 0;
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < area; i++) {
      const pixel = (fed[c * area + i] as number) * (std[c] as number) + (mean[c] as number);
      worst = Math.max(worst, Math.abs(pixel - (reference.data[i * 4 + c] as number) / 255));
    }
  }
  return worst;
}

async function probeWith(fit: string): Promise<Model> {
  const manifestUrl = new URL(models.imageProbeManifest, location.href);
  const manifest = await (await fetch(manifestUrl)).json();
  manifest.files = manifest.files.map((file: { url: string }) => ({ ...file, url: new URL(file.url, manifestUrl).href }));
  // The reference letterbox pads with (114, 114, 114), as YOLO models' preprocessing does.
  manifest.transforms.inputs.image[0] = {
    ...manifest.transforms.inputs.image[0],
    fit,
    ...(fit === 'letterbox' ? { pad: [114, 114, 114] } : {}),
  };
  return rt.load(manifestDataUrl(manifest));
}

let scene: Blob;
beforeAll(async () => {
  scene = await (await fetch(sceneUrl)).blob();
});

describe('a 1920×1080 image → 224×224, as Pillow resizes it', () => {
  test.each([
    ['stretch', stretchUrl],
    ['letterbox', letterboxUrl],
    ['center-crop', centerCropUrl],
  ])('%s matches Pillow within 2/255', async (fit, referenceUrl) => {
    const model = await probeWith(fit);
    const { outputs, timings } = await model.runDetailed({ image: scene });
    expect(outputs.pixels?.dims).toEqual([1, 3, 224, 224]);
    const worst = worstDifference(floatsOf(outputs.pixels), await rgbaOf(referenceUrl));
    expect(worst).toBeLessThanOrEqual(tolerance);
    console.info(`${fit}: worst difference from Pillow ${(worst * 255).toFixed(3)}/255`);
    expect(timings.preprocessMs).toBeGreaterThan(0);
  });

  test('runs made at once, each preprocessed into reused memory while another waits, keep their own pixels', async () => {
    const model = await probeWith('stretch');
    const stretch = await rgbaOf(stretchUrl);
    // The same scene, and that scene's colours inverted: four runs queued together.
    const inverted = await rgbaOf(sceneUrl);
    for (let i = 0; i < inverted.data.length; i += 4) {
      for (let c = 0; c < 3; c++) inverted.data[i + c] = 255 - (inverted.data[i + c] as number);
    }
    const original = await rgbaOf(sceneUrl);
    const copy = (image: ImageData) => new ImageData(image.data.slice(), image.width, image.height);
    const flipped = new ImageData(
      stretch.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)),
      224,
      224,
    );
    // Twice: the second round's runs take memory the first gave back.
    for (let round = 0; round < 2; round++) {
      const runs = [original, inverted, original, inverted].map((image) => model.run({ image: copy(image) }));
      for (const [i, outputs] of (await Promise.all(runs)).entries()) {
        expect(worstDifference(floatsOf(outputs.pixels), i % 2 ? flipped : stretch)).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  test('a canvas drawImage resize (no antialiasing) is far from Pillow: the check can fail', async () => {
    const bitmap = await createImageBitmap(scene);
    const canvas = new OffscreenCanvas(224, 224);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    context.drawImage(bitmap, 0, 0, 224, 224);
    const drawn = context.getImageData(0, 0, 224, 224);
    const reference = await rgbaOf(stretchUrl);
    let worst = 0;
    for (let i = 0; i < drawn.data.length; i++)
      if (i % 4 !== 3) worst = Math.max(worst, Math.abs((drawn.data[i] as number) - (reference.data[i] as number)));
    expect(worst / 255).toBeGreaterThan(tolerance);
  });
});

describe('every kind of image input reads the same', () => {
  test('Blob, ImageBitmap, VideoFrame, ImageData, <img> and <canvas> give the same tensor; the dominant channel is labelled', async () => {
    const model = await rt.load(models.imageProbeManifest);
    const fromBlob = floatsOf((await model.run({ image: scene })).pixels);
    const imageData = await rgbaOf(sceneUrl);
    const img = new Image();
    img.src = sceneUrl;
    await img.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [imageData.width, imageData.height];
    canvas.getContext('2d')?.putImageData(imageData, 0, 0);
    const frame = frameOf(imageData);
    for (const image of [await createImageBitmap(scene), frame, imageData, img, canvas]) {
      const outputs = await model.run({ image });
      expect(floatsOf(outputs.pixels)).toEqual(fromBlob);
      const channels = outputs.channels as Predictions;
      expect(channels.data[0]?.map((p) => p.label).sort()).toEqual(['blue', 'green', 'red']);
    }
    // The ImageData's pixels were moved to the worker, not copied.
    expect(imageData.data.length).toBe(0);
  });

  test('an ImageBitmap is closed after the call, as a transferred one would be; with keepInputs it stays usable', async () => {
    const model = await rt.load(models.imageProbeManifest);
    const given = await createImageBitmap(scene);
    const kept = await createImageBitmap(scene);
    const fromGiven = floatsOf((await model.run({ image: given })).pixels);
    expect([given.width, given.height]).toEqual([0, 0]);
    const fromKept = floatsOf((await model.run({ image: kept }, { keepInputs: true })).pixels);
    expect([kept.width, kept.height]).toEqual([1920, 1080]);
    expect(fromKept).toEqual(fromGiven);
    // Still whole: it reads the same again.
    expect(floatsOf((await model.run({ image: kept })).pixels)).toEqual(fromGiven);
  });

  test('a VideoFrame goes to the worker as it is: closed after the call unless keepInputs, read the same', async () => {
    const model = await rt.load(models.imageProbeManifest);
    const pixels = await rgbaOf(sceneUrl);
    const fromData = floatsOf((await model.run({ image: new ImageData(pixels.data.slice(), 1920, 1080) })).pixels);
    const given = frameOf(pixels);
    const kept = frameOf(pixels);
    // Not drawn into an ImageBitmap on the page first, as it was (70–95 ms of 1920×1080 here).
    const drawn = vi.spyOn(globalThis, 'createImageBitmap');
    try {
      expect(floatsOf((await model.run({ image: given })).pixels)).toEqual(fromData);
      expect(floatsOf((await model.run({ image: kept }, { keepInputs: true })).pixels)).toEqual(fromData);
    } finally {
      drawn.mockRestore();
    }
    expect(drawn).not.toHaveBeenCalled();
    expect(given.codedWidth).toBe(0); // closed, as a transferred frame is
    expect([kept.codedWidth, kept.codedHeight]).toEqual([1920, 1080]);
    expect(floatsOf((await model.run({ image: kept })).pixels)).toEqual(fromData);
  });

  test('with keepInputs, the ImageBitmap webinfer makes of an element is still its own: closed once sent', async () => {
    const model = await rt.load(models.imageProbeManifest);
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [64, 48];
    const closed: ImageBitmap[] = [];
    const close = ImageBitmap.prototype.close;
    ImageBitmap.prototype.close = function (this: ImageBitmap) {
      closed.push(this);
      close.call(this);
    };
    try {
      await model.run({ image: canvas }, { keepInputs: true });
    } finally {
      ImageBitmap.prototype.close = close;
    }
    expect(closed).toHaveLength(1);
    expect([canvas.width, canvas.height]).toEqual([64, 48]); // the caller's element, untouched
  });

  test.each([
    ['a string', 'scene.png', 'String'],
    ['an empty Blob', new Blob([]), 'an empty Blob'],
    ['bytes that are not an image', new Blob([new Uint8Array([1, 2, 3, 4])], { type: 'image/png' }), 'does not decode'],
    ['an <img> that has not loaded', new Image(), 'could not be read as an image'],
    ['a closed VideoFrame', closedFrame(), 'the VideoFrame is closed'],
  ])('%s is an InputError naming the input; the model goes on', async (_, image, message) => {
    const model = await rt.load(models.imageProbeManifest);
    const error = await model.run({ image: image as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'input-invalid', details: { input: 'image' } });
    expect((error as Error).message).toContain(message);
    await expect(model.run({ image: scene })).resolves.toBeDefined();
  });
});
