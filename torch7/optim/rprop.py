"""optim.rprop: resilient backpropagation (Riedmiller & Braun, 1993)."""

from __future__ import annotations

import numbers

import numpy as np

from torch7._core.tensor import Tensor

from ._config import ANY, NUMBER, setup
from ._kernels import check_x, evaluate, field, opt, run

# ``stepsize`` is a number in the config, but Torch7 stores the per-element step sizes in
# ``state.stepsize``: with state == config the key holds a tensor after the first call.
_SCHEMA = {"stepsize": ANY, "etaplus": NUMBER, "etaminus": NUMBER, "stepsizemax": NUMBER,
           "stepsizemin": NUMBER, "niter": NUMBER}
_STATE = ("delta", "sign", "psign", "nsign", "zsign", "dminmax")


def rprop(feval, x, config=None, state=None):
    """Rprop (Torch7's ``optim.rprop``): per-element step sizes adapted by the sign of the gradient.

    Args:
        feval: ``feval(x) -> (f, df/dx)``; called ``niter`` times.
        x: the parameters, a Float or Double tensor.
        config: ``stepsize`` [0.1] (initial step size of every element), ``etaplus`` [1.2],
            ``etaminus`` [0.5], ``stepsizemax`` [50], ``stepsizemin`` [1e-6], ``niter`` [1].
        state: defaults to ``config``. Fields: ``delta`` (the previous gradient, zeroed where its
            sign changed), ``stepsize`` (tensor of step sizes: with state == config it replaces the
            number, as in Torch7), ``sign`` (x's type), and the ByteTensor masks ``psign``, ``nsign``,
            ``zsign`` (sign of g * delta > 0, < 0, == 0) and ``dminmax`` (step sizes clamped from below).
            Called with neither config nor state, it prints Torch7's "no state table" notice.

    Returns:
        ``(x, [f_1, ..., f_niter])``: f before each of the ``niter`` updates.

    Update rule, per element, ``niter`` times::

        s = sign(g * delta)
        stepsize *= etaplus if s > 0, etaminus if s < 0, 1 if s == 0
        stepsize = min(stepsize, stepsizemax), then max(stepsize, stepsizemin)
        g = 0 where s < 0                            (g, from feval, is modified in place)
        x -= sign(g) * stepsize;  delta = g

    PyTorch equivalence:
        ``torch.optim.Rprop(lr=stepsize, etas=(etaminus, etaplus), step_sizes=(stepsizemin,
        stepsizemax))`` gives the same iterates: the same clamps (upper then lower) and the same
        zeroing of the gradient where the sign changed (PyTorch zeroes a copy; Torch7 the
        gradient itself). ``niter`` n equals n PyTorch steps.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import optim
        >>> feval = lambda x: ((x * x).sum(), x * 2)
        >>> x, state = torch.Tensor([1, -2]), {"stepsize": 0.1, "niter": 50}
        >>> x, fs = optim.rprop(feval, x, state)
        >>> len(fs), x.abs().max() < 1e-3, state["psign"].type()
        (50, True, 'torch.ByteTensor')
    """
    if config is None and state is None:
        print("no state table RPROP initializing")  # as Torch7 does
    config, state = setup("rprop", config, state, _SCHEMA, _STATE)
    check_x("rprop", x)
    stepsize = opt(config, "stepsize", 0.1)
    etaplus = opt(config, "etaplus", 1.2)
    etaminus = opt(config, "etaminus", 0.5)
    smax = opt(config, "stepsizemax", 50.0)
    smin = opt(config, "stepsizemin", 1e-6)
    niter = opt(config, "niter", 1)
    byte = x._byte_cls  # a CudaByteTensor for CUDA x

    def kernel(x, g, delta, ss, sgn, ps, ns, zs, dmm, s):
        pb, nb, zb, db = ps.view(np.bool_), ns.view(np.bool_), zs.view(np.bool_), dmm.view(np.bool_)
        np.multiply(g, delta, out=sgn)
        np.greater(sgn, 0, out=pb)
        np.less(sgn, 0, out=nb)
        np.logical_or(pb, nb, out=zb)  # sign(NaN) is 0 in Torch7: NaN counts as "== 0"
        np.logical_not(zb, out=zb)
        sgn.fill(1)
        np.copyto(sgn, etaplus, where=pb)
        np.copyto(sgn, etaminus, where=nb)
        np.multiply(ss, sgn, out=ss)
        np.minimum(ss, smax, out=ss)
        np.less(ss, smin, out=db)
        np.maximum(ss, smin, out=ss)
        np.copyto(g, 0, where=nb)
        np.greater(g, 0, out=sgn)
        np.less(g, 0, out=s)
        np.subtract(sgn, s, out=sgn)
        np.multiply(sgn, ss, out=s)
        np.subtract(x, s, out=x)
        np.copyto(delta, g)

    hfx = []
    for _ in range(int(niter)):
        fx, g = evaluate("rprop", feval, x)
        if state.get("delta") is None:
            if not isinstance(stepsize, numbers.Real) or isinstance(stepsize, bool):
                raise TypeError(f"optim.rprop: config key 'stepsize' must be a number, got {type(stepsize).__name__}")
            for k in ("stepsize", "sign", *_STATE[2:]):
                state.pop(k, None)
            delta = field("rprop", state, "delta", x, g)
            ss = field("rprop", state, "stepsize", x, g, float(stepsize))
        else:
            delta = field("rprop", state, "delta", x, g)
            ss = state.get("stepsize")
            if not isinstance(ss, Tensor):
                raise TypeError("optim.rprop: state field 'stepsize' must be a tensor once 'delta' exists")
            ss = field("rprop", state, "stepsize", x, g)
        sgn = field("rprop", state, "sign", x, g, None)
        masks = [field("rprop", state, k, x, g, None, cls=byte)._a for k in ("psign", "nsign", "zsign", "dminmax")]
        run(kernel, [x._a, g._a, delta._a, ss._a, sgn._a, *masks])
        hfx.append(fx)
    return x, hfx
