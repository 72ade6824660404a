"""The Torch7-style training step the benchmarks time (one definition, shared by nn_small, charrnn, gpu)."""

from __future__ import annotations


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
