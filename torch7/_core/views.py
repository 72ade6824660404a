"""Views (no copy), resizing and copying: narrow, select, sub, transpose, view, expand, set, ...

Every function here is installed as a Tensor method; the ``torch.*`` forms of those Torch7
also exposes as helpers (view, viewAs, expand, expandAs, split, chunk, permute, ...) are in
ops_viewforms.py.  Dims and indices are 0-based; negative ones count from the end.
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .backend import as_strided, ascontig, copyto
from .blaspool import MIN_BYTES as POOL_MIN
from .fastfill import fill_array
from .size import int_arg, parse_sizes, tensor_arg
from .storage import _wrap_number
from .tensor import Tensor, _fmt, _zeros


def _dim(t: Tensor, dim: int, fname: str, extra: int = 0) -> int:
    if type(dim) is not int:
        dim = int_arg(dim, fname, "dimension")
    nd = t.nDimension() + extra
    d = dim + nd if dim < 0 else dim
    if not 0 <= d < nd:
        raise IndexError(f"{fname}: dimension {dim} out of range for a {t.nDimension()}-D tensor "
                         f"of size {_fmt(t.size())}")
    return d


def _child(t: Tensor, arr: np.ndarray) -> Tensor:
    return type(t)._view(t._st(), arr)


def narrow(self: Tensor, dim: int, index: int, size: int) -> Tensor:
    """View of ``size`` entries of ``dim`` starting at ``index`` (0-based)."""
    d = _dim(self, dim, "narrow")
    index, size = int_arg(index, "narrow", "index"), int_arg(size, "narrow", "size")
    n = self._a.shape[d]
    if index < 0:
        index += n
    if index < 0 or size < 0 or index + size > n:
        raise IndexError(f"narrow: index {index} + size {size} out of range for dimension {dim} of size {n}")
    key = (slice(None),) * d + (slice(index, index + size),)
    arr = self._a[key]
    if size == 0:
        arr = arr.reshape(0)
    return _child(self, arr)


def select(self: Tensor, dim: int, index: int):
    """View with ``dim`` removed; a Python number when self is 1-D (as Torch7)."""
    d = _dim(self, dim, "select")
    if type(index) is not int:
        index = int_arg(index, "select", "index")
    a = self._a
    n = a.shape[d]
    i = index + n if index < 0 else index
    if not 0 <= i < n:
        raise IndexError(f"select: index {index} out of range for dimension {dim} of size {n}")
    if a.ndim == 1:
        return a[i].item()
    return _child(self, a[(slice(None),) * d + (i,)])


def sub(self: Tensor, *ranges) -> Tensor:
    """Inclusive ranges on up to all dims: ``sub(d0s, d0e [, d1s, d1e ...])`` (0-based, negatives from end)."""
    if len(ranges) % 2 or len(ranges) // 2 > self.nDimension():
        raise ValueError(f"sub: expected pairs of (start, end) for at most {self.nDimension()} dims, "
                         f"got {len(ranges)} values")
    key = []
    for d in range(len(ranges) // 2):
        n = self._a.shape[d]
        s, e = int_arg(ranges[2 * d], "sub", "start"), int_arg(ranges[2 * d + 1], "sub", "end")
        s = s + n if s < 0 else s
        e = e + n if e < 0 else e
        if not (0 <= s < n and s <= e < n):
            raise IndexError(f"sub: range [{ranges[2*d]}, {ranges[2*d+1]}] out of range for dimension {d} of size {n}")
        key.append(slice(s, e + 1))
    return _child(self, self._a[tuple(key)])


def transpose(self: Tensor, d1: int, d2: int) -> Tensor:
    a1 = _dim(self, d1, "transpose")
    a2 = _dim(self, d2, "transpose")
    return _child(self, self._a.swapaxes(a1, a2))


def t(self: Tensor) -> Tensor:
    if self.nDimension() != 2:
        raise ValueError(f"t: expected a 2-D tensor, got size {_fmt(self.size())}")
    return _child(self, self._a.T)


def permute(self: Tensor, *dims) -> Tensor:
    dims = parse_sizes(dims, "permute")
    nd = self.nDimension()
    if sorted(d + nd if d < 0 else d for d in dims) != list(range(nd)):
        raise ValueError(f"permute: {list(dims)} is not a permutation of the {nd} dims of a tensor "
                         f"of size {_fmt(self.size())}")
    if nd == 0:  # an empty tensor: nothing to permute
        return _child(self, self._a)
    return _child(self, self._a.transpose(dims))


def unfold(self: Tensor, dim: int, size: int, step: int) -> Tensor:
    """Adds a last dim of length ``size``: windows along ``dim`` taken every ``step``."""
    a = self._a
    if self.nDimension() == 0:
        raise ValueError("unfold: cannot unfold an empty tensor")
    d = _dim(self, dim, "unfold")
    size, step = int_arg(size, "unfold", "size"), int_arg(step, "unfold", "step")
    n = a.shape[d]
    if size > n or size <= 0 or step <= 0:
        raise ValueError(f"unfold: size {size} and step {step} invalid for dimension {dim} of size {n}")
    shape = a.shape[:d] + ((n - size) // step + 1,) + a.shape[d + 1:] + (size,)
    strides = a.strides[:d] + (a.strides[d] * step,) + a.strides[d + 1:] + (a.strides[d],)
    st = self._st()
    arr = as_strided(a, shape, strides)
    return type(self)._view(st, arr)


def _infer(sizes: tuple, n: int, fname: str, src) -> tuple:
    if -1 in sizes:
        if sizes.count(-1) > 1:
            raise ValueError(f"{fname}: only one dimension can be -1, got {list(sizes)}")
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        if known == 0 or n % known:
            raise ValueError(f"Wrong size for view. Input size: {_fmt(src)}. Output size: {_fmt(sizes)}")
        sizes = tuple(n // known if s == -1 else s for s in sizes)
    total = 1
    for s in sizes:
        total *= s
    if total != n:
        raise ValueError(f"Wrong size for view. Input size: {_fmt(src)}. Output size: {_fmt(sizes)}")
    return sizes


def view(self: Tensor, *sizes) -> Tensor:
    """View with new sizes (one may be -1); the source must be contiguous."""
    a = self._a
    if len(sizes) == 1 and not isinstance(sizes[0], int):
        sizes = parse_sizes(sizes, "view")
    if a.flags.c_contiguous and a.size:
        try:
            r = a.reshape(sizes)  # fast path: NumPy checks the count and infers -1
        except (ValueError, TypeError):
            pass
        else:
            t = object.__new__(type(self))
            t._a = r
            t._s = self._s if self._s is not None else self._st()
            return t
    sizes = _infer(parse_sizes(sizes, "view"), a.size, "view", self.size())
    if not a.flags.c_contiguous:
        raise ValueError(f"view: input of size {_fmt(self.size())} is not contiguous (call :contiguous() first)")
    return _child(self, a)


def viewAs(self: Tensor, template: Tensor) -> Tensor:
    tensor_arg(template, "viewAs", "a template tensor")
    if template._a.size != self._a.size:
        raise ValueError(f"viewAs: cannot view a tensor of size {_fmt(self.size())} as one of size "
                         f"{_fmt(template.size())}")
    if self._a.size == 0:  # empty as empty
        return _child(self, self._a.reshape(0))
    return view(self, template.size())


def reshape_view(self: Tensor, *sizes) -> Tensor:
    """PyTorch-style reshape: a view when possible, else a contiguous copy."""
    sizes = _infer(parse_sizes(sizes, "reshape"), self._a.size, "reshape", self.size())
    if self._a.flags.c_contiguous:
        return view(self, sizes)
    return type(self)._new(ascontig(self._a).reshape(sizes))


def expand(self: Tensor, *sizes) -> Tensor:
    """Writable stride-0 view repeating singleton dims (extra leading dims are allowed)."""
    sizes = parse_sizes(sizes, "expand")
    if any(s < -1 for s in sizes):
        raise ValueError(f"expand: sizes must not be negative (-1 keeps a dimension), got {list(sizes)}")
    a = self._a
    nd = self.nDimension()
    if len(sizes) < nd:
        raise ValueError(f"expand: the number of sizes ({len(sizes)}) is less than the number of dims of "
                         f"the tensor of size {_fmt(self.size())}")
    lead = len(sizes) - nd
    if any(s < 0 for s in sizes[:lead]):
        raise ValueError(f"expand: -1 keeps an existing dimension; new leading dimensions need a size, got "
                         f"{list(sizes)} for a tensor of size {_fmt(self.size())}")
    shape, strides = list(sizes[:lead]), [0] * lead
    for i in range(nd):
        have, want = a.shape[i], sizes[lead + i]
        if want == -1 or want == have:
            shape.append(have)
            strides.append(a.strides[i])
        elif have == 1:
            shape.append(want)
            strides.append(0)
        else:
            raise ValueError(f"expand: cannot expand size {_fmt(a.shape)} to {_fmt(sizes)} "
                             f"(dimension {i} has size {have}, not 1)")
    if tuple(shape) == a.shape:
        return _child(self, a[...])
    return _child(self, as_strided(a, tuple(shape), tuple(strides)))


def expandAs(self: Tensor, other: Tensor) -> Tensor:
    tensor_arg(other, "expandAs")
    return expand(self, other.size())


def squeeze(self: Tensor, dim: int | None = None):
    """In place: removes size-1 dims (or only ``dim``); a number when one element is left."""
    a = self._a
    if a.size == 0:
        return self
    if dim is None:
        new = a.reshape(tuple(s for s in a.shape if s != 1)) if 1 in a.shape else a
        if new.ndim == 0:
            new = a.reshape(1)
    else:
        d = _dim(self, dim, "squeeze")
        new = a.reshape(a.shape[:d] + a.shape[d + 1:]) if a.shape[d] == 1 and a.ndim > 1 else a
    if new is not a:
        self._st()
        self._a = new
    if self._a.size == 1 and self._a.ndim == 1 and dim is None:
        return self._a[0].item()
    return self


def unsqueeze(self: Tensor, dim: int) -> Tensor:
    """View with a size-1 dim inserted at ``dim`` (not in Torch7; PyTorch's name)."""
    d = _dim(self, dim, "unsqueeze", extra=1)
    a = self._a
    return _child(self, np.expand_dims(a, d))


def split(self: Tensor, size: int, dim: int = 0) -> list:
    """List of views of ``size`` entries along ``dim`` (the last may be shorter)."""
    d = _dim(self, dim, "split")
    size = int_arg(size, "split", "size")
    n = self._a.shape[d]
    if size <= 0:
        raise ValueError(f"split: size must be positive, got {size}")
    return [narrow(self, d, i, min(size, n - i)) for i in range(0, n, size)]


def chunk(self: Tensor, n: int, dim: int = 0) -> list:
    d = _dim(self, dim, "chunk")
    n = int_arg(n, "chunk", "number of chunks")
    if n <= 0:
        raise ValueError(f"chunk: the number of chunks must be positive, got {n}")
    size = -(-self._a.shape[d] // n)
    return split(self, size, d)


def set_(self: Tensor, *args) -> Tensor:
    """Re-point self: ``set(tensor)`` or ``set(storage [, offset [, sizes [, strides]]])``."""
    if not args:
        self._a = self._xp.empty(0, self._dtype)
        self._s = None
        return self
    src = args[0]
    if isinstance(src, Tensor):
        if src._dtype != self._dtype:
            raise TypeError(f"set: cannot point a {self._typename} at a {src._typename}")
        self._s = src._st()
        self._a = src._a
        return self
    self._set_storage(*args)
    return self


def resize(self: Tensor, *sizes) -> Tensor:
    """Resize (contiguous strides); the storage grows when needed and never shrinks."""
    sizes = parse_sizes(sizes, "resize")
    a = self._a
    if a.shape == sizes and a.size:
        return self  # Torch7 keeps the strides when the size does not change
    n = 1
    for s in sizes:
        if s < 0:
            raise ValueError(f"resize: invalid size {_fmt(sizes)}")
        n *= s
    if n == 0 or not sizes:  # no sizes: Torch7's tensor with no dimension (not a 1-element 0-d array)
        if self._s is None:
            self._a = self._xp.empty(0, self._dtype)
        else:
            self._a = self._s._a[0:0]
        return self
    if self._s is None and a.size == 0:
        self._a = self._xp.zeros(sizes, self._dtype)
        return self
    st = self._st()
    off = self.storageOffset() if a.size else 0
    if st._a.shape[0] < off + n:
        st.resize(off + n)
    self._a = st._a[off:off + n].reshape(sizes)
    return self


def resizeAs(self: Tensor, other: Tensor) -> Tensor:
    tensor_arg(other, "resizeAs")
    return resize(self, other.size())


def contiguous(self: Tensor) -> Tensor:
    a = self._a
    if a.flags.c_contiguous:
        return self
    if type(a) is np.ndarray and a.ndim == 2 and a.nbytes >= POOL_MIN:
        mod = blaspool.numba_module("pool_gemm")
        t = None if mod is None else mod.transposed_copy(a)  # x.t().contiguous() on OpenBLAS's threads
        if t is not None:
            return type(self)._new(t)
    return type(self)._new(ascontig(a))


def clone(self: Tensor) -> Tensor:
    a = self._a
    if a.nbytes >= POOL_MIN and type(a) is np.ndarray:
        out = np.empty(a.shape, a.dtype)
        if blaspool.copy(out, a):
            return type(self)._new(out)
    return type(self)._new(a.copy(order="C") if a.size else self._xp.empty(0, a.dtype))


def copy(self: Tensor, src) -> Tensor:
    """Copy the elements of ``src`` (any type; only nElement must match) into self."""
    dst = self._a
    s = src._a if isinstance(src, Tensor) else np.asarray(src)
    if s.shape != dst.shape:
        if s.size != dst.size:
            raise ValueError(f"copy: sizes do not match: destination {_fmt(self.size())} vs source "
                             f"{_fmt(s.shape if s.size else ())}")
        if dst.size == 0:
            return self
        s = s.reshape(dst.shape) if s.flags.c_contiguous else ascontig(s).reshape(dst.shape)
    if type(s) is not type(dst):  # across devices
        copyto(dst, s)
    elif s.dtype == dst.dtype:
        if dst.nbytes < POOL_MIN or not blaspool.copy(dst, s):
            np.copyto(dst, s)
    else:
        np.copyto(dst, s, casting="unsafe")
    return self


def fill(self: Tensor, value) -> Tensor:
    try:
        fill_array(self._a, value)
    except OverflowError:  # C converts out-of-range integers by wrapping
        fill_array(self._a, _wrap_number(value, self._dtype))
    except (TypeError, ValueError):
        raise TypeError(f"fill: expected a number, got {type(value).__name__}") from None
    return self


def zero(self: Tensor) -> Tensor:
    fill_array(self._a, 0)
    return self


def repeatTensor(self: Tensor, *sizes) -> Tensor:
    """A copy repeating self ``sizes[i]`` times along dim i (extra leading dims allowed)."""
    sizes = parse_sizes(sizes, "repeatTensor")
    if any(s < 0 for s in sizes):
        raise ValueError(f"repeatTensor: the numbers of repetitions must not be negative, got {list(sizes)}")
    a = self._a
    if len(sizes) < a.ndim:
        raise ValueError(f"repeatTensor: number of repetitions ({len(sizes)}) cannot be smaller than "
                         f"the number of dimensions of the tensor of size {_fmt(self.size())}")
    return type(self)._new(ascontig(np.tile(a, sizes)) if a.size else _zeros((), a.dtype))


METHODS = {
    "narrow": narrow, "select": select, "sub": sub, "transpose": transpose, "t": t,
    "permute": permute, "unfold": unfold, "view": view, "viewAs": viewAs, "expand": expand,
    "expandAs": expandAs, "squeeze": squeeze, "unsqueeze": unsqueeze, "split": split,
    "chunk": chunk, "set": set_, "resize": resize, "resizeAs": resizeAs,
    "contiguous": contiguous, "clone": clone, "copy": copy, "fill": fill, "zero": zero,
    "repeatTensor": repeatTensor,
}
