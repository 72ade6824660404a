"""Tensor-library benchmark: torch7 against PyTorch CPU, side by side in one process.

Part 1: per-call time of 12 common operations on small tensors (16x16, float32).
Part 2: throughput of element-wise ops and reductions on 10^6 and 10^7 elements.
Each row prints both medians and the ratio ours / PyTorch (below 1.0: we are faster).

Run: ``make bench`` or ``python benchmarks/tensor_ops.py [--quick]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

import numpy as np

import torch7

try:
    import torch
except ImportError:  # pragma: no cover - the benchmark needs the peer
    sys.exit("benchmarks/tensor_ops.py needs PyTorch: pip install torch==2.13.0")


def timeit(fn, number: int, repeat: int) -> float:
    """Median seconds per call over ``repeat`` rounds of ``number`` calls (after a warm-up)."""
    for _ in range(min(number, 50)):
        fn()
    rounds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - t0) / number)
    return statistics.median(rounds)


def small_cases():
    """Each operation gets its own operands, chosen so that repeating it stays finite."""
    rng = np.random.default_rng(0)

    def pair(scale=1.0, around=0.0):
        a = (around + scale * rng.standard_normal((16, 16))).astype(np.float32)
        return torch7.from_numpy(a.copy()), torch.from_numpy(a.copy())

    (x1, t1), (y1, u1) = pair(), pair()
    (x2, t2), (y2, u2) = pair(), pair(1e-3, 1.0)
    (m3, s3), (x3, t3), (y3, u3) = pair(), pair(0.01), pair(0.01)
    (x4, t4), (y4, u4) = pair(), pair()
    x5, t5 = pair()
    idx = np.array([0, 3, 5, 7, 9, 11, 13, 15])
    ri, ti = torch7.LongTensor(idx.tolist()), torch.from_numpy(idx)
    return [
        ("add (x.add(y), in place)", lambda: x1.add(y1), lambda: t1.add_(u1)),
        ("cmul (x.cmul(y), in place)", lambda: x2.cmul(y2), lambda: t2.mul_(u2)),
        ("addmm (M.addmm(a, b), in place)", lambda: m3.addmm(x3, y3), lambda: s3.addmm_(t3, u3)),
        ("mm (torch.mm(a, b))", lambda: torch7.mm(x4, y4), lambda: torch.mm(t4, u4)),
        ("narrow (x.narrow(0, 2, 4))", lambda: x5.narrow(0, 2, 4), lambda: t5.narrow(0, 2, 4)),
        ("select (x.select(0, 3))", lambda: x5.select(0, 3), lambda: t5.select(0, 3)),
        ("sum over a dim (torch.sum(x, 1))", lambda: torch7.sum(x5, 1), lambda: torch.sum(t5, 1, keepdim=True)),
        ("max over a dim (torch.max(x, 1))", lambda: torch7.max(x5, 1), lambda: torch.max(t5, 1, keepdim=True)),
        ("index (x.index(0, idx))", lambda: x5.index(0, ri), lambda: t5.index_select(0, ti)),
        ("copy (x.copy(y))", lambda: x4.copy(y4), lambda: t4.copy_(u4)),
        ("fill (x.fill(1.5))", lambda: y1.fill(1.5), lambda: u1.fill_(1.5)),
        ("view (x.view(256))", lambda: x5.view(256), lambda: t5.view(256)),
    ]


def big_cases(n: int):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(n).astype(np.float32)
    b = (1.0 + 1e-6 * rng.standard_normal(n)).astype(np.float32)
    x, y, r = (torch7.from_numpy(v.copy()) for v in (a, b, a))
    tx, ty, tr = (torch.from_numpy(v.copy()) for v in (a, b, a))
    x2, tx2 = x.view(1000, n // 1000), tx.view(1000, n // 1000)
    return [
        (f"add n={n:.0e}", lambda: x.add(y), lambda: tx.add_(ty)),
        (f"add scaled n={n:.0e}", lambda: x.add(-1e-3, y), lambda: tx.add_(ty, alpha=-1e-3)),
        (f"cmul n={n:.0e}", lambda: x.cmul(y), lambda: tx.mul_(ty)),
        (f"torch.add new n={n:.0e}", lambda: torch7.add(x, y), lambda: torch.add(tx, ty)),
        (f"copy n={n:.0e}", lambda: r.copy(y), lambda: tr.copy_(ty)),
        (f"fill n={n:.0e}", lambda: r.fill(0.5), lambda: tr.fill_(0.5)),
        (f"sum all n={n:.0e}", lambda: x.sum(), lambda: tx.sum()),
        (f"sum dim 1 n={n:.0e}", lambda: torch7.sum(x2, 1), lambda: torch.sum(tx2, 1, keepdim=True)),
        (f"exp into result n={n:.0e}", lambda: r.exp(y), lambda: torch.exp(ty, out=tr)),
    ]


def more_cases(n: int):
    """Other common element-wise operations and reductions at n elements (not in the issue's list)."""
    rng = np.random.default_rng(2)
    a = rng.uniform(0.1, 1, n).astype(np.float32)
    b = rng.uniform(0.1, 1, n).astype(np.float32)
    x, y = torch7.from_numpy(a.copy()), torch7.from_numpy(b.copy())
    tx, ty = torch.from_numpy(a.copy()), torch.from_numpy(b.copy())
    x2, tx2 = x.view(1000, n // 1000), tx.view(1000, n // 1000)
    return [
        ("mul(v) in place", lambda: x.mul(1.0000001), lambda: tx.mul_(1.0000001)),
        ("div(v) in place", lambda: x.div(1.0000001), lambda: tx.div_(1.0000001)),
        ("cdiv in place", lambda: x.cdiv(y), lambda: tx.div_(ty)),
        ("addcmul in place", lambda: x.addcmul(1e-7, y, y), lambda: tx.addcmul_(ty, ty, value=1e-7)),
        ("clamp in place", lambda: x.clamp(0.1, 1), lambda: tx.clamp_(0.1, 1)),
        ("cmax new", lambda: torch7.cmax(x, y), lambda: torch.maximum(tx, ty)),
        ("csub new", lambda: torch7.csub(x, y), lambda: torch.sub(tx, ty)),
        ("pow 2 new", lambda: torch7.pow(x, 2), lambda: torch.pow(tx, 2)),
        ("norm", lambda: x.norm(), lambda: tx.norm()),
        ("mean", lambda: x.mean(), lambda: tx.mean()),
        ("dot", lambda: x.dot(y), lambda: tx.dot(ty)),
        ("torch.ones", lambda: torch7.ones(n, "torch.FloatTensor"), lambda: torch.ones(n)),
        ("sigmoid in place", lambda: x.sigmoid(), lambda: tx.sigmoid_()),
        ("abs new", lambda: torch7.abs(x), lambda: torch.abs(tx)),
        ("normal in place", lambda: x.normal(), lambda: tx.normal_()),
        ("cumsum new", lambda: torch7.cumsum(x), lambda: torch.cumsum(tx, 0)),
        ("t().contiguous() 1000x1000", lambda: x2.t().contiguous(), lambda: tx2.t().contiguous()),
    ]


def run(cases, number: int, repeat: int, unit: str, scale: float) -> list[tuple[str, float, float]]:
    rows = []
    for name, ours, peer in cases:
        t_ours = timeit(ours, number, repeat)
        t_peer = timeit(peer, number, repeat)
        rows.append((name, t_ours * scale, t_peer * scale))
        print(f"| {name:<36} | {t_ours * scale:10.2f} | {t_peer * scale:10.2f} | {t_ours / t_peer:6.2f} |",
              flush=True)
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    args = p.parse_args()
    q = args.quick
    print(f"# tensor_ops: torch7 {torch7.__version__} vs PyTorch {torch.__version__} "
          f"({torch.get_num_threads()} threads), numpy {np.__version__}, {platform.processor() or platform.machine()}")
    print("\n| per call, 16x16 float32 | torch7 us | PyTorch us | ratio |\n|---|---|---|---|")
    run(small_cases(), 200 if q else 2000, 3 if q else 7, "us", 1e6)
    for n in (10**6, 10**7):
        print("\n| throughput, float32 | torch7 ms | PyTorch ms | ratio |\n|---|---|---|---|")
        run(big_cases(n), 3 if q else (20 if n == 10**6 else 5), 3 if q else 5, "ms", 1e3)
    print("\n| more operations, 10^6 float32 | torch7 ms | PyTorch ms | ratio |\n|---|---|---|---|")
    run(more_cases(10**6), 3 if q else 10, 3 if q else 5, "ms", 1e3)


if __name__ == "__main__":
    main()
