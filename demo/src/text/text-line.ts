/** The sample's height, and its font size: a tight crop of one line, as OCR's detectors hand lines to this classifier. */
const sampleHeight = 96;
const fontSize = 60;
const font = `600 ${fontSize}px system-ui, sans-serif`;
/** Uploads are drawn at most this wide: plenty for a 192-pixel-wide model input, small to send. */
const maxWidth = 1536;

/**
 * Draws what the text-line models read onto `canvas`: a line of dark text on white (the sample)
 * or an uploaded image, turned 180° when `flipped`. The canvas itself is the model's input: the
 * runtime makes it an ImageBitmap and the manifest's `image` transform letterboxes it.
 */
export function drawTextLine(
  canvas: HTMLCanvasElement,
  source: { readonly text: string } | { readonly image: ImageBitmap },
  flipped: boolean,
): void {
  const image = 'image' in source ? source.image : undefined;
  const scale = image ? Math.min(1, maxWidth / image.width) : 1;
  const context = canvas.getContext('2d');
  if (!context) return;
  const text = 'text' in source ? source.text : '';
  context.font = font;
  canvas.width = image ? Math.max(1, Math.round(image.width * scale)) : Math.ceil(context.measureText(text).width) + fontSize;
  canvas.height = image ? Math.max(1, Math.round(image.height * scale)) : sampleHeight;
  context.save();
  if (flipped) {
    context.translate(canvas.width, canvas.height);
    context.rotate(Math.PI);
  }
  if (image) context.drawImage(image, 0, 0, canvas.width, canvas.height);
  else drawText(context, text, canvas.width, canvas.height);
  context.restore();
}

/** Dark text on white, centred (the canvas was sized to it; resizing it reset the font). */
function drawText(context: CanvasRenderingContext2D, text: string, width: number, height: number): void {
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#111111';
  context.font = font;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(text, width / 2, height / 2);
}
