"""Construction and shape helpers: zeros, ones, reshape, diag, eye, range, linspace, logspace,
tril, triu, cat, plus the ``torch.*`` forms of zero, fill and squeeze (the torch.* forms of the
other view helpers, torch.view/expand/split/..., live in views.py).

Dispatch as Torch7: a first tensor argument is the result (resized and filled) for the
constructors, the source otherwise; without one, a trailing ``'torch.XTensor'`` picks the type,
else the default type.  Methods are the same call with self first: ``x.zeros(3, 4)`` resizes
and fills x, ``x.diag()`` returns a new tensor, ``r.cat(a, b)`` writes into r.
Dims are 0-based; ``range`` is inclusive of its upper bound, as in Torch7.
"""

from __future__ import annotations

import numpy as np

from . import types as T
from . import views
from .backend import ascontig, copyto
from .dispatch import bad_args, is_number, pop_typename, prepare
from .fastfill import filled
from .size import parse_sizes
from .tensor import Tensor, _fmt, _zeros


def _sz(a: np.ndarray) -> str:
    return _fmt(a.shape if a.size else ())


def _target(args: tuple) -> tuple:
    """(res or None, remaining args, result class) for the constructors."""
    if args and isinstance(args[0], Tensor):
        return args[0], args[1:], type(args[0])
    args, cls = pop_typename(args)
    return None, args, cls


def _res_src(args: tuple, fname: str, expected: str) -> tuple:
    """(res or None, source, remaining args) for ``f([res,] x, ...)``."""
    if len(args) >= 2 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
        res, x, rest = args[0], args[1], args[2:]
        if type(res) is not type(x):
            raise TypeError(f"{fname}: result type {res._typename} does not match source type {x._typename}")
        return res, x, rest
    if args and isinstance(args[0], Tensor):
        return None, args[0], args[1:]
    raise bad_args(f"torch.{fname}", args, expected)


def _emit(res, cls: type, out: np.ndarray):
    """Return ``out`` as a new tensor of ``cls``, or copy it into ``res`` (resized)."""
    if res is None:
        return cls._new(ascontig(out) if out.size else np.empty(0, cls._dtype))
    prepare(res, cls, out.shape if out.size else ())
    if out.size:
        copyto(res._a, out)
    return res


def _emit_seq(res, cls: type, vals: np.ndarray):
    """Like ``_emit`` for a 1-D sequence, but a result that already holds as many elements keeps
    its sizes (Torch7 resizes range/linspace/logspace results only when the count differs)."""
    if res is not None and vals.size and res._a.size == vals.size:
        copyto(res._a, vals.reshape(res._a.shape))
        return res
    return _emit(res, cls, vals)


def _float_only(cls: type, fname: str) -> None:
    if not cls._is_float:
        raise TypeError(f"{fname}: not defined for {cls._typename} (use a Float or Double tensor)")


def _int_arg(v, fname: str, what: str) -> int:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{fname}: {what} must be an integer, got {v!r}")
    return int(v)


# ---- filled constructors -------------------------------------------------------------------
def _filled(fname: str, value: int):
    def fn(*args):
        if args and type(args[0]) is int:  # fast path: torch.zeros(3, 4) in the default type
            cls = T.DEFAULT.tensor
            try:
                arr = filled(args, cls._dtype, value)
            except (TypeError, ValueError):  # a typename, a negative size, ...: the general path
                pass
            else:
                if arr.size:
                    return cls._new(arr)
        res, args, cls = _target(args)
        sizes = parse_sizes(args, fname)
        if any(s < 0 for s in sizes):
            raise ValueError(f"{fname}: invalid size {_fmt(sizes)}: sizes must be non-negative")
        if res is None:
            empty = not sizes or 0 in sizes
            return cls._new(_zeros(sizes, cls._dtype) if empty else filled(sizes, cls._dtype, value))
        prepare(res, cls, sizes if sizes and 0 not in sizes else ())
        res.fill(value)
        return res

    fn.__name__ = fname
    return fn


zeros = _filled("zeros", 0)
zeros.__doc__ = """A tensor of the given sizes filled with 0 (``x.zeros(sizes)`` resizes and fills x).

    Args:
        [res,] sizes... (ints, a torch.Size or a LongStorage) [, typename]

    Example:
        >>> import torch7 as torch
        >>> torch.zeros(2, 3, 'torch.IntTensor').size()
        torch.Size([2, 3])
    """
ones = _filled("ones", 1)
ones.__doc__ = "A tensor of the given sizes filled with 1 (``x.ones(sizes)`` resizes and fills x)."


def eye(*args) -> Tensor:
    """An n×m (default n×n) matrix with ones on the diagonal: ``eye([res,] n [, m] [, typename])``."""
    res, args, cls = _target(args)
    if not 1 <= len(args) <= 2:
        raise bad_args("torch.eye", args, "([res,] n [, m] [, typename])")
    n = _int_arg(args[0], "eye", "n")
    m = _int_arg(args[1], "eye", "m") if len(args) > 1 else 0
    if n <= 0:
        raise ValueError(f"eye: n must be positive, got {n}")
    return _emit(res, cls, np.eye(n, m if m > 0 else n, dtype=cls._dtype))


def range_(*args) -> Tensor:
    """Values from x to y (inclusive) by step: ``range([res,] x, y [, step=1] [, typename])``.

    Example:
        >>> import torch7 as torch
        >>> torch.range(1, 4).totable()
        [1.0, 2.0, 3.0, 4.0]
    """
    res, args, cls = _target(args)
    if len(args) not in (2, 3) or not all(is_number(v) for v in args):
        raise bad_args("torch.range", args, "([res,] x, y [, step] [, typename])")
    conv = float if cls._is_float else int  # Torch7 reads them as accreal: double or long
    xmin, xmax = conv(args[0]), conv(args[1])
    step = conv(args[2]) if len(args) > 2 else conv(1)
    if step == 0:
        raise ValueError("range: step must be nonzero")
    if (step > 0 and xmax < xmin) or (step < 0 and xmax > xmin):
        raise ValueError(f"range: upper bound {args[1]} and lower bound {args[0]} inconsistent with step sign {step}")
    if cls._is_float:
        n = int((xmax - xmin) / step + 1)
        vals = np.arange(n, dtype=np.float64) * step + xmin
    else:
        n = (xmax - xmin) // step + 1
        vals = np.arange(n, dtype=np.int64) * step + xmin
    return _emit_seq(res, cls, vals.astype(cls._dtype, copy=False))


def _spaced(fname: str, log: bool):
    def fn(*args):
        res, args, cls = _target(args)
        _float_only(cls, fname)
        if len(args) not in (2, 3) or not all(is_number(v) for v in args):
            raise bad_args(f"torch.{fname}", args, "([res,] a, b [, n=100] [, typename])")
        n = _int_arg(args[2], fname, "n") if len(args) > 2 else 100
        dt = cls._dtype
        a, b = dt.type(args[0]), dt.type(args[1])
        if not (n > 1 or (n == 1 and a == b)):
            raise ValueError(f"{fname}: invalid number of points {n} (from {args[0]} to {args[1]})")
        if n == 1:
            vals = np.full(1, a, dt)
        else:
            # the same order of operations as C, in the tensor's precision: a + i*(b-a)/(n-1)
            vals = np.arange(n, dtype=dt) * (b - a) / dt.type(n - 1) + a
        if log:
            vals = np.power(10.0, vals.astype(np.float64)).astype(dt)
        return _emit_seq(res, cls, vals)

    fn.__name__ = fname
    return fn


linspace = _spaced("linspace", False)
linspace.__doc__ = """n equally spaced points from a to b: ``linspace([res,] a, b [, n=100])`` (float types only).

    Example:
        >>> import torch7 as torch
        >>> torch.linspace(0, 1, 5).totable()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
logspace = _spaced("logspace", True)
logspace.__doc__ = "n points from 10^a to 10^b, log-spaced: ``logspace([res,] a, b [, n=100])`` (float types only)."


# ---- copies of a source ----------------------------------------------------------------------
def reshape(*args) -> Tensor:
    """A contiguous copy of x with new sizes: ``reshape([res,] x, sizes...)`` (one size may be -1).

    Example:
        >>> import torch7 as torch
        >>> torch.reshape(torch.range(1, 6), 2, 3).size()
        torch.Size([2, 3])
    """
    res, x, rest = _res_src(args, "reshape", "([res,] tensor, sizes...)")
    a = x._a
    sizes = _full_sizes(parse_sizes(rest, "reshape"), a.size, x)
    if res is None:
        return type(x)._new(a.reshape(sizes).copy() if a.size else np.empty(0, a.dtype))
    # np.copyto copes with a result that overlaps the source, and resizing never writes data
    return _emit(res, type(x), a.reshape(sizes) if a.size else a)


def _full_sizes(sizes: tuple, n: int, x: Tensor) -> tuple:
    """``sizes`` with a -1 entry inferred; raises unless they hold exactly n elements."""
    known = 1
    for s in sizes:
        if s != -1:
            if s < 0:
                raise ValueError(f"reshape: invalid size {_fmt(sizes)}")
            known *= s
    if sizes.count(-1) == 1 and known and n % known == 0:
        sizes = tuple(n // known if s == -1 else s for s in sizes)
        known = n
    if known != n or sizes.count(-1):
        raise ValueError(f"reshape: cannot reshape a tensor of size {_sz(x._a)} ({n} elements) "
                         f"to size {_fmt(sizes)}")
    return sizes


def diag(*args) -> Tensor:
    """Vector -> square matrix with it on diagonal k; matrix -> its k-th diagonal: ``diag([res,] x [, k=0])``.

    Example:
        >>> import torch7 as torch
        >>> torch.diag(torch.Tensor([1, 2])).totable()
        [[1.0, 0.0], [0.0, 2.0]]
    """
    res, x, rest = _res_src(args, "diag", "([res,] tensor [, k])")
    if len(rest) > 1:
        raise bad_args("torch.diag", args, "([res,] tensor [, k])")
    k = _int_arg(rest[0], "diag", "k") if rest else 0
    nd = x.nDimension()
    if nd == 1:
        out = np.diag(x._a, k)
    elif nd == 2:
        out = np.diagonal(x._a, k).copy()
    else:
        raise ValueError(f"diag: expected a vector or a matrix, got a tensor of size {_sz(x._a)}")
    return _emit(res, type(x), out)


def _triangle(fname: str, npf):
    def fn(*args):
        res, x, rest = _res_src(args, fname, "([res,] matrix [, k])")
        if len(rest) > 1:
            raise bad_args(f"torch.{fname}", args, "([res,] matrix [, k])")
        k = _int_arg(rest[0], fname, "k") if rest else 0
        if x.nDimension() != 2:
            raise ValueError(f"{fname}: expected a matrix, got a tensor of size {_sz(x._a)}")
        return _emit(res, type(x), npf(x._a, k))

    fn.__name__ = fname
    return fn


tril = _triangle("tril", np.tril)
tril.__doc__ = "Lower triangle of a matrix (entries above diagonal k set to 0): ``tril([res,] x [, k=0])``."
triu = _triangle("triu", np.triu)
triu.__doc__ = "Upper triangle of a matrix (entries below diagonal k set to 0): ``triu([res,] x [, k=0])``."


def cat(*args) -> Tensor:
    """Concatenate tensors along ``dim``: ``cat([res,] x1, x2 [, dim])`` or ``cat([res,] [x1, x2, ...] [, dim])``.

    Without dim (or with -1) the last dim of the input with the most dims is used; empty inputs are
    ignored, missing trailing dims count as size 1, and a dim past the end adds one (Torch7's rules).

    Example:
        >>> import torch7 as torch
        >>> torch.cat(torch.ones(2, 3), torch.zeros(2, 1)).size()
        torch.Size([2, 4])
        >>> torch.cat([torch.ones(3), torch.zeros(3)], 1).size()
        torch.Size([3, 2])
    """
    dim = None
    if args and isinstance(args[-1], (int, np.integer)) and not isinstance(args[-1], bool):
        dim, args = int(args[-1]), args[:-1]
    n = len(args)
    if n == 1 and isinstance(args[0], (list, tuple)):
        res, inputs = None, list(args[0])
    elif n == 2 and isinstance(args[0], Tensor) and isinstance(args[1], (list, tuple)):
        res, inputs = args[0], list(args[1])
    elif n == 2 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
        res, inputs = None, list(args)
    elif n == 3 and all(isinstance(t, Tensor) for t in args):
        res, inputs = args[0], list(args[1:])
    else:
        raise bad_args("torch.cat", args, "([res,] x1, x2 [, dim]) or ([res,] {x1, x2, ...} [, dim])")
    if not inputs:
        raise ValueError("cat: expected at least one tensor")
    for t in inputs:
        if not isinstance(t, Tensor):
            raise TypeError(f"cat: expected tensors, got {type(t).__name__}")
    cls = type(res) if res is not None else type(inputs[0])
    for t in inputs:
        if type(t) is not cls:
            raise TypeError(f"cat: tensor types do not match: {cls._typename} and {t._typename}")
    maxdim = max(t.nDimension() for t in inputs)
    if dim is None or dim == -1:
        d = maxdim - 1 if maxdim else 0
    else:
        d = dim + maxdim if dim < 0 else dim
        if d < 0:
            raise IndexError(f"cat: dimension {dim} out of range for tensors of at most {maxdim} dims")
    maxdim = max(maxdim, d + 1)
    parts, shape, first = [], None, None
    for t in inputs:
        a = t._a
        if not a.size:
            continue
        s = a.shape + (1,) * (maxdim - a.ndim)
        parts.append(a.reshape(s))
        if shape is None:
            shape, first = list(s), a
            continue
        for i in range(maxdim):
            if i != d and s[i] != shape[i]:
                raise ValueError(f"cat: sizes do not match except in dimension {d}: {_sz(first)} and {_sz(a)}")
        shape[d] += s[d]
    if not parts:
        return _emit(res, cls, np.empty(0, cls._dtype))
    if res is None:
        return cls._new(np.concatenate(parts, axis=d))
    prepare(res, cls, tuple(shape))
    r = res._a
    if any(np.may_share_memory(r, p) for p in parts):
        r[...] = np.concatenate(parts, axis=d)
    else:
        np.concatenate(parts, axis=d, out=r)
    return res


# ---- torch.* forms of in-place and view methods ----------------------------------------------
def zero(x: Tensor) -> Tensor:
    """``torch.zero(x)``: fills x with 0 and returns it."""
    if not isinstance(x, Tensor):
        raise bad_args("torch.zero", (x,), "(tensor)")
    return views.zero(x)


def fill(x: Tensor, value) -> Tensor:
    """``torch.fill(x, value)``: fills x with value and returns it."""
    if not isinstance(x, Tensor) or not is_number(value):
        raise bad_args("torch.fill", (x, value), "(tensor, number)")
    return views.fill(x, value)


def squeeze(*args):
    """A view of x without its size-1 dims (or only ``dim``); a number when one element remains.

    Args:
        [res,] x [, dim]; with res, res is re-pointed at the view.
    """
    res, x, rest = _res_src(args, "squeeze", "([res,] tensor [, dim])")
    if len(rest) > 1:
        raise bad_args("torch.squeeze", args, "([res,] tensor [, dim])")
    dim = _int_arg(rest[0], "squeeze", "dim") if rest else None
    was_1d = x.nDimension() <= 1
    out = type(x)() if res is None else res
    views.set_(out, x)
    r = views.squeeze(out, dim)
    if dim is not None and was_1d and isinstance(r, Tensor) and r._a.size == 1:
        return r._a.reshape(-1)[0].item()
    return r


def _method(f):
    def m(self, *args):
        return f(self, *args)

    m.__name__ = f.__name__.rstrip("_")
    m.__doc__ = f.__doc__
    return m


METHODS = {name: _method(f) for name, f in {
    "zeros": zeros, "ones": ones, "eye": eye, "range": range_, "linspace": linspace, "logspace": logspace,
    "reshape": reshape, "diag": diag, "tril": tril, "triu": triu, "cat": cat,
}.items()}

FUNCTIONS = {
    "zeros": zeros, "ones": ones, "eye": eye, "range": range_, "linspace": linspace, "logspace": logspace,
    "reshape": reshape, "diag": diag, "tril": tril, "triu": triu, "cat": cat, "zero": zero, "fill": fill,
    "squeeze": squeeze,
}
