"""Torch7's addcmul and addcdiv: ``x + value * t1 * t2`` and ``x + value * t1 / t2``, in every form.

They share the operand rules and the engine of ops_arith.py (broadcasting, C's integer semantics).
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .blaspool import MIN_BYTES as POOL_MIN
from .dispatch import bad_args, bshape, operand
from .ops_arith import NUM, num, quiet, run2, trunc_divide, ufunc_kernel
from .tensor import Tensor

_add_k = ufunc_kernel(np.add)


def _make_addc(name: str, divide: bool):
    """``name([res,] x, [value,] t1, t2)`` = x + value * t1 (* or /) t2; methods ``self.name([x,] [v,] t1, t2)``."""
    def compute(res, x, v, t1, t2):
        cls = type(res if res is not None else x)
        v = num(v, cls, name)
        P1, P2 = t1._a, t2._a
        if res is x and not divide and cls._is_float and x._a.nbytes >= POOL_MIN and blaspool.inplace(
                "iaddcmul", x._a, P1, P2, params=(v,)):
            return res  # x += v * t1 * t2 in one pass on OpenBLAS's threads
        pshape = P1.shape if P1.shape == P2.shape else bshape(P1, P2, name)
        P2 = operand(P2, pshape)
        intdiv = divide and not cls._is_float
        if intdiv:  # C evaluates value*t1/t2 in (at least) int: no wrap before the division
            P1 = P1.astype(np.int64)
        prod = np.multiply(P1, v) if v != 1 else P1
        with quiet():
            if not divide:
                prod = np.multiply(prod, P2)
            elif intdiv:
                q = np.empty(pshape, np.int64)
                trunc_divide(prod, P2, q)
                prod = q
            else:
                prod = np.divide(prod, P2)
        return run2(_add_k, name, res, x, prod)

    def parse(args, nlead, fname, form):
        """Split ``args`` into (leading tensors, value, t1, t2); nlead: allowed counts of leading tensors."""
        n = len(args)
        has_v = n >= 3 and isinstance(args[-3], NUM)
        lead = args[:n - 3] if has_v else args[:n - 2]
        if n >= 2 and len(lead) in nlead and all(isinstance(t, Tensor) for t in (*lead, args[-1], args[-2])):
            return lead, args[-3] if has_v else 1, args[-2], args[-1]
        raise bad_args(fname, args, form)

    def fn(*args):
        lead, v, t1, t2 = parse(args, (1, 2), f"torch.{name}", "([res,] x, [value,] t1, t2)")
        res, x = lead if len(lead) == 2 else (None, lead[0])
        return compute(res, x, v, t1, t2)

    def method(self, *args):
        lead, v, t1, t2 = parse(args, (0, 1), name, "([x,] [value,] t1, t2)")
        return compute(self, lead[0] if lead else self, v, t1, t2)

    fn.__name__ = method.__name__ = name
    return fn, method


addcmul, _addcmul_m = _make_addc("addcmul", False)
addcmul.__doc__ = _addcmul_m.__doc__ = """``addcmul([res,] x, [value,] t1, t2)`` = x + value * t1 * t2.

    Methods: ``x.addcmul([v,] t1, t2)`` in place, ``r.addcmul(x, [v,] t1, t2)`` into r.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([1, 1])
        >>> torch.addcmul(x, 2, torch.Tensor([1, 2]), torch.Tensor([3, 4])).tolist()
        [7.0, 17.0]
    """
addcdiv, _addcdiv_m = _make_addc("addcdiv", True)
addcdiv.__doc__ = _addcdiv_m.__doc__ = """``addcdiv([res,] x, [value,] t1, t2)`` = x + value * t1 / t2.

    Methods: ``x.addcdiv([v,] t1, t2)`` in place, ``r.addcdiv(x, [v,] t1, t2)`` into r.

    Integer tensors compute ``value * t1 / t2`` as C does (truncating division; by zero gives 0).
    """

METHODS = {"addcmul": _addcmul_m, "addcdiv": _addcdiv_m}
FUNCTIONS = {"addcmul": addcmul, "addcdiv": addcdiv}
