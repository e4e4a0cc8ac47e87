#!/usr/bin/env python3
# Not part of the build: regenerates the expected pixels committed in PillowResizeTest and
# AugmenterTest (apt-get install -y python3-pil python3-numpy; /usr/bin/python3 benchmarks/chexclusion/pillow-reference.py).
import numpy as np
from PIL import Image
import PIL
print("// Pillow", PIL.__version__)
def img(h, w):
    a = np.array([(i * 37 + (i // w) * 11 + (i * i) % 7) % 256 for i in range(h * w)], dtype=np.uint8).reshape(h, w)
    return a
def scale(pil, size):  # torchvision 0.3 Scale(size)
    w, h = pil.size
    if (w <= h and w == size) or (h <= w and h == size):
        return pil
    if w < h:
        ow = size; oh = int(size * h / w)
    else:
        oh = size; ow = int(size * w / h)
    return pil.resize((ow, oh), Image.BILINEAR)
for (h, w, s) in [(7, 11, 4), (13, 9, 5), (3, 4, 6), (20, 31, 7)]:
    out = np.asarray(scale(Image.fromarray(img(h, w)), s))
    print(f"resize {h}x{w} -> {s}: shape {out.shape}:", ", ".join(str(int(v)) for v in out.ravel()))
for (h, w, ang) in [(6, 9, 12.5), (6, 9, -7.3), (9, 6, 33.0), (8, 8, -14.999)]:
    out = np.asarray(Image.fromarray(img(h, w)).rotate(ang, False, False, None))
    print(f"rotate {h}x{w} by {ang}:", ", ".join(str(int(v)) for v in out.ravel()))
