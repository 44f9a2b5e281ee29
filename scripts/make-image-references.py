#!/usr/bin/python3
"""Writes the image fixtures of the resize tests into test/fixtures/images/.

Run with Debian's Python and Pillow (`apt-get install python3-pil`; `/usr/bin/python3
scripts/make-image-references.py`). Output is the same on every run: the scene is drawn from
fixed shapes, and the references are what Pillow's BILINEAR resize makes of it, which webinfer's
image preprocessing must match within 2/255 per channel value.

  scene-1920x1080.png          a 1920x1080 RGB scene: gradients, thin stripes (which a resize
                               that does not antialias turns into moire), circles, sharp edges
  scene-224-stretch.png        resized to 224x224, aspect ratio not kept
  scene-224-letterbox.png      resized to fit (224x126), centred on 224x224 of (114, 114, 114)
  scene-224-center-crop.png    shorter side resized to 224 (398x224), the centre 224x224 kept
"""
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "images"
SIZE = 224
PAD = (114, 114, 114)


def scene() -> Image.Image:
    width, height = 1920, 1080
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = (x * 255 // (width - 1), y * 255 // (height - 1), (x + y) * 255 // (width + height - 2))
    draw = ImageDraw.Draw(image)
    # One-pixel stripes, then two-pixel ones: the hardest case for a resize that aliases.
    for x in range(100, 700, 2):
        draw.line([(x, 100), (x, 500)], fill=(255, 255, 255))
    for y in range(600, 1000, 4):
        draw.rectangle([(100, y), (700, y + 1)], fill=(0, 0, 0))
    for i, (cx, cy, r) in enumerate([(1100, 300, 200), (1500, 700, 250), (1100, 800, 120)]):
        draw.ellipse([(cx - r, cy - r), (cx + r, cy + r)], fill=((70 * i) % 256, 200 - 60 * i, 40 + 90 * i), outline=(255, 0, 0), width=9)
    draw.rectangle([(1700, 50), (1880, 1030)], fill=(250, 220, 10))
    draw.polygon([(800, 1050), (1000, 600), (1300, 1050)], fill=(20, 20, 160))
    return image


def letterbox(image: Image.Image) -> Image.Image:
    scale = min(SIZE / image.width, SIZE / image.height)
    width, height = round(image.width * scale), round(image.height * scale)
    canvas = Image.new("RGB", (SIZE, SIZE), PAD)
    canvas.paste(image.resize((width, height), Image.BILINEAR), ((SIZE - width) // 2, (SIZE - height) // 2))
    return canvas


def center_crop(image: Image.Image) -> Image.Image:
    scale = max(SIZE / image.width, SIZE / image.height)
    width, height = round(image.width * scale), round(image.height * scale)
    left, top = (width - SIZE) // 2, (height - SIZE) // 2
    return image.resize((width, height), Image.BILINEAR).crop((left, top, left + SIZE, top + SIZE))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image = scene()
    outputs = {
        "scene-1920x1080.png": image,
        "scene-224-stretch.png": image.resize((SIZE, SIZE), Image.BILINEAR),
        "scene-224-letterbox.png": letterbox(image),
        "scene-224-center-crop.png": center_crop(image),
    }
    for name, picture in outputs.items():
        picture.save(OUT / name, optimize=True)
        print(f"wrote {name} ({(OUT / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
