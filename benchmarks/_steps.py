"""What the benchmarks share: the Torch7-style training step they time (nn_small, charrnn, gpu) and the timer."""

from __future__ import annotations

import statistics
import time


def timings(fn, warmup: int, iters: int) -> list[float]:
    """Seconds of ``iters`` calls of ``fn`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def median(fn, warmup: int, iters: int) -> float:
    """Median seconds of a call of ``fn`` (see :func:`timings`)."""
    return statistics.median(timings(fn, warmup, iters))


def sgd_step(net, crit, x, y, lr: float = 0.01):
    """One step on flat parameters (``getParameters``) as a closure: zero the gradients, forward, loss,
    backward, ``params.add(-lr, grads)``, as a Torch7 training script writes it."""
    params, grads = net.getParameters()

    def step():
        grads.zero()
        out = net.forward(x)
        crit.forward(out, y)
        net.backward(x, crit.backward(out, y))
        params.add(-lr, grads)

    return step
