import type { Transforms } from './schema.js';

/** A labels file's text: one label per line (`\n` or `\r\n`), a final newline ignored. */
export function parseLabels(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The transforms with every `labels: { file }` replaced by the file's lines; `read` gives a
 * file's text by the URL the manifest wrote (a file that was not fetched leaves the op as is).
 */
export function inlineLabelFiles(transforms: Transforms, read: (url: string) => string | undefined): Transforms {
  if (!transforms.outputs) return transforms;
  const outputs = Object.fromEntries(
    Object.entries(transforms.outputs).map(([name, ops]) => [
      name,
      ops.map((op) => {
        if (!('labels' in op) || !op.labels || Array.isArray(op.labels)) return op;
        const text = read(op.labels.file);
        return text === undefined ? op : { ...op, labels: parseLabels(text) };
      }),
    ]),
  );
  return { ...transforms, outputs } as Transforms;
}
