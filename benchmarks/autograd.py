"""autograd benchmark: gradient of a loss written as a plain function, torch7.autograd against PyTorch autograd.

Rows (same process, float64 as torch-autograd's tests use, medians of ``--iters`` calls after a warm-up):

* "tiny": ``sum(tanh(x) * x)`` over 100 numbers, what a recorded operation costs;
* "mlp": a 100-50-10 MLP (tanh), log-softmax and the mean negative log-likelihood of 16 labels, the
  parameters a dict of four tensors. torch7.autograd's ``df(params, x, y)`` (grads and loss) against
  PyTorch's forward + ``backward()`` on leaf tensors with ``requires_grad``; also torch7's nn
  forward/backward of the same network (the module path the functional one is compared with).

Ratio = torch7 / PyTorch (below 1.0: torch7 is faster).

Run: ``python benchmarks/autograd.py [--iters 300]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from _steps import median

import torch7
from torch7 import autograd, nn

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("benchmarks/autograd.py needs PyTorch: pip install torch==2.13.0")

D, H, C, B = 100, 50, 10, 16


def median_us(fn, iters: int) -> float:
    return median(fn, 10, iters) * 1e6


def tiny_cases():
    x = torch7.randn(100)
    df = autograd(lambda x: torch7.sum(torch7.tanh(x) * x))
    tx = torch.tensor(x.numpy(), requires_grad=True)

    def peer():
        tx.grad = None
        (torch.tanh(tx) * tx).sum().backward()

    return (lambda: df(x)), peer, None


def mlp_cases():
    rng = np.random.default_rng(0)
    arrays = {"W1": rng.standard_normal((D, H)) * 0.1, "b1": np.zeros(H),
              "W2": rng.standard_normal((H, C)) * 0.1, "b2": np.zeros(C)}
    xs, ys = rng.standard_normal((B, D)), rng.integers(0, C, B)
    params = {k: torch7.from_numpy(v.copy()) for k, v in arrays.items()}
    x, y = torch7.from_numpy(xs), torch7.LongTensor(ys.tolist()).view(B, 1)

    def f(p, x, y):
        z = torch7.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        lsm = z - torch7.log(torch7.sum(torch7.exp(z), 1))
        return -torch7.sum(torch7.gather(lsm, 1, y)) / B

    df = autograd(f)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in arrays.items()}
    tx, ty = torch.from_numpy(xs), torch.from_numpy(ys)

    def peer():
        for v in tp.values():
            v.grad = None
        z = torch.tanh(tx @ tp["W1"] + tp["b1"]) @ tp["W2"] + tp["b2"]
        torch.nn.functional.nll_loss(torch.log_softmax(z, 1), ty).backward()

    net = nn.Sequential().add(nn.Linear(D, H)).add(nn.Tanh()).add(nn.Linear(H, C)).add(nn.LogSoftMax())
    crit = nn.ClassNLLCriterion()
    yl = torch7.LongTensor(ys.tolist())

    def module_step():
        net.zeroGradParameters()
        out = net.forward(x)
        crit.forward(out, yl)
        net.backward(x, crit.backward(out, yl))

    grads, loss = df(params, x, y)
    peer()
    diff = max(float(np.abs(grads[k].numpy() - tp[k].grad.numpy()).max()) for k in arrays)
    print(f"mlp: loss {loss:.6f}, max |grad torch7 - grad PyTorch| = {diff:.1e}")
    return (lambda: df(params, x, y)), peer, module_step


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iters", type=int, default=300)
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    print(f"torch7.autograd against PyTorch {torch.__version__} autograd, float64, median of {args.iters} calls (us)")
    print(f"{'case':<6}{'torch7 autograd':>17}{'PyTorch':>10}{'ratio':>8}{'torch7 nn fwd+bwd':>20}")
    for name, make in (("tiny", tiny_cases), ("mlp", mlp_cases)):
        ours, peer, module_step = make()
        a, b = median_us(ours, args.iters), median_us(peer, args.iters)
        m = f"{median_us(module_step, args.iters):20.1f}" if module_step else f"{'-':>20}"
        print(f"{name:<6}{a:17.1f}{b:10.1f}{a / b:8.2f}{m}")


if __name__ == "__main__":
    main()
