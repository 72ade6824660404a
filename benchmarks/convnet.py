"""Convnet benchmark: torch7 against PyTorch CPU, float32, same process.

(a) one training iteration of the CIFAR LeNet of the tutorial (batch 128, 3x32x32), as Torch7 runs it
    (every module's gradInput computed) and with the first layer's ``gradInput = nil`` (Torch7's idiom to
    skip an input gradient nobody reads; PyTorch skips it because the input does not require one);
(b) SpatialConvolution(64,128,3,3,1,1,1,1) on 32x64x32x32, forward + backward;
(c) SpatialMaxPooling(2,2,2,2) and SpatialBatchNormalization(64) on 32x64x32x32, forward + backward.
Also a per-layer breakdown of (a) for torch7. Ratio = torch7 / PyTorch (below 1: torch7 faster).
torch7 runs twice in the same process: with its optional Numba kernels (when ``numba`` is installed)
and with the plain NumPy path (``_numba.use_numba(False)``). Times are medians (and minima) in ms.

Run: ``python benchmarks/convnet.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import numpy as np
from _steps import timings

import torch7
from torch7 import nn
from torch7.nn.functional import _numba

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("benchmarks/convnet.py needs PyTorch: pip install torch==2.13.0")


def timeit(fn, warmup: int, iters: int, with_min: bool = False):
    times = timings(fn, warmup, iters)
    med = statistics.median(times)
    return (med, min(times)) if with_min else med


def lenet_ours(first_grad_input: bool = True):
    """Our LeNet step; ``first_grad_input=False`` sets conv1's ``gradInput = None`` (Torch7's
    ``net:get(1).gradInput = nil``), the work PyTorch does, whose input does not require a gradient."""
    torch7.setdefaulttensortype("torch.FloatTensor")
    try:
        net = nn.Sequential()
        net.add(nn.SpatialConvolution(3, 6, 5, 5)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
        net.add(nn.SpatialConvolution(6, 16, 5, 5)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
        net.add(nn.View(16 * 5 * 5)).add(nn.Linear(400, 120)).add(nn.ReLU()).add(nn.Linear(120, 84))
        net.add(nn.ReLU()).add(nn.Linear(84, 10)).add(nn.LogSoftMax())
        crit = nn.ClassNLLCriterion()
        x = torch7.randn(128, 3, 32, 32)
        y = torch7.LongTensor(128).random(0, 9)
    finally:
        torch7.setdefaulttensortype("torch.DoubleTensor")
    params, grads = net.getParameters()
    if not first_grad_input:
        net.modules[0].gradInput = None

    def step():
        grads.zero()
        out = net.forward(x)
        crit.forward(out, y)
        net.backward(x, crit.backward(out, y))
        params.add(-0.01, grads)

    return step, net, x, crit, y


def lenet_peer():
    t = torch.nn
    net = t.Sequential(t.Conv2d(3, 6, 5), t.ReLU(), t.MaxPool2d(2, 2), t.Conv2d(6, 16, 5), t.ReLU(),
                       t.MaxPool2d(2, 2), t.Flatten(), t.Linear(400, 120), t.ReLU(), t.Linear(120, 84), t.ReLU(),
                       t.Linear(84, 10), t.LogSoftmax(dim=1))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    crit = t.NLLLoss()
    x = torch.randn(128, 3, 32, 32)
    y = torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad()
        crit(net(x), y).backward()
        opt.step()

    return step


def layer_pair(ours_module, peer_module, shape):
    xo = torch7.FloatTensor(*shape).normal(0, 1)
    go = torch7.FloatTensor()
    xp = torch.randn(*shape, requires_grad=True)

    def ours():
        out = ours_module.forward(xo)
        if go.nElement() != out.nElement():
            go.resizeAs(out).normal(0, 1)
        ours_module.backward(xo, go)

    gp = None

    def peer():
        nonlocal gp
        out = peer_module(xp)
        if gp is None:
            gp = torch.randn_like(out)
        xp.grad = None
        out.backward(gp)

    return ours, peer


def breakdown(net, x, crit, y, iters: int) -> list[tuple[str, float, float]]:
    """Per-layer forward and backward time of our LeNet (ms)."""
    out = net.forward(x)
    crit.forward(out, y)
    g = crit.backward(out, y)
    rows = []
    grads = [None] * len(net.modules)
    cur = g
    for i in range(len(net.modules) - 1, -1, -1):
        grads[i] = cur
        inp = x if i == 0 else net.modules[i - 1].output
        cur = net.modules[i].backward(inp, cur)
    for i, m in enumerate(net.modules):
        inp = x if i == 0 else net.modules[i - 1].output
        f = timeit(lambda m=m, inp=inp: m.forward(inp), 2, iters)
        b = timeit(lambda m=m, inp=inp, gi=grads[i]: m.backward(inp, gi), 2, iters)
        rows.append((repr(m).splitlines()[0], f * 1e3, b * 1e3))
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    n = 5 if args.quick else 21
    has_numba = _numba.use_numba()
    print(f"# convnet: torch7 {torch7.__version__} vs PyTorch {torch.__version__} ({torch.get_num_threads()} threads), "
          f"numpy {np.__version__}, Numba kernels {'on' if has_numba else 'unavailable'}")
    print("\n| workload, float32 | torch7 ms (min) | torch7 NumPy path ms (min) | PyTorch ms (min) | ratio | "
          "ratio NumPy path |\n|---|---|---|---|---|---|")
    ours_step, net, x, crit, y = lenet_ours()
    peer_step = lenet_peer()
    rows = [("(a) CIFAR LeNet, batch 128, one training iteration", ours_step, peer_step),
            ("(a) the same, conv1.gradInput = nil (no input gradient, as PyTorch)", lenet_ours(False)[0], peer_step)]
    conv_o = nn.SpatialConvolution(64, 128, 3, 3, 1, 1, 1, 1).float()
    rows.append(("(b) conv 64->128 3x3 pad 1, 32x64x32x32, fwd+bwd",
                 *layer_pair(conv_o, torch.nn.Conv2d(64, 128, 3, padding=1), (32, 64, 32, 32))))
    rows.append(("(c) SpatialMaxPooling(2,2,2,2), fwd+bwd",
                 *layer_pair(nn.SpatialMaxPooling(2, 2, 2, 2).float(), torch.nn.MaxPool2d(2, 2), (32, 64, 32, 32))))
    rows.append(("(c) SpatialBatchNormalization(64), train, fwd+bwd",
                 *layer_pair(nn.SpatialBatchNormalization(64).float(), torch.nn.BatchNorm2d(64), (32, 64, 32, 32))))
    for name, ours, peer in rows:
        t_o = timeit(ours, 3, n, True)
        _numba.use_numba(False)
        t_n = timeit(ours, 3, n, True)
        _numba.use_numba(has_numba)
        t_p = timeit(peer, 3, n, True)
        cells = " | ".join(f"{t[0] * 1e3:.2f} ({t[1] * 1e3:.2f})" for t in (t_o, t_n, t_p))
        print(f"| {name} | {cells} | {t_o[0] / t_p[0]:.2f} | {t_n[0] / t_p[0]:.2f} |", flush=True)
    print("\n| LeNet layer (torch7) | forward ms | backward ms |\n|---|---|---|")
    for name, f, b in breakdown(net, x, crit, y, n):
        print(f"| {name} | {f:.2f} | {b:.2f} |")


if __name__ == "__main__":
    main()
