"""Shared pieces of the gradient definitions: registration and the linear helper primitives.

The helpers come in adjoint pairs (sum_to / broadcast_to, reshape / reshape back, ...) so that
every gradient function is itself made of primitives and can be differentiated again.
"""

from __future__ import annotations

import numpy as np

from .._core import FUNCTIONS as _ORIG
from .._core.tensor import Tensor
from . import _node, _overload
from ._node import Node, plain
from ._tape import primitive

F = dict(_ORIG)  # the original torch7 functions (the namespace may hold the guards while df runs)
P: dict = {}  # name -> recording function (primitive or composite), used by the gradient functions


def defun(name: str, raw, grads, ns: bool = True, methods: tuple = ()):
    """Register ``raw`` with ``grads`` as a primitive; ``ns``: also the torch7 function of that name;
    ``methods``: the Node methods that call it."""
    p = primitive(raw, grads, name)
    register(name, p, ns, methods)
    return p


def register(name: str, fn, ns: bool = True, methods: tuple = ()):
    """Register a recording function (a primitive, or a composite of primitives)."""
    P[name] = fn
    if ns:
        if name not in F:
            raise KeyError(f"torch.{name} is not a torch7 function")
        _overload.REGISTRY[name] = fn
    for m in methods:
        _node.METHODS[m] = fn
    return fn


def is_tensor(v) -> bool:
    return isinstance(plain(v), Tensor)


def shape(v) -> tuple:
    return plain(v)._a.shape


def nel(v) -> int:
    return plain(v)._a.size


def zeros_like(t: Tensor) -> Tensor:
    """A zero tensor of the type and size of the plain tensor ``t``."""
    return type(t)._new(t._xp.zeros(t._a.shape, t._dtype)) if t._a.size else t.new()


def _from(t: Tensor, arr) -> Tensor:
    """A new tensor of ``t``'s class from an array of its engine (NumPy, or CuPy for the Cuda types)."""
    return type(t)._new(t._xp.ascontiguousarray(arr, dtype=t._dtype))


def add_at(t: Tensor, key, values) -> None:
    """``t[key] += values`` where ``key`` may repeat positions (they all add up)."""
    xp = t._xp
    if xp is np or hasattr(xp.add, "at"):
        xp.add.at(t._a, key, values)
    else:  # older CuPy
        import cupyx
        cupyx.scatter_add(t._a, key, values)


# ---- adjoint pairs of linear helpers ----------------------------------------------------------
def _sum_to_raw(g: Tensor, shp: tuple) -> Tensor:
    a = g._a
    lead = a.ndim - len(shp)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shp) if s == 1 and a.shape[lead + i] != 1)
    r = a.sum(axis=axes, keepdims=True) if axes else a
    return _from(g, r.reshape(shp))


def _broadcast_to_raw(x, shp: tuple, like: Tensor):
    if isinstance(x, Tensor):
        return _from(x, x._xp.broadcast_to(x._a, shp))
    return _from(like, like._xp.full(shp, x, like._dtype))


sum_to = defun("_sum_to", _sum_to_raw, [lambda g, ans, x, shp: broadcast_to(g, shape(x), plain(x))], ns=False)
broadcast_to = defun("_broadcast_to", _broadcast_to_raw,
                     [lambda g, ans, x, shp, like: sum_to(g, shape(x)) if is_tensor(x) else P["sum"](g)], ns=False)


def _reshape_raw(x, like: Tensor) -> Tensor:
    if not isinstance(x, Tensor):
        return _from(like, like._xp.full(like._a.shape, x, like._dtype))
    a = x._a
    return type(x)._new(a.reshape(like._a.shape) if a.flags.c_contiguous else x._xp.ascontiguousarray(a).reshape(
        like._a.shape))


def _reshape_grad(g, ans, x, like):
    if is_tensor(x):
        return reshape(g, plain(x))
    return P["sum"](g)


reshape = defun("_reshape", _reshape_raw, [_reshape_grad], ns=False)


def unbroadcast(g, x):
    """``g`` (the gradient of a broadcast result) summed or reshaped to the size of the operand ``x``."""
    if not is_tensor(x):
        return P["sum"](g) if is_tensor(g) else g
    if not is_tensor(g):
        return broadcast_to(g, shape(x), plain(x))
    gs, xs = shape(g), shape(x)
    if gs == xs:
        return g
    try:
        ok = np.broadcast_shapes(xs, gs) == gs
    except ValueError:
        ok = False
    if ok:
        return sum_to(g, xs)
    if nel(g) == nel(x):  # Torch7's rule: same number of elements, shaped like the first operand
        return reshape(g, plain(x))
    raise RuntimeError(f"autograd: cannot reduce a gradient of size {gs} to size {xs}")


def fill_as(v, like: Tensor):
    """A tensor of the size and type of ``like`` filled with the number ``v`` (recorded in ``v``)."""
    return broadcast_to(v, like._a.shape, like)


def _np_key(key, t: Tensor):
    from .._core.getitem import _convert
    k, basic = _convert(key, t)
    return k, basic


def _put_raw(g, like: Tensor, key) -> Tensor:
    z = zeros_like(like)
    k, basic = _np_key(key, like)
    gv = g._a if isinstance(g, Tensor) else g
    if basic:
        z._a[k] = gv
    else:  # advanced keys may repeat an index: gradients add up
        add_at(z, k, gv)
    return z


def _getitem_raw(x, key):
    return x[key]


getitem = defun("getitem", _getitem_raw, [lambda g, ans, x, key: put(g, plain(x), key)], ns=False)
put = defun("_put", _put_raw, [lambda g, ans, x, like, key: getitem(g, key)], ns=False)
_node.OPS["getitem"] = getitem


def sign_of(x) -> Tensor:
    """The sign of the plain value of ``x`` (a constant: its derivative is zero almost everywhere)."""
    v = plain(x)
    return F["sign"](v) if isinstance(v, Tensor) else float(np.sign(v))


def mask(cond, like: Tensor) -> Tensor:
    """A 0/1 tensor of ``like``'s type from a boolean array (a constant)."""
    return _from(like, cond)


def is_node(v) -> bool:
    return type(v) is Node
