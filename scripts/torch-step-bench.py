"""Times one training step of a spec-defined free-form U-Net in PyTorch, as a side-by-side reference for the
TorchSharp trainer: same layers, same batch, same loss and optimiser, measured phase by phase.

What it builds: the network a model spec describes (the JSON written by `inpaint-train spec freeform`), layer for
layer: "conv" (Conv2d with the spec's in/out channels, kernel, stride, padding, dilation and bias; optional
BatchNorm2d when norm is "batch"), "conv_transpose" (ConvTranspose2d) and "upsample" (nearest-neighbour by the
layer's stride), each followed by its activation (leaky_relu with the spec's slope, relu, tanh or none). The forward
pass is the generator's residual branch: x = cat(prefilled_rgb, hole) (4 channels); for each layer i, if it has
`concat` j then x = cat([x, outputs[j]], 1); x = layer(x); outputs[i] = x; the last output is the 3-channel residual.

What one step is: forward on random data ([batch, 4, size, size]; base = pre-filled RGB in [-1, 1], hole = a random
0/1 mask, target random in [-1, 1]); loss = mean |residual + base - target| over the hole pixels (all 3 channels);
backward; Adam (lr 5e-4, betas 0.9/0.999, eps 1e-8) step and zero_grad(set_to_none=True). Each phase is timed
separately (CPU ops are synchronous, so wall-clock time per phase is exact): "forward" = forward + loss,
"backward" = loss.backward(), "optimiser" = step + zero_grad. After --warmup untimed steps, --steps steps are
timed; the median, mean, min and max per phase are reported.

Configurations: one per memory format, "contiguous" (NCHW) and "channels_last" (model.to(memory_format=
torch.channels_last) and all inputs likewise), at --threads intra-op threads (torch.set_num_threads); optionally
"channels_last_input" (weights NCHW, inputs channels-last: activations follow the input). The 4-channel network
input is converted after cat(base, hole): a 1-channel mask has the same strides in both formats, and cat of it
with an NHWC tensor gives NCHW. The JSON's "residual_layout" says which layout the output really had.

Output: one JSON object per configuration on its own stdout line (it starts with '{"bench": "torch-step"'), then
a human-readable table. The parameter count is checked against the spec's (the sum of the layers'
"ParameterCount", and the "// N parameters" trailer the CLI appends, when present); a mismatch exits with status 1.

Run with Debian's python3-torch (torch 1.13; apt-get install python3-torch):
  /usr/bin/python3 scripts/torch-step-bench.py --spec freeform-spec.json
  /usr/bin/python3 scripts/torch-step-bench.py --spec freeform-spec.json --steps 20 --warmup 3 --threads 2
  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/torch-step-bench.py --spec freeform-spec.json --formats channels_last
Make the spec with:  inpaint-train spec freeform > freeform-spec.json
Timings mean something only on an otherwise idle machine; OpenMP environment variables (OMP_WAIT_POLICY,
GOMP_SPINCOUNT, OMP_NUM_THREADS) must be set before Python starts and are echoed in the JSON.
"""
import argparse
import json
import os
import platform
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# format name -> (memory format of the model's weights, memory format of the inputs)
FORMATS = {
    "contiguous": (torch.contiguous_format, torch.contiguous_format),
    "channels_last": (torch.channels_last, torch.channels_last),
    # Weights stay NCHW, only the inputs are channels-last: conv outputs follow the input, so the activations are
    # channels-last while parameters, gradients and Adam state stay contiguous (what TorchSharp can save).
    "channels_last_input": (torch.contiguous_format, torch.channels_last),
}
PHASES = ("forward", "backward", "optimiser")


def read_spec(path):
    """The spec object, and the parameter count the CLI's "// N parameters" trailer states (None if absent)."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    spec, end = json.JSONDecoder().raw_decode(text.lstrip())
    rest = text.lstrip()[end:]
    m = re.search(r"//\s*([\d,]+)\s+parameters", rest)
    return spec, (int(m.group(1).replace(",", "")) if m else None)


class Block(nn.Module):
    """One LayerSpec: convolution (or nearest upsampling), optional BatchNorm, activation."""

    def __init__(self, layer):
        super().__init__()
        self.kind = layer.get("kind", "conv")
        self.stride = int(layer.get("stride", 1))
        self.activation = layer.get("activation", "none")
        self.slope = float(layer.get("slope", 0.2))
        self.conv = None
        self.norm = None
        cin, cout, k = int(layer["in"]), int(layer["out"]), int(layer.get("kernel", 1))
        pad, bias = int(layer.get("padding", 0)), bool(layer.get("bias", True))
        if self.kind == "conv":
            self.conv = nn.Conv2d(cin, cout, k, self.stride, pad, dilation=int(layer.get("dilation") or 1), bias=bias)
        elif self.kind == "conv_transpose":
            self.conv = nn.ConvTranspose2d(cin, cout, k, self.stride, pad, bias=bias)
        elif self.kind != "upsample":
            raise ValueError(f"unknown layer kind {self.kind!r}")
        if self.conv is not None and layer.get("norm", "none") == "batch":
            self.norm = nn.BatchNorm2d(cout, eps=float(layer.get("eps", 1e-5)), momentum=float(layer.get("momentum", 0.1)))
        if self.activation not in ("none", "leaky_relu", "relu", "tanh"):
            raise ValueError(f"unknown activation {self.activation!r}")

    def forward(self, x):
        if self.conv is None:
            return F.interpolate(x, scale_factor=self.stride, mode="nearest")
        x = self.conv(x)
        if self.norm is not None:
            x = self.norm(x)
        if self.activation == "leaky_relu":
            return F.leaky_relu(x, self.slope)
        if self.activation == "relu":
            return F.relu(x)
        if self.activation == "tanh":
            return torch.tanh(x)
        return x


class Residual(nn.Module):
    """The U-Net of a free-form spec: (prefilled RGB, hole) -> 3-channel residual."""

    def __init__(self, layers):
        super().__init__()
        self.blocks = nn.ModuleList(Block(layer) for layer in layers)
        self.concat = [layer.get("concat") for layer in layers]
        channels = [4]  # channels of each layer's output, to check the spec's "in" counts
        for i, layer in enumerate(layers):
            cin = channels[-1] + (channels[self.concat[i] + 1] if self.concat[i] is not None else 0)
            if cin != int(layer["in"]):
                raise ValueError(f"layer {i}: spec says {layer['in']} input channels, the graph gives {cin}")
            channels.append(cin if layer.get("kind") == "upsample" else int(layer["out"]))
        if channels[-1] != 3:
            raise ValueError(f"the last layer gives {channels[-1]} channels, not 3")

    def forward(self, base, hole, memory_format=torch.contiguous_format):
        # The layout is set after the cat: a 1-channel hole mask is "contiguous" in either format, and cat of
        # mixed/ambiguous layouts returns NCHW, so converting base and hole separately would not give NHWC.
        x = torch.cat([base, hole], 1).contiguous(memory_format=memory_format)
        outputs = []
        for block, j in zip(self.blocks, self.concat):
            if j is not None:
                x = torch.cat([x, outputs[j]], 1)
            x = block(x)
            outputs.append(x)
        return x


def is_channels_last(t):
    return t.dim() == 4 and t.is_contiguous(memory_format=torch.channels_last) and not t.is_contiguous()


def bench(spec, fmt, args):
    torch.manual_seed(args.seed)
    model = Residual(spec["layers"]).train()
    model_format, memory_format = FORMATS[fmt]
    model = model.to(memory_format=model_format)
    optimiser = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.999), eps=1e-8, **args.adam_kwargs)
    n, s = args.batch, args.size
    g = torch.Generator().manual_seed(args.seed + 1)
    base = (torch.rand(n, 3, s, s, generator=g) * 2 - 1).contiguous(memory_format=memory_format)
    target = (torch.rand(n, 3, s, s, generator=g) * 2 - 1).contiguous(memory_format=memory_format)
    hole = (torch.rand(n, 1, s, s, generator=g) > 0.5).float().contiguous(memory_format=memory_format)
    hole_count = hole.sum() * 3

    times = {p: [] for p in PHASES}
    residual_layout = None
    for step in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        residual = model(base, hole, memory_format)
        loss = ((residual + base - target).abs() * hole).sum() / hole_count
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimiser.step()
        optimiser.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        if residual_layout is None:
            residual_layout = "channels_last" if is_channels_last(residual) else "contiguous" if residual.is_contiguous() else "strided"
        if step >= args.warmup:
            for p, dt in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2)):
                times[p].append(dt * 1000)
        if not torch.isfinite(loss):
            raise RuntimeError(f"loss is {loss.item()} at step {step}")
    totals = [sum(v) for v in zip(*(times[p] for p in PHASES))]

    def stats(v):
        return {"median_ms": round(statistics.median(v), 3), "mean_ms": round(statistics.fmean(v), 3),
                "min_ms": round(min(v), 3), "max_ms": round(max(v), 3)}

    return {
        "bench": "torch-step", "format": fmt, "threads": torch.get_num_threads(), "batch": n, "size": s,
        "steps": args.steps, "warmup": args.warmup, "adam": args.adam, "params": sum(p.numel() for p in model.parameters()),
        "residual_layout": residual_layout, "final_loss": round(loss.item(), 6),
        **{p: stats(times[p]) for p in PHASES}, "total": stats(totals),
        "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available(),
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME")},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", required=True, help="model spec JSON (inpaint-train spec freeform)")
    ap.add_argument("--batch", type=int, default=8, help="images per step")
    ap.add_argument("--size", type=int, default=128, help="square image size in pixels")
    ap.add_argument("--steps", type=int, default=10, help="timed steps per configuration")
    ap.add_argument("--warmup", type=int, default=2, help="untimed steps before timing")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--formats", default="contiguous,channels_last", help="comma-separated: contiguous, channels_last, channels_last_input")
    ap.add_argument("--adam", choices=("single", "foreach"), default="single",
                    help="Adam implementation: per-tensor loop (like TorchSharp's) or foreach (multi-tensor)")
    ap.add_argument("--seed", type=int, default=0, help="seed for the weights and the random batch")
    args = ap.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.batch < 1 or args.size < 1 or args.threads < 1:
        ap.error("--steps, --batch, --size and --threads must be positive, --warmup non-negative")
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    for f in formats:
        if f not in FORMATS:
            ap.error(f"unknown format {f!r} ({', '.join(FORMATS)})")
    args.adam_kwargs = {"foreach": args.adam == "foreach"}
    torch.set_num_threads(args.threads)

    spec, trailer_count = read_spec(args.spec)
    layers = spec["layers"]
    params = sum(p.numel() for p in Residual(layers).parameters())
    spec_count = sum(int(layer["ParameterCount"]) for layer in layers) if all("ParameterCount" in l for l in layers) else None
    stated = [c for c in (spec_count, trailer_count) if c is not None]
    ok = all(c == params for c in stated)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}, "
          f"spec {args.spec}: {len(layers)} layers, {params:,} parameters "
          f"(spec says {', '.join(f'{c:,}' for c in stated) or 'nothing'}: {'OK' if ok else 'MISMATCH'})", flush=True)
    if not ok:
        return 1

    results = []
    for fmt in formats:
        r = bench(spec, fmt, args)
        results.append(r)
        print(json.dumps(r), flush=True)

    print()
    print(f"batch {args.batch} x 4 x {args.size} x {args.size}, {args.threads} threads, Adam {args.adam}, "
          f"{args.steps} timed steps after {args.warmup} warm-up; median ms (min-max)")
    w = max(len("format"), *(len(r["format"]) for r in results)) + 2
    head = f"{'format':<{w}}" + "".join(f"{p:>22}" for p in PHASES + ("total",)) + f"{'output layout':>16}"
    print(head)
    print("-" * len(head))
    for r in results:
        cells = "".join(f"{r[p]['median_ms']:>9.1f} ({r[p]['min_ms']:.0f}-{r[p]['max_ms']:.0f})".rjust(22) for p in PHASES + ("total",))
        print(f"{r['format']:<{w}}{cells}{r['residual_layout']:>16}")
    for r in results[1:]:
        ratio = r["total"]["median_ms"] / results[0]["total"]["median_ms"]
        print(f"{r['format']} / {results[0]['format']} total median: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
