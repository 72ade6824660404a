"""Python ``[]`` on tensors: ints, slices, ``None``, ``...``, ByteTensor masks, LongTensor indices.

Basic keys (ints, slices with positive step, None, Ellipsis) give views; a key with a mask or
an index tensor gives a copy (Torch7's ``t[mask]`` is ``maskedSelect``).  Indexing every
dim with an int gives a Python number, as ``t[i]`` on a 1-D tensor does in Torch7.
"""

from __future__ import annotations

import numpy as np

from .backend import ascontig
from .storage import Storage, _wrap_number
from .tensor import Tensor, _fmt


def _convert(key, t: Tensor):
    """NumPy key for ``key``; second value tells whether it is basic (gives a view)."""
    if isinstance(key, Storage):
        # Torch7's t[LongStorage{i, j, ...}]: the full index of one element.
        if key._a.dtype.kind not in "iu":
            raise TypeError(f"index: a {key._typename} cannot index a tensor (use a LongStorage)")
        key = tuple(key._a.tolist())
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    basic = True
    for k in key:
        if isinstance(k, Tensor):
            basic = False
            if k._dtype == np.uint8:
                out.append(k._a.astype(bool))
            elif k._dtype.kind in "iu":
                out.append(k._a)
            else:
                raise TypeError(f"index: a {k._typename} cannot index a tensor (use a LongTensor or a ByteTensor mask)")
        elif isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError(f"index: slice step must be positive, got {k.step}")
            out.append(k)
        elif isinstance(k, (list, np.ndarray)):
            basic = False
            out.append(np.asarray(k))
        elif isinstance(k, (bool, np.bool_)):
            raise TypeError("index: booleans are not valid indices")
        elif k is None or k is Ellipsis or isinstance(k, (int, np.integer)):
            out.append(k)
        else:
            raise TypeError(f"index: invalid index of type {type(k).__name__} (use ints, slices, None, ..., "
                            "a LongTensor or a ByteTensor mask)")
    return tuple(out), basic


def _check_ints(key: tuple, shape: tuple, fname: str) -> None:
    d = 0
    for k in key:
        if k is None:
            continue
        if k is Ellipsis:
            return
        if isinstance(k, (int, np.integer)):
            if d >= len(shape):
                raise IndexError(f"{fname}: too many indices for a tensor of size {_fmt(shape)}")
            n = shape[d]
            if not -n <= k < n:
                raise IndexError(f"{fname}: index {k} out of range for dimension {d} of size {n}")
        d += 1
    if d > len(shape):
        raise IndexError(f"{fname}: too many indices ({d}) for a tensor of size {_fmt(shape)}")


def getitem(self: Tensor, key):
    a = self._a
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        n = a.shape[0] if a.size else 0
        i = key + n if key < 0 else key
        if not 0 <= i < n:
            raise IndexError(f"index {key} out of range for dimension 0 of size {n}")
        if a.ndim == 1:
            return a[i].item()
        return type(self)._view(self._st(), a[i])
    if a.size == 0:
        raise IndexError("index: cannot index an empty tensor")
    k, basic = _convert(key, self)
    if basic:
        _check_ints(k, a.shape, "index")
        r = a[k]
        if getattr(r, "ndim", 0) == 0:
            return r.item()
        if r.size == 0:
            r = r.reshape(0)
        return type(self)._view(self._st(), r)
    try:
        r = a[k]
    except IndexError as e:
        raise IndexError(f"index: {e} (tensor of size {_fmt(self.size())})") from None
    if getattr(r, "ndim", 0) == 0:
        return r.item()
    return type(self)._new(ascontig(r) if r.size else np.empty(0, a.dtype))


def setitem(self: Tensor, key, value) -> None:
    a = self._a
    if a.size == 0:
        raise IndexError("index: cannot assign into an empty tensor")
    k, basic = _convert(key, self)
    if basic:
        _check_ints(k, a.shape, "index")
    if isinstance(value, Tensor):
        v = value._a
        if not basic and len(k) == 1 and isinstance(k[0], np.ndarray) and k[0].dtype == bool:
            # Torch7's t[mask] = src is maskedCopy: the first count(mask) elements of src, in order.
            cnt = int(np.count_nonzero(k[0]))
            if v.size < cnt:
                raise ValueError(f"maskedCopy: source has {v.size} elements, the mask selects {cnt}")
            a[k] = v.reshape(-1)[:cnt]
            return
        try:
            a[k] = v
        except ValueError:
            sub = a[k]
            shape = sub.shape if isinstance(sub, np.ndarray) else ()
            if v.size != int(np.prod(shape)):
                raise ValueError(f"index assignment: source of size {_fmt(value.size())} does not fit "
                                 f"a target of size {_fmt(shape)}") from None
            a[k] = v.reshape(shape)
        return
    try:
        try:
            a[k] = value
        except OverflowError:  # C converts out-of-range integers by wrapping
            a[k] = _wrap_number(value, a.dtype)
    except (ValueError, TypeError) as e:
        raise TypeError(f"index assignment: cannot assign {type(value).__name__} ({e})") from None


METHODS = {"__getitem__": getitem, "__setitem__": setitem}
