"""Makes samples/: four held-out photos (in data/heldout, never trained on or used to pick checkpoints; see
scripts/split-photos.sh), shrunk to 640 px wide, each with a kind of damage and its mask (white = repair):
  center    psychtoolbox-3-common town.jpg   a square hole in the middle (the article's case)
  scratches scribus-template nature.jpg      thin scratches across the photo
  text      mate-backgrounds FreshFlower.jpg a caption printed over the photo
  object    mate-backgrounds Garden.jpg      a sticker pasted on the photo, to remove
  removal   tuxpaint-data rocks.jpg          a 600x600 object on a textured background, at the photo's own size
            (1296x864; photo and original as JPEG quality 92 to keep the repository small)
The damaged photo is what a user has; the undamaged one is kept as NAME-original.png for comparison.
Run once with Debian's python3-pil:  /usr/bin/python3 scripts/make-samples.py
(after scripts/get-photos.sh && scripts/split-photos.sh)
"""
import random
from PIL import Image, ImageDraw, ImageFont

random.seed(5)
SRC = "data/heldout/"


def load(name):
    im = Image.open(SRC + name).convert("RGB")
    return im.resize((640, round(640 * im.height / im.width)), Image.LANCZOS)


def save(name, original, mask, damage_colour=(255, 255, 255), damaged=None):
    if damaged is None:
        damaged = original.copy()
        damaged.paste(damage_colour, mask=mask)
    original.save(f"samples/{name}-original.png")
    damaged.save(f"samples/{name}.png")
    mask.save(f"samples/{name}-mask.png")


im = load("psychtoolbox-3-common/town.jpg")
m = Image.new("L", im.size, 0)
w, h = im.size
ImageDraw.Draw(m).rectangle([w // 2 - 40, h // 2 - 40, w // 2 + 39, h // 2 + 39], fill=255)
save("center", im, m)

im = load("scribus-template/nature.jpg")
m = Image.new("L", im.size, 0)
d = ImageDraw.Draw(m)
for _ in range(6):
    a = (random.randrange(im.width), 0)
    b = (random.randrange(im.width), im.height - 1)
    d.line([a, b], fill=255, width=random.choice([2, 3, 4]))
save("scratches", im, m, damage_colour=(235, 230, 220))

im = load("mate-backgrounds/FreshFlower.jpg")
m = Image.new("L", im.size, 0)
font = ImageFont.load_default()
d = ImageDraw.Draw(m)
# The default bitmap font is tiny: draw the caption small, then scale the mask layer up.
caption = Image.new("L", (160, 24), 0)
ImageDraw.Draw(caption).text((4, 4), "SUMMER 1998", fill=255, font=font)
caption = caption.resize((640, 96), Image.NEAREST)
m.paste(caption, (0, im.height - 130))
save("text", im, m, damage_colour=(255, 240, 60))

im = load("mate-backgrounds/Garden.jpg")
m = Image.new("L", im.size, 0)
damaged = im.copy()
box = [420, 90, 520, 170]
ImageDraw.Draw(damaged).ellipse(box, fill=(200, 30, 40))
ImageDraw.Draw(damaged).text((box[0] + 30, box[1] + 34), "SALE", fill=(255, 255, 255))
ImageDraw.Draw(m).ellipse([box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2], fill=255)
save("object", im, m, damaged=damaged)
# A large object on a pebble beach, at full size: what texture fill is for.
im = Image.open(SRC + "tuxpaint-data/rocks.jpg").convert("RGB")
m = Image.new("L", im.size, 0)
box = [im.width // 2 - 300, im.height // 2 - 300, im.width // 2 + 299, im.height // 2 + 299]
damaged = im.copy()
ImageDraw.Draw(damaged).rounded_rectangle(box, radius=40, fill=(40, 60, 120))
# The mask 4 px wider than the object, as a user paints it: JPEG's ringing stays inside.
ImageDraw.Draw(m).rounded_rectangle([box[0] - 4, box[1] - 4, box[2] + 4, box[3] + 4], radius=44, fill=255)
im.save("samples/removal-original.jpg", quality=92)
damaged.save("samples/removal.jpg", quality=92)
m.save("samples/removal-mask.png")
print("samples written")
