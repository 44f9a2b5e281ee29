import { byId } from '../lib/dom.js';
import { formatError } from '../lib/format.js';
import type { Playground } from '../playground.js';
import { droppedModel } from './dropped-model.js';

/** "Drop your own .onnx": a file dropped on the zone (or chosen through it) is added, shown and loaded. */
export function mountDropZone(playground: Playground): void {
  const zone = byId('drop-zone');
  const input = byId<HTMLInputElement>('onnx-file');
  const problem = byId('drop-error');
  const say = (text: string | undefined) => {
    problem.hidden = text === undefined;
    problem.textContent = text ?? '';
  };
  const take = async (file: File | undefined) => {
    if (!file) return;
    if (!/\.onnx$/i.test(file.name)) return say(`${file.name} is not an .onnx file.`);
    say(undefined);
    try {
      const spec = await droppedModel(file);
      playground.add(spec);
      playground.select(spec.key);
      await playground.load(spec.key);
    } catch (error) {
      say(`${file.name}: ${formatError(error)}`);
    }
  };
  input.addEventListener('change', () => void take(input.files?.[0]));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    void take(event.dataTransfer?.files[0]);
  });
}
