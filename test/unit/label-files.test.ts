import { expect, test } from 'vitest';
import { inlineLabelFiles, parseLabels } from '../../src/transforms/label-files.js';
import type { Transforms } from '../../src/transforms/schema.js';

test('parseLabels: one label a line, CRLF or LF, a final newline ignored, empty labels kept', () => {
  expect(parseLabels('cat\ndog\n')).toEqual(['cat', 'dog']);
  expect(parseLabels('cat\r\n\r\ndog')).toEqual(['cat', '', 'dog']);
});

test('inlineLabelFiles replaces { file } with the lines, and leaves inline labels and unread files alone', () => {
  const transforms: Transforms = {
    outputs: {
      a: [{ op: 'top-k', k: 1, labels: { file: 'a.txt' } }],
      b: [{ op: 'argmax', labels: ['x', 'y'] }],
      c: [{ op: 'threshold', value: 0.5, labels: { file: 'missing.txt' } }],
    },
  };
  const inlined = inlineLabelFiles(transforms, (url) => (url === 'a.txt' ? 'one\ntwo\n' : undefined));
  expect(inlined.outputs).toEqual({
    a: [{ op: 'top-k', k: 1, labels: ['one', 'two'] }],
    b: [{ op: 'argmax', labels: ['x', 'y'] }],
    c: [{ op: 'threshold', value: 0.5, labels: { file: 'missing.txt' } }],
  });
});
