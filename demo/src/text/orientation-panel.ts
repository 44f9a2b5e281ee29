import type { Model, Prediction } from 'webinfer';
import { byId, h } from '../lib/dom.js';
import { formatError, formatMs, formatPercent } from '../lib/format.js';
import type { Panel } from '../panel.js';
import type { Playground } from '../playground.js';
import { drawTextLine } from './text-line.js';

/** What each of the classifier's labels (demo/models.json) means to a reader. */
const meanings: Readonly<Record<string, string>> = { '0°': 'Upright', '180°': 'Upside down' };

/**
 * Text orientation: a line of text (the sample, whose words can be edited, or an uploaded image),
 * optionally turned 180°, classified by PaddleOCR's direction classifier; the manifest's
 * transforms resize and normalize it in the worker and turn the scores into labelled predictions.
 */
export function mountOrientationPanel(playground: Playground): Panel {
  const canvas = byId<HTMLCanvasElement>('text-line');
  const textInput = byId<HTMLInputElement>('sample-text');
  const textField = byId('sample-text-field');
  const flip = byId<HTMLInputElement>('image-flip');
  const fileInput = byId<HTMLInputElement>('image-file');
  const result = byId('orientation-result');
  let upload: ImageBitmap | undefined;
  let useUpload = false;

  const redraw = () => {
    drawTextLine(canvas, useUpload && upload ? { image: upload } : { text: textInput.value }, flip.checked);
    textField.hidden = useUpload;
    result.replaceChildren();
    delete result.dataset.orientation;
  };
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="image-source"]')) {
    radio.addEventListener('change', () => {
      useUpload = radio.value === 'file';
      if (useUpload && !upload) fileInput.click();
      redraw();
    });
  }
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    try {
      upload?.close();
      upload = await createImageBitmap(file);
      useUpload = true;
      const radio = document.querySelector<HTMLInputElement>('input[name="image-source"][value="file"]');
      if (radio) radio.checked = true;
      redraw();
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error' }, `${file.name}: ${formatError(error)}`));
    }
  });
  textInput.addEventListener('input', redraw);
  flip.addEventListener('change', redraw);
  redraw();

  return {
    async run(key: string, _model: Model): Promise<string> {
      const { outputs, timings } = await playground.run(key, { x: canvas });
      const output = Object.values(outputs)[0];
      if (output?.type !== 'predictions') throw new Error(`Expected predictions, got ${output?.type ?? 'nothing'}`);
      const scores = output.data[0] ?? [];
      show(scores);
      return `${formatMs(timings.roundTripMs)}: preprocessing ${formatMs(timings.preprocessMs)}, inference ${formatMs(timings.inferenceMs)}`;
    },
  };

  function show(scores: readonly Prediction[]): void {
    const [top] = scores;
    if (!top) return;
    const label = top.label ?? String(top.index);
    result.dataset.orientation = label;
    result.replaceChildren(
      h(
        'p',
        { class: 'verdict' },
        `${meanings[label] ?? label} (${label})`,
        h('span', { class: 'muted' }, ` — ${formatPercent(top.score)} sure`),
      ),
      ...scores.map((p) => {
        const name = p.label ?? String(p.index);
        const meter = h('span', { class: 'meter' }, h('span'));
        (meter.firstElementChild as HTMLElement).style.width = `${(p.score * 100).toFixed(1)}%`;
        return h(
          'div',
          { class: p === top ? 'score top' : 'score' },
          h('span', {}, `${meanings[name] ?? name} ${name}`),
          meter,
          h('span', { class: 'num' }, formatPercent(p.score)),
        );
      }),
    );
  }
}
