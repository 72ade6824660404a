"""3x3 convolutions: Winograd F(4x4, 3x3) against im2col + GEMM and PyTorch CPU, float32, same process.

Each shape runs forward + backward of ``nn.SpatialConvolution(nIn, nOut, 3, 3, 1, 1, 1, 1)`` with
``conv2d.WINOGRAD`` on, then off, then PyTorch's ``Conv2d``; three rounds interleaved, medians of the
per-round medians (ms). Layers the selection rule keeps off Winograd (too few tiles, 2x2 outputs) show
the same time in both torch7 columns unless ``--force`` lowers the thresholds.

Run: ``python benchmarks/conv3x3.py [--force] [nIn,nOut,N,H,W ...]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import convnet

from torch7 import nn
from torch7.nn.functional import conv2d

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("benchmarks/conv3x3.py needs PyTorch: pip install torch==2.13.0")

SHAPES = ["64,128,32,32,32", "64,64,32,32,32", "32,64,32,16,16", "128,128,32,8,8", "64,64,32,8,8",
          "64,64,1,32,32", "256,256,32,4,4", "512,512,16,2,2"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("shapes", nargs="*", default=SHAPES, help="nIn,nOut,N,H,W")
    p.add_argument("--force", action="store_true", help="Winograd for every shape (thresholds to 0)")
    args = p.parse_args()
    if args.force:
        conv2d.WINOGRAD_MIN_TILES, conv2d.WINOGRAD_MIN_FILL = 1, 0
    print(f"# 3x3 conv fwd+bwd, float32, PyTorch {torch.__version__} ({torch.get_num_threads()} threads)")
    print("| nIn->nOut, N x H x W | Winograd ms | columns ms | PyTorch ms | Winograd/columns | Winograd/PyTorch |")
    print("|---|---|---|---|---|---|")
    for spec in args.shapes:
        ci, co, n, h, w = (int(v) for v in spec.split(","))
        m = nn.SpatialConvolution(ci, co, 3, 3, 1, 1, 1, 1).float()
        ours, peer = convnet.layer_pair(m, torch.nn.Conv2d(ci, co, 3, padding=1), (n, ci, h, w))
        res: dict = {"w": [], "c": [], "p": []}
        for _ in range(3):
            conv2d.WINOGRAD = True
            res["w"].append(convnet.timeit(ours, 2, 7))
            conv2d.WINOGRAD = False
            res["c"].append(convnet.timeit(ours, 2, 7))
            res["p"].append(convnet.timeit(peer, 2, 7))
        conv2d.WINOGRAD = True
        t = {k: statistics.median(v) * 1e3 for k, v in res.items()}
        print(f"| {ci}->{co}, {n}x{h}x{w} | {t['w']:.2f} | {t['c']:.2f} | {t['p']:.2f} | "
              f"{t['w'] / t['c']:.2f} | {t['w'] / t['p']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
