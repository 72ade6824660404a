"""char-rnn benchmark: one training iteration of karpathy/char-rnn's default model, torch7 against PyTorch CPU.

Model (char-rnn's defaults): vocabulary 65, 2 LSTM layers of 128, sequence length 50, batch 50;
one-hot input -> LSTM -> LSTM -> Linear(128, 65) over the N*T steps -> LogSoftMax -> ClassNLL,
float32. One iteration = zero the gradients, forward, loss, backward, plain SGD step.

Rows (same process, one after another, medians of ``--iters`` iterations after ``--warmup``):

* torch7, fused ``nn.LSTM`` (Numba gate kernels when numba is installed, and again with NumPy ufuncs),
  trained as a Torch7 script does: ``getParameters()`` flat vectors, one ``fill`` and one ``add``;
* PyTorch ``nn.LSTM`` (batch_first, 2 layers; oneDNN's fused RNN), autograd, ``torch.optim.SGD``;
* PyTorch ``nn.LSTMCell`` x 2 unrolled over the 50 steps in Python;
* torch7 nngraph char-rnn (clone per time step), when ``torch7.nngraph`` exists and
  :func:`bench_nngraph` is filled in;
* then the same model with GRU and with tanh RNN layers: torch7's fused ``nn.GRU`` / ``nn.RNN`` against
  PyTorch's ``nn.GRU`` / ``nn.RNN``.

Peak memory (``--memory``): each side runs in a fresh subprocess that builds the model and runs 3
iterations; reported is the growth of the process's peak RSS (``VmHWM``) over that, and for torch7
also the tracemalloc peak (NumPy's allocations are traced; PyTorch's are not).

Note: the project's machines set ``OPENBLAS_CORETYPE=Haswell`` in the environment, so NumPy's OpenBLAS
runs its AVX2 kernels there although the CPU has AVX-512 (PyTorch's oneDNN uses AVX-512 regardless).
``--blas-core SkylakeX`` re-runs with OpenBLAS's AVX-512 kernels, which OpenBLAS picks by itself when
the variable is unset. The core in use is printed.

Run: ``python benchmarks/charrnn.py [--iters 30] [--warmup 5] [--memory] [--quick] [--blas-core NAME]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np
from _steps import sgd_step

import torch7
from torch7 import nn
from torch7.nn.functional import recurrent

try:
    import torch
except ImportError:  # pragma: no cover
    sys.exit("benchmarks/charrnn.py needs PyTorch: pip install torch==2.13.0")

V, H, T, N, LAYERS, LR = 65, 128, 50, 50, 2, 0.01


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))


def ours(cell: str = "LSTM"):
    """torch7 with the fused nn.LSTM (or nn.GRU, nn.RNN): a step function."""
    torch7.setdefaulttensortype("torch.FloatTensor")
    try:
        net = nn.Sequential().add(nn.OneHot(V))
        for i in range(LAYERS):
            net.add(getattr(nn, cell)(V if i == 0 else H, H))
        net.add(nn.View(-1, H)).add(nn.Linear(H, V)).add(nn.LogSoftMax())
        crit = nn.ClassNLLCriterion()
    finally:
        torch7.setdefaulttensortype("torch.DoubleTensor")
    # Torch7's `gradInput = nil` on the first LSTM: its one-hot input needs no gradient (PyTorch's one_hot
    # output does not require one either), which saves the N*T x 4H x V input-gradient GEMM.
    net.modules[1].gradInput = None
    xs, ys = data()
    x, y = torch7.LongTensor(xs), torch7.LongTensor(ys.reshape(-1))
    return sgd_step(net, crit, x, y, LR)


def peer_lstm(cell: str = "LSTM"):
    """PyTorch nn.LSTM (or nn.GRU, nn.RNN with tanh; batch_first): a step function."""
    lstm = getattr(torch.nn, cell)(V, H, LAYERS, batch_first=True)
    lin = torch.nn.Linear(H, V)
    opt = torch.optim.SGD(list(lstm.parameters()) + list(lin.parameters()), lr=LR)
    xs, ys = data()
    x, y = torch.from_numpy(xs), torch.from_numpy(ys.reshape(-1))

    def step():
        opt.zero_grad()
        h = lstm(torch.nn.functional.one_hot(x, V).float())[0]
        loss = torch.nn.functional.nll_loss(torch.log_softmax(lin(h.reshape(N * T, H)), 1), y)
        loss.backward()
        opt.step()

    return step


def peer_cells():
    """PyTorch nn.LSTMCell x LAYERS unrolled over time in Python: a step function."""
    cells = [torch.nn.LSTMCell(V if i == 0 else H, H) for i in range(LAYERS)]
    lin = torch.nn.Linear(H, V)
    opt = torch.optim.SGD([p for c in cells for p in c.parameters()] + list(lin.parameters()), lr=LR)
    xs, ys = data()
    x, y = torch.from_numpy(xs), torch.from_numpy(ys.reshape(-1))

    def step():
        opt.zero_grad()
        inp = torch.nn.functional.one_hot(x, V).float()
        states = [(torch.zeros(N, H), torch.zeros(N, H)) for _ in cells]
        outs = []
        for t in range(T):
            h = inp[:, t]
            for i, cell in enumerate(cells):
                states[i] = cell(h, states[i])
                h = states[i][0]
            outs.append(h)
        hs = torch.stack(outs, 1).reshape(N * T, H)
        loss = torch.nn.functional.nll_loss(torch.log_softmax(lin(hs), 1), y)
        loss.backward()
        opt.step()

    return step


def bench_nngraph():
    """The char-rnn nngraph model (a gModule cloned per time step, as karpathy/char-rnn trains it): a step function."""
    from torch7.apps.charrnn.fused import zero_state
    from torch7.apps.charrnn.graph import GraphCharModel

    model = GraphCharModel(V, H, LAYERS, "lstm").type("torch.FloatTensor")
    params, grads = model.getParameters()
    model.init_weights(params)
    xs, ys = data()
    x, y = torch7.LongTensor(xs), torch7.LongTensor(ys)
    state = zero_state(2 * LAYERS, N, H, "torch.FloatTensor")

    def step():
        grads.zero()
        for s in state:
            s.zero()
        model.forward(x, y, state)
        model.backward()
        params.add(-LR, grads)

    return step


def timeit(fn, warmup: int, iters: int) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    time.sleep(0.3)
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3, min(times) * 1e3


def blas_core() -> str:
    """The OpenBLAS kernel family NumPy runs (``?`` when it cannot be asked)."""
    import ctypes
    import glob

    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "libscipy_openblas*.so"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
                if hasattr(lib, name):
                    fn = getattr(lib, name)
                    fn.restype = ctypes.c_char_p
                    return fn().decode()
        except OSError:
            pass
    return "?"


def _peak_rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _warm(side: str) -> None:
    """One tiny forward/backward, so that kernel compilation and library start-up are not counted."""
    if side.startswith("ours"):
        m = nn.LSTM(2, 3).float()
        x = torch7.FloatTensor(1, 2, 2).zero()
        m.backward(x, m.forward(x))
    else:
        lstm = torch.nn.LSTM(2, 3, batch_first=True)
        lstm(torch.zeros(1, 2, 2))[0].sum().backward()
        torch.nn.LSTMCell(2, 3)(torch.zeros(1, 2))[0].sum().backward()


def memory_child(side: str) -> None:
    """Run in a subprocess: print the peak-RSS growth (and tracemalloc peak for torch7) in MiB."""
    import tracemalloc

    if side == "ours-numpy":
        recurrent.use_numba(False)
    _warm(side)
    base = _peak_rss_kib()
    tracemalloc.start()
    make = {"ours": ours, "ours-numpy": ours, "nn.LSTM": peer_lstm, "LSTMCell": peer_cells}[side]
    step = make()
    for _ in range(3):
        step()
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{(_peak_rss_kib() - base) / 1024:.1f} {traced:.1f}")


def memory_rows() -> list[tuple[str, str, str]]:
    rows = []
    for side in ("ours", "ours-numpy", "nn.LSTM", "LSTMCell"):
        res = subprocess.run([sys.executable, __file__, "--memory-child", side], capture_output=True, text=True,
                             check=False)
        if res.returncode:
            rows.append((side, "failed", res.stderr.strip().splitlines()[-1] if res.stderr else ""))
            continue
        rss, traced = res.stdout.split()[-2:]
        rows.append((side, rss, traced if side.startswith("ours") else "-"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--memory", action="store_true", help="also measure peak memory (subprocesses)")
    ap.add_argument("--quick", action="store_true", help="3 warm-up and 5 timed iterations")
    ap.add_argument("--blas-core", help="run with OPENBLAS_CORETYPE set to this (e.g. SkylakeX): re-executes")
    ap.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.blas_core and os.environ.get("OPENBLAS_CORETYPE") != args.blas_core:
        # OpenBLAS reads the variable when NumPy loads it: only a fresh process can change the kernels.
        os.environ["OPENBLAS_CORETYPE"] = args.blas_core
        os.execv(sys.executable, [sys.executable, *sys.argv])
    if args.memory_child:
        memory_child(args.memory_child)
        return
    if args.quick:
        args.iters, args.warmup = 5, 3
    numba_ok = recurrent.use_numba()
    print(f"char-rnn LSTM {LAYERS}x{H}, seq {T}, batch {N}, vocab {V}, float32; "
          f"torch threads {torch.get_num_threads()}, OpenBLAS core {blas_core()}, "
          f"numba {'on' if numba_ok else 'missing'}")
    rows = []
    if numba_ok:
        rows.append(("torch7 nn.LSTM, Numba gates", timeit(ours(), args.warmup, args.iters)))
    recurrent.use_numba(False)
    rows.append(("torch7 nn.LSTM, NumPy gates", timeit(ours(), args.warmup, args.iters)))
    recurrent.use_numba(numba_ok)
    step = bench_nngraph()
    if step is not None:
        rows.append(("torch7 nngraph (clones)", timeit(step, args.warmup, args.iters)))
    rows.append(("PyTorch nn.LSTM", timeit(peer_lstm(), args.warmup, args.iters)))
    rows.append(("PyTorch LSTMCell loop", timeit(peer_cells(), args.warmup, args.iters)))
    ref = dict(rows)["PyTorch nn.LSTM"][0]
    cell = dict(rows)["PyTorch LSTMCell loop"][0]
    print(f"{'ms per iteration':32s} {'median':>8s} {'min':>8s} {'/nn.LSTM':>9s} {'/LSTMCell':>9s}")
    for name, (med, lo) in rows:
        print(f"{name:32s} {med:8.2f} {lo:8.2f} {med / ref:9.2f} {med / cell:9.2f}")
    print(f"\nthe same model with other cells{'':13s} {'median':>8s} {'min':>8s} {'/PyTorch':>9s}")
    for cell in ("GRU", "RNN"):
        mine, theirs = timeit(ours(cell), args.warmup, args.iters), timeit(peer_lstm(cell), args.warmup, args.iters)
        print(f"{'torch7 nn.' + cell:32s} {mine[0]:8.2f} {mine[1]:8.2f} {mine[0] / theirs[0]:9.2f}")
        print(f"{'PyTorch nn.' + cell:32s} {theirs[0]:8.2f} {theirs[1]:8.2f} {1.0:9.2f}")
    if args.memory:
        print(f"\n{'peak memory, MiB':32s} {'RSS growth':>10s} {'tracemalloc':>11s}")
        for side, rss, traced in memory_rows():
            print(f"{side:32s} {rss:>10s} {traced:>11s}")


if __name__ == "__main__":
    main()
