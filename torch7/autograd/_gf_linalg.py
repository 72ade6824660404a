"""Gradients of the matrix products and of inverse and trace (part of gradfuns)."""

from __future__ import annotations

import operator

from .._core.tensor import Tensor
from . import _node
from ._gfbase import F, P, defun, fill_as, mask, register, shape, unbroadcast
from ._node import plain


def _tr(x):
    return P["_t"](x)


def _btr(x):
    return P["_transpose"](x, 1, 2)


def _mm_gx(g, ans, x, y):
    return g @ _tr(y)


def _mm_gy(g, ans, x, y):
    return _tr(x) @ g


defun("dot", lambda x, y: F["dot"](x, y), [lambda g, ans, x, y: unbroadcast(g * y, x),
                                          lambda g, ans, x, y: unbroadcast(g * x, y)], methods=("dot",))
defun("mv", lambda m, v: F["mv"](m, v), [lambda g, ans, m, v: P["ger"](g, v), lambda g, ans, m, v: _tr(m) @ g])
defun("mm", lambda a, b: F["mm"](a, b), [_mm_gx, _mm_gy])
defun("bmm", lambda a, b: F["bmm"](a, b), [lambda g, ans, a, b: P["bmm"](g, _btr(b)),
                                          lambda g, ans, a, b: P["bmm"](_btr(a), g)])
defun("ger", lambda x, y: F["ger"](x, y), [lambda g, ans, x, y: g @ y, lambda g, ans, x, y: _tr(g) @ x])


def _matmul_grad(i):
    def gf(g, ans, x, y):
        nd = (len(shape(x)), len(shape(y)))
        if nd == (1, 1):
            return g * (y if i == 0 else x)
        if nd == (2, 1):
            return P["ger"](g, y) if i == 0 else _tr(x) @ g
        if nd == (3, 3):
            return P["bmm"](g, _btr(y)) if i == 0 else P["bmm"](_btr(x), g)
        return _mm_gx(g, ans, x, y) if i == 0 else _mm_gy(g, ans, x, y)
    return gf


_node.OPS["matmul"] = defun("__matmul__", operator.matmul, [_matmul_grad(0), _matmul_grad(1)], ns=False)


def _addx(name: str, ntail: int, product):
    """Torch7's ``add*`` products, ``[v1,] M, [v2,] A, B`` -> ``v1 * M + v2 * product(A, B)``, composed of
    recorded operations (so their gradients, of any order, come from the parts)."""
    def fn(*args):
        v1, v2, tensors = None, None, []
        for a in args:
            if isinstance(plain(a), Tensor):
                tensors.append(a)
            elif tensors:
                v2 = a
            else:
                v1 = a
        if len(tensors) != 1 + ntail:
            raise TypeError(f"autograd: torch.{name} is supported on autograd Nodes as {name}([v1,] M, [v2,] "
                            f"{', '.join('AB'[:ntail])}) only (no result tensor argument)")
        m, *rest = tensors
        prod = product(*rest)
        return (m if v1 is None else v1 * m) + (prod if v2 is None else v2 * prod)
    fn.__name__ = name
    return register(name, fn)


_addx("addmm", 2, lambda a, b: P["mm"](a, b))
_addx("addmv", 2, lambda a, b: P["mv"](a, b))
_addx("addr", 2, lambda a, b: P["ger"](a, b))
_addx("baddbmm", 2, lambda a, b: P["bmm"](a, b))
_addx("addbmm", 2, lambda a, b: P["view"](P["sum"](P["bmm"](a, b), 0), *shape(a)[1:2], *shape(b)[2:3]))

defun("inverse", lambda x: F["inverse"](x), [lambda g, ans, x: -(_tr(ans) @ g @ _tr(ans))])


def _trace_grad(g, ans, x):
    px = plain(x)
    r, c = px._a.shape
    return fill_as(g, px) * mask(px._xp.eye(r, c, dtype=bool), px)


defun("trace", lambda x: F["trace"](x), [_trace_grad])
