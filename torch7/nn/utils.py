"""Helpers shared by nn modules (Torch7's nn.utils): recursive type casts, fills, clearing."""

from __future__ import annotations

import numpy as np

from torch7._core import types as T
from torch7._core.backend import convert
from torch7._core.tensor import Tensor


def recursiveType(obj, typename: str, cache: dict | None = None):
    """Cast every tensor inside ``obj`` (modules, lists, dicts) to ``typename``, keeping storage sharing."""
    cache = {} if cache is None else cache
    if isinstance(obj, Tensor):
        return _cast_tensor(obj, typename, cache)
    if isinstance(obj, list):
        for i, v in enumerate(obj):
            obj[i] = recursiveType(v, typename, cache)
        return obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            obj[k] = recursiveType(v, typename, cache)
        return obj
    if hasattr(obj, "type") and hasattr(obj, "_typename") and not isinstance(obj, type) and hasattr(obj, "__dict__"):
        if obj._typename.startswith(("nn.", "nngraph.", "cudnn.")):
            return obj.type(typename, cache)
    return obj


def _cast_tensor(t: Tensor, typename: str, cache: dict) -> Tensor:
    if t._typename == typename:
        return t
    key = id(t)
    hit = cache.get(key)
    if hit is not None:
        return hit[1]
    cls = T.tensor_class(typename)
    if t._a.size == 0:
        new = cls()
    elif t._s is None:
        new = cls._new(convert(t._a, cls))
    else:
        # Convert the whole storage once, then rebuild the view: tensors sharing a storage stay shared.
        skey = ("storage", id(t._s))
        hit = cache.get(skey)
        if hit is None:
            st = cls._storage_cls._from_array(convert(t._s._a, cls))
            cache[skey] = (t._s, st)
        else:
            st = hit[1]
        new = cls()
        new.set(st, t.storageOffset(), t.size(), t.stride())
    cache[key] = (t, new)  # keep t alive so its id is not reused while the cache lives
    return new


def recursiveResizeAs(t1, t2):
    """Resize ``t1`` (tensor or nested list) like ``t2``; returns the new ``t1``."""
    if isinstance(t2, list):
        t1 = t1 if isinstance(t1, list) else []
        for i, v in enumerate(t2):
            if i < len(t1):
                t1[i] = recursiveResizeAs(t1[i], v)
            else:
                t1.append(recursiveResizeAs(None, v))
        del t1[len(t2):]
        return t1
    if isinstance(t2, Tensor):
        t1 = t1 if isinstance(t1, Tensor) and type(t1) is type(t2) else t2.new()
        return t1.resizeAs(t2)
    raise TypeError(f"recursiveResizeAs: expecting nested lists of tensors, got {type(t2).__name__}")


def recursiveFill(t, value):
    if isinstance(t, list):
        for v in t:
            recursiveFill(v, value)
    elif isinstance(t, Tensor):
        t.fill(value)
    else:
        raise TypeError(f"recursiveFill: expecting nested lists of tensors, got {type(t).__name__}")
    return t


def recursiveAdd(t1, val, t2=None):
    """``t1 += val * t2`` (or ``t1 += t2`` with two arguments) over nested lists."""
    if t2 is None:
        val, t2 = 1, val
    if isinstance(t2, list):
        for a, b in zip(t1, t2, strict=True):
            recursiveAdd(a, val, b)
    elif isinstance(t1, Tensor) and isinstance(t2, Tensor):
        t1.add(val, t2)
    else:
        raise TypeError(f"recursiveAdd: expecting nested lists of tensors, got {type(t2).__name__}")
    return t1


def recursiveCopy(t1, t2):
    if isinstance(t2, list):
        t1 = t1 if isinstance(t1, list) else []
        for i, v in enumerate(t2):
            if i < len(t1):
                t1[i] = recursiveCopy(t1[i], v)
            else:
                t1.append(recursiveCopy(None, v))
        del t1[len(t2):]
        return t1
    if isinstance(t2, Tensor):
        t1 = t1 if isinstance(t1, Tensor) else t2.new()
        t1.resizeAs(t2).copy(t2)
        return t1
    raise TypeError(f"recursiveCopy: expecting nested lists of tensors, got {type(t2).__name__}")


def addSingletonDimension(*args):
    """``addSingletonDimension([dst,] t, dim=0)``: a view of ``t`` with a size-1 dim inserted at ``dim``."""
    if len(args) >= 2 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
        dst, t, dim = args[0], args[1], (args[2] if len(args) > 2 else 0)
    else:
        dst, t, dim = None, args[0], (args[1] if len(args) > 1 else 0)
    v = t.unsqueeze(dim)
    if dst is None:
        return v
    return dst.set(v)


def contiguousView(output, input, *sizes):
    """A view of ``input`` with ``sizes``; copies into ``output`` first when ``input`` is not contiguous."""
    output = output if output is not None else input.new()
    if input.isContiguous():
        return output.set(input.view(*sizes))
    output.resize(input.size()).copy(input)
    return output.set(output.view(*sizes))


def clear(obj, *names):
    """Empty the named fields: tensors are set to nothing, lists become empty lists."""
    if len(names) == 1 and isinstance(names[0], (list, tuple)):
        names = tuple(names[0])
    for k in names:
        v = getattr(obj, k, None)
        if isinstance(v, Tensor):
            v.set()
        elif isinstance(v, list):
            setattr(obj, k, [])
        elif v is not None and not isinstance(v, (int, float)):
            setattr(obj, k, None)
    return obj


def is_array_like(x) -> bool:
    return isinstance(x, (Tensor, np.ndarray))



def positiveDimension(dimension: int, nInputDims: int | None, nd: int, owner: str, size_text: str) -> int:
    """Torch7's dim rule for modules with ``nInputDims``: negative dims count from the end, and an
    input with ``nInputDims + 1`` dims is a batch, shifting a non-negative dim by one.

    ``owner`` and ``size_text`` name the module and the input in the error.
    """
    d = dimension
    if d < 0:
        d += nd
    elif nInputDims is not None and nd == nInputDims + 1:
        d += 1
    if not 0 <= d < nd:
        raise IndexError(f"{owner}: dimension {dimension} out of range for an input of size {size_text}")
    return d
