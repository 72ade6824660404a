"""GPU benchmark: torch7 on CuPy against PyTorch CUDA, in one process, on the GPU machine.

Rows (float32, medians of ``--iters`` timed runs after ``--warmup``, each timed run ended by a device
synchronisation on both sides):

* ``mm 4096``: ``torch.mm`` of two 4096x4096 CudaTensors, also as TFLOP/s and as a fraction of the
  best cuBLAS SGEMM rate CuPy itself reaches on the same shapes (``cupy.matmul``);
* ``conv 64->128 3x3``: ``nn.SpatialConvolution(64,128,3,3,1,1,1,1)`` on 32x64x32x32, forward+backward;
* ``LeNet b128``: the CIFAR LeNet training step of benchmarks/convnet.py, batch 128;
* ``conv, torch7.cudnn`` / ``LeNet, torch7.cudnn``: the same after ``cudnn.convert(net, cudnn)`` (the
  convolutions as cuDNN graphs through NVIDIA's frontend; needs ``nvidia-cudnn-frontend``);
* ``char-rnn``: the char-rnn iteration of benchmarks/charrnn.py (2x128 LSTM, seq 50, batch 50), torch7's
  fused ``nn.LSTM`` against PyTorch's cuDNN ``nn.LSTM``;
* ``char-rnn, CudaGraph``: the same step captured by ``cutorch.CudaGraph`` and replayed, against the same
  PyTorch step.

Run: ``python benchmarks/gpu.py [--iters 20] [--warmup 5]`` (needs CuPy, a GPU, and PyTorch with CUDA).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time

import numpy as np
from _steps import sgd_step

import torch7
from torch7 import cutorch, nn

try:
    import cupy
    import torch
except ImportError as e:  # pragma: no cover
    sys.exit(f"benchmarks/gpu.py needs CuPy and PyTorch with CUDA: {e}")


def timed(fn, sync, iters: int, warmup: int) -> float:
    """Median seconds of ``fn`` (each run closed by ``sync``)."""
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sync_ours():
    cutorch.synchronize()


def sync_peer():
    torch.cuda.synchronize()


def mm_rows(iters, warmup):
    n = 4096
    a, b = torch7.CudaTensor(n, n).uniform(), torch7.CudaTensor(n, n).uniform()
    r = torch7.CudaTensor(n, n)
    ca, cb = a._a, b._a
    pa, pb = torch.rand(n, n, device="cuda"), torch.rand(n, n, device="cuda")
    ours = timed(lambda: r.mm(a, b), sync_ours, iters, warmup)
    raw = timed(lambda: cupy.matmul(ca, cb), sync_ours, iters, warmup)
    peer = timed(lambda: torch.mm(pa, pb), sync_peer, iters, warmup)
    flop = 2 * n ** 3
    print(f"  cupy.matmul alone: {raw * 1e3:.3f} ms ({flop / raw / 1e12:.1f} TFLOP/s); ours is "
          f"{raw / ours:.3f} of it")
    return ours, peer


def _cudnn(net, use: bool):
    """``net`` with its convolutions as torch7.cudnn's (cuDNN graphs) when ``use``."""
    if use:
        from torch7 import cudnn

        cudnn.convert(net, cudnn)
    return net


def conv_rows(iters, warmup, use_cudnn=False):
    m = _cudnn(nn.SpatialConvolution(64, 128, 3, 3, 1, 1, 1, 1), use_cudnn).cuda()
    x = torch7.CudaTensor(32, 64, 32, 32).normal(0, 1)
    g = torch7.CudaTensor(32, 128, 32, 32).normal(0, 1)
    pm = torch.nn.Conv2d(64, 128, 3, 1, 1).cuda()
    px = torch.randn(32, 64, 32, 32, device="cuda", requires_grad=True)
    pg = torch.randn(32, 128, 32, 32, device="cuda")

    def ours():
        m.forward(x)
        m.backward(x, g)

    def peer():
        px.grad = None
        pm(px).backward(pg)

    return timed(ours, sync_ours, iters, warmup), timed(peer, sync_peer, iters, warmup)


def lenet_rows(iters, warmup, use_cudnn=False):
    net = nn.Sequential()
    net.add(nn.SpatialConvolution(3, 6, 5, 5)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    net.add(nn.SpatialConvolution(6, 16, 5, 5)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    net.add(nn.View(16 * 5 * 5)).add(nn.Linear(400, 120)).add(nn.ReLU()).add(nn.Linear(120, 84))
    net.add(nn.ReLU()).add(nn.Linear(84, 10)).add(nn.LogSoftMax())
    _cudnn(net, use_cudnn).cuda()
    crit = nn.ClassNLLCriterion().cuda()
    x = torch7.CudaTensor(128, 3, 32, 32).normal(0, 1)
    y = torch7.LongTensor(128).random(0, 9).cudaLong()
    ours = sgd_step(net, crit, x, y)

    t = torch.nn
    pnet = t.Sequential(t.Conv2d(3, 6, 5), t.ReLU(), t.MaxPool2d(2, 2), t.Conv2d(6, 16, 5), t.ReLU(),
                        t.MaxPool2d(2, 2), t.Flatten(), t.Linear(400, 120), t.ReLU(), t.Linear(120, 84), t.ReLU(),
                        t.Linear(84, 10), t.LogSoftmax(dim=1)).cuda()
    opt = torch.optim.SGD(pnet.parameters(), lr=0.01)
    pcrit = t.NLLLoss()
    px = torch.randn(128, 3, 32, 32, device="cuda")
    py = torch.randint(0, 10, (128,), device="cuda")

    def peer():
        opt.zero_grad()
        pcrit(pnet(px), py).backward()
        opt.step()

    return timed(ours, sync_ours, iters, warmup), timed(peer, sync_peer, iters, warmup)


def charrnn_rows(iters, warmup, graph=False):
    V, H, T, N = 65, 128, 50, 50
    net = nn.Sequential().add(nn.OneHot(V))
    for i in range(2):
        net.add(nn.LSTM(V if i == 0 else H, H))
    net.add(nn.View(-1, H)).add(nn.Linear(H, V)).add(nn.LogSoftMax())
    net.cuda()
    net.modules[1].gradInput = None
    crit = nn.ClassNLLCriterion().cuda()
    rng = np.random.default_rng(0)
    xs, ys = rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))
    x, y = torch7.LongTensor(xs).cudaLong(), torch7.LongTensor(ys.reshape(-1)).cudaLong()
    ours = sgd_step(net, crit, x, y)
    if graph:  # the same step captured once and replayed (the loss stays on the device, in crit.output_tensor)
        ours = cutorch.CudaGraph(ours, warmup=2).replay

    lstm = torch.nn.LSTM(V, H, 2, batch_first=True).cuda()
    lin = torch.nn.Linear(H, V).cuda()
    opt = torch.optim.SGD(list(lstm.parameters()) + list(lin.parameters()), lr=0.01)
    px, py = torch.from_numpy(xs).cuda(), torch.from_numpy(ys.reshape(-1)).cuda()

    def peer():
        opt.zero_grad()
        h = lstm(torch.nn.functional.one_hot(px, V).float())[0]
        torch.nn.functional.nll_loss(torch.log_softmax(lin(h.reshape(N * T, H)), 1), py).backward()
        opt.step()

    return timed(ours, sync_ours, iters, warmup), timed(peer, sync_peer, iters, warmup)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    props = cutorch.getDeviceProperties(0)
    print(f"device: {props['name']}; CuPy {cupy.__version__}; PyTorch {torch.__version__}")
    print(f"{'case':<22}{'torch7 ms':>12}{'PyTorch ms':>12}{'ratio':>8}")
    for name, rows in (("mm 4096", mm_rows), ("conv 64->128 3x3", conv_rows),
                       ("conv, torch7.cudnn", functools.partial(conv_rows, use_cudnn=True)),
                       ("LeNet b128", lenet_rows),
                       ("LeNet, torch7.cudnn", functools.partial(lenet_rows, use_cudnn=True)),
                       ("char-rnn 2x128", charrnn_rows),
                       ("char-rnn, CudaGraph", functools.partial(charrnn_rows, graph=True))):
        try:
            ours, peer = rows(args.iters, args.warmup)
        except Exception as e:  # one broken row must not hide the others
            print(f"{name:<22} failed: {type(e).__name__}: {str(e)[:300]}")
            continue
        print(f"{name:<22}{ours * 1e3:>12.3f}{peer * 1e3:>12.3f}{ours / peer:>8.2f}")


if __name__ == "__main__":
    main()
