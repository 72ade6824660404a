"""Small-model benchmark: one training step of an MLP, torch7 against PyTorch CPU eager, same process.

(a) MLP 100-50-10, batch 16; (b) MLP 784-1024-1024-10, batch 128. Both use ReLU, LogSoftMax and
the negative log-likelihood, float32. A step is zero-grad + forward + loss + backward + SGD update:
torch7 as a Torch7 script writes it (getParameters, one fill and one add over the flat vectors),
PyTorch with nn.Sequential, autograd and torch.optim.SGD.

Run: ``make bench`` or ``python benchmarks/nn_small.py [--quick]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from _steps import median, sgd_step

import torch7
from torch7 import nn

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("benchmarks/nn_small.py needs PyTorch: pip install torch==2.13.0")


def ours(sizes, batch, first_grad_input: bool = True):
    """Our step; ``first_grad_input=False`` sets the first Linear's ``gradInput = None`` (Torch7's nil:
    the input gradient PyTorch does not compute either, since x does not require one)."""
    torch7.setdefaulttensortype("torch.FloatTensor")
    try:
        net = nn.Sequential()
        for i in range(len(sizes) - 1):
            net.add(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                net.add(nn.ReLU())
        net.add(nn.LogSoftMax())
        crit = nn.ClassNLLCriterion()
        x = torch7.randn(batch, sizes[0])
        y = torch7.LongTensor(batch).random(0, sizes[-1] - 1)
    finally:
        torch7.setdefaulttensortype("torch.DoubleTensor")
    if not first_grad_input:
        net.get(0).gradInput = None
    return sgd_step(net, crit, x, y)


def peer(sizes, batch):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    layers.append(torch.nn.LogSoftmax(dim=1))
    net = torch.nn.Sequential(*layers)
    crit = torch.nn.NLLLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    x = torch.randn(batch, sizes[0])
    y = torch.randint(0, sizes[-1], (batch,))

    def step():
        opt.zero_grad()
        loss = crit(net(x), y)
        loss.backward()
        opt.step()

    return step




def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    print(f"# nn_small: torch7 {torch7.__version__} vs PyTorch {torch.__version__} "
          f"({torch.get_num_threads()} threads), numpy {np.__version__}")
    print("\n| training step, float32 | torch7 ms | PyTorch ms | ratio |\n|---|---|---|---|")
    for name, sizes, batch, iters in (("MLP 100-50-10, batch 16", (100, 50, 10), 16, 2000),
                                      ("MLP 784-1024-1024-10, batch 128", (784, 1024, 1024, 10), 128, 60)):
        iters = max(iters // 10, 10) if args.quick else iters
        t_peer = median(peer(sizes, batch), iters // 5 + 5, iters)
        for label, first in ((name, True), (name + ", first gradInput = nil", False)):
            t_ours = median(ours(sizes, batch, first), iters // 5 + 5, iters)
            print(f"| {label:<50} | {t_ours * 1e3:9.3f} | {t_peer * 1e3:10.3f} | {t_ours / t_peer:5.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
