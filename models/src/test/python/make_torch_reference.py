#!/usr/bin/python3
"""Writes the PyTorch reference that ImportedModelTest checks the Java import against.

Run with Debian's python (apt-get install python3-torch python3-torchvision; torch 1.13.1,
torchvision 0.14.1), never a build dependency:

    /usr/bin/python3 models/src/test/python/make_torch_reference.py models/src/test/resources/torch-reference

Three models, random weights, BatchNorm statistics randomised (see calibrate_and_randomise):

  densenet121_chexpert  torchvision densenet121, 14-output head, imagenet_centre_crop input:
                        70x66 grey uint8 -> centre 64x64 -> /255 -> 3 channels -> ImageNet mean/std
  resnet34_race         torchvision resnet34, 3-output softmax head, raw input: 64x64 grey 0..255
                        repeated to 3 channels, no normalisation (chexploration's convention)
  densenet121_xrv       TorchXRayVision's layout: densenet121 with a 1-channel conv0 and an
                        18-output head, input (2 * x/255 - 1) * 1024 of the centre 64x64 of a 70x64 image

Size: the full float32 state dicts are 28 MB (DenseNet-121) and 85 MB (ResNet-34), far more than the
repository (about 1 MB of history). So every 4-d tensor (the conv weights, 99 % of the values) is drawn
from a counter-based generator that ImportedModelTest re-implements bit for bit (conv_values below), and
only the other tensors (BatchNorm weights/biases/running stats, the head, num_batches_tracked) are
stored, in <name>.tensors.npz, written from the torch model's state_dict. <name>.generated.txt lists
the generated tensors' names and shapes as torch has them. The test rebuilds the complete state dict
(exactly torch's names, shapes and values) in a temporary .npz and imports that.

<name>.expected.npz: images (the uint8 pixels as float32), logits, probabilities (sigmoid for a
multi-label head, softmax for the race head), embeddings (pooled features before the head).
"""
import os
import sys

import numpy as np
import torch
import torchvision

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & MASK64
    return h


def conv_values(name, shape):
    """Uniform values in [-s, s) on a grid of s * 2^-23, s = 2^(1 - k // 2) with k = floor(log2(fan_in))
    (integer arithmetic, so no rounding tie can differ between languages; about sqrt(6 / fan_in), He's scale).

    z_i = splitmix64(fnv1a64(name) + (i + 1) * GOLDEN), u_i = z_i >> 40 (24 bits),
    v_i = (u_i - 2^23) * 2^-23 * s: exact in float32, so Java reproduces every bit.
    """
    n = int(np.prod(shape))
    fan_in = int(np.prod(shape[1:]))
    k = fan_in.bit_length() - 1
    scale = 2.0 ** (1 - k // 2)
    with np.errstate(over="ignore"):
        i = np.arange(1, n + 1, dtype=np.uint64)
        z = np.uint64(fnv1a64(name)) + i * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.int64) - (1 << 23)
    return (u.astype(np.float32) * np.float32(scale / (1 << 23))).reshape(shape)


def images(rng, n, height, width):
    """Smooth grey 'radiographs': a vertical gradient, two bright blobs, noise; uint8."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    out = []
    for _ in range(n):
        img = 40 + 120 * y / height
        for _ in range(2):
            cy, cx = rng.uniform(0, height), rng.uniform(0, width)
            r = rng.uniform(4, 14)
            img += rng.uniform(40, 90) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r))
        img += rng.normal(0, 12, size=img.shape)
        out.append(np.clip(np.round(img), 0, 255).astype(np.uint8))
    return np.stack(out)


def centre_crop_torchvision(batch, size):
    """torchvision CenterCrop: top = round((h - size) / 2) (Python round, half to even)."""
    return torchvision.transforms.functional.center_crop(torch.from_numpy(batch), [size, size]).numpy()


def centre_crop_xrv(batch):
    """TorchXRayVision XRayCenterCrop: the centre square of the shorter side, start = long // 2 - short // 2."""
    h, w = batch.shape[1:]
    s = min(h, w)
    top, left = h // 2 - s // 2, w // 2 - s // 2
    return batch[:, top:top + s, left:left + s]


def input_imagenet(pixels):
    x = torch.from_numpy(pixels.astype(np.float32) / np.float32(255))[:, None].repeat(1, 3, 1, 1)
    norm = torchvision.transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    return norm(x)


def input_raw(pixels):
    return torch.from_numpy(pixels.astype(np.float32))[:, None].repeat(1, 3, 1, 1)


def input_xrv(pixels):
    # xrv.datasets.normalize(img, 255): (2 * (img / 255) - 1) * 1024, one channel.
    x = (2 * (pixels.astype(np.float32) / np.float32(255)) - 1) * np.float32(1024)
    return torch.from_numpy(x.astype(np.float32))[:, None]


def fill_weights(model, rng):
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.dim() == 4:
                t.copy_(torch.from_numpy(conv_values(name, tuple(t.shape))))
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.copy_(torch.from_numpy(rng.uniform(0.6, 1.4, m.num_features).astype(np.float32)))
                m.bias.copy_(torch.from_numpy(rng.normal(0, 0.2, m.num_features).astype(np.float32)))
            elif isinstance(m, torch.nn.Linear):
                bound = 2.0 / np.sqrt(m.in_features)
                m.weight.copy_(torch.from_numpy(rng.uniform(-bound, bound, tuple(m.weight.shape)).astype(np.float32)))
                m.bias.copy_(torch.from_numpy(rng.normal(0, 0.3, m.out_features).astype(np.float32)))


def calibrate_and_randomise(model, calibration, rng):
    """Running stats = batch statistics of the calibration images (so activations stay O(1) with any
    input scale), then randomised: mean + N(0, 0.2) * std, var * U(0.6, 1.6)."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average: after one batch, exactly its statistics
    model.train()
    with torch.no_grad():
        model(calibration)
        for m in bns:
            std = m.running_var.sqrt()
            m.running_mean.add_(torch.from_numpy(rng.normal(0, 0.2, m.num_features).astype(np.float32)) * std)
            m.running_var.mul_(torch.from_numpy(rng.uniform(0.6, 1.6, m.num_features).astype(np.float32)))
            m.num_batches_tracked.fill_(int(rng.integers(1, 100000)))
            m.momentum = 0.1
    model.eval()


def forward(model, x, arch):
    with torch.no_grad():
        if arch == "densenet121":
            f = torch.nn.functional.relu(model.features(x))
            emb = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(f, (1, 1)), 1)
            logits = model.classifier(emb)
        else:
            m = model
            f = m.maxpool(m.relu(m.bn1(m.conv1(x))))
            f = m.layer4(m.layer3(m.layer2(m.layer1(f))))
            emb = torch.flatten(m.avgpool(f), 1)
            logits = m.fc(emb)
        full = model(x)
    assert torch.equal(full, logits), "manual forward differs from model(x)"
    return emb.numpy(), logits.numpy()


def write(out_dir, name, model, stored_pixels, x, arch, multilabel):
    emb, logits = forward(model, x, arch)
    t = torch.from_numpy(logits)
    probs = (torch.sigmoid(t) if multilabel else torch.softmax(t, dim=1)).numpy()
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    generated = {k: v for k, v in state.items() if v.ndim == 4}
    for k, v in generated.items():
        assert np.array_equal(v, conv_values(k, v.shape)), k
    stored = {k: v for k, v in state.items() if v.ndim != 4}
    np.savez_compressed(os.path.join(out_dir, name + ".tensors.npz"), **stored)
    with open(os.path.join(out_dir, name + ".generated.txt"), "w") as f:
        f.write("# state-dict tensors drawn by conv_values (make_torch_reference.py): name then torch shape\n")
        for k, v in generated.items():
            f.write(k + " " + ",".join(str(d) for d in v.shape) + "\n")
    np.savez_compressed(os.path.join(out_dir, name + ".expected.npz"),
                        images=stored_pixels.astype(np.float32), logits=logits, probabilities=probs,
                        embeddings=emb)
    full_mb = sum(v.nbytes for v in state.values()) / 1e6
    print(f"{name}: {len(state)} tensors ({full_mb:.1f} MB float32 in full), {len(generated)} generated; "
          f"|logits| max {np.abs(logits).max():.3f}, |embeddings| max {np.abs(emb).max():.3f}, "
          f"probabilities {probs.min():.4f}..{probs.max():.4f}")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "models/src/test/resources/torch-reference"
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    print("torch", torch.__version__, "torchvision", torchvision.__version__, "numpy", np.__version__)

    rng = np.random.default_rng(20240614)
    pixels = images(rng, 5, 70, 66)
    model = torchvision.models.densenet121(num_classes=14)
    fill_weights(model, rng)
    calibrate_and_randomise(model, input_imagenet(centre_crop_torchvision(images(rng, 16, 70, 66), 64)), rng)
    write(out_dir, "densenet121_chexpert", model, pixels, input_imagenet(centre_crop_torchvision(pixels, 64)),
          "densenet121", True)

    rng = np.random.default_rng(20240615)
    pixels = images(rng, 5, 64, 64)
    model = torchvision.models.resnet34(num_classes=3)
    fill_weights(model, rng)
    calibrate_and_randomise(model, input_raw(images(rng, 16, 64, 64)), rng)
    write(out_dir, "resnet34_race", model, pixels, input_raw(pixels), "resnet34", False)

    rng = np.random.default_rng(20240616)
    pixels = images(rng, 5, 70, 64)
    model = torchvision.models.densenet121(num_classes=18)
    model.features.conv0 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    fill_weights(model, rng)
    calibrate_and_randomise(model, input_xrv(centre_crop_xrv(images(rng, 16, 70, 64))), rng)
    write(out_dir, "densenet121_xrv", model, pixels, input_xrv(centre_crop_xrv(pixels)), "densenet121", True)


if __name__ == "__main__":
    main()
