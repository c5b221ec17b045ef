"""Writes article_tiny.pth and its reference input/output for the import-pytorch test.

The generator below is the article's (PyTorch-GAN context encoder) code with narrower widths so the
fixture stays small: Conv k4 s2 (+BatchNorm2d(C, 0.8)) + LeakyReLU(0.2) down, a 1x1 bottleneck,
ConvTranspose k4 s2 + BatchNorm2d(C, 0.8) + ReLU up, Conv k3 + Tanh; 32x32 in, 16x16 out.
A few optimiser steps make the BatchNorm running statistics non-trivial, then it is saved the
article's way: torch.save({'state_dict': ..., 'optimizer': ...}).

Run with Debian's python3-torch:  /usr/bin/python3 make_article_fixture.py
"""
import struct
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, enc=(8, 8, 16, 16, 32), bottleneck=32, dec=(16, 16, 8, 8)):
        super().__init__()

        def down(i, o, normalize=True):
            layers = [nn.Conv2d(i, o, 4, stride=2, padding=1)]
            if normalize:
                layers.append(nn.BatchNorm2d(o, 0.8))
            layers.append(nn.LeakyReLU(0.2))
            return layers

        def up(i, o):
            return [nn.ConvTranspose2d(i, o, 4, stride=2, padding=1), nn.BatchNorm2d(o, 0.8), nn.ReLU()]

        layers = down(3, enc[0], normalize=False)
        for a, b in zip(enc, enc[1:]):
            layers += down(a, b)
        layers.append(nn.Conv2d(enc[-1], bottleneck, 1))
        prev = bottleneck
        for d in dec:
            layers += up(prev, d)
            prev = d
        layers += [nn.Conv2d(prev, 3, 3, 1, 1), nn.Tanh()]
        self.generator_model = nn.Sequential(*layers)

    def forward(self, x):
        return self.generator_model(x)


def write_tensor(path, t):
    t = t.detach().contiguous().float()
    with open(path, "wb") as f:
        f.write(struct.pack("<i", t.dim()))
        f.write(struct.pack("<%dq" % t.dim(), *t.shape))
        f.write(t.numpy().astype("<f4").tobytes())


torch.manual_seed(7)
g = Generator()
opt = torch.optim.Adam(g.parameters(), lr=2e-3, betas=(0.5, 0.999))
for _ in range(5):
    x = torch.rand(4, 3, 32, 32) * 2 - 1
    loss = (g(x) - x[:, :, 8:24, 8:24]).abs().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
torch.save({"state_dict": g.state_dict(), "optimizer": opt.state_dict()}, "article_tiny.pth")

g.eval()
x = torch.rand(2, 3, 32, 32) * 2 - 1
with torch.no_grad():
    y = g(x)
write_tensor("article_tiny_input.bin", x)
write_tensor("article_tiny_output.bin", y)
print("wrote article_tiny.pth", sum(p.numel() for p in g.parameters()), "parameters")
