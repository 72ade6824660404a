"""Torch7's text form of tensors and storages, as ``Tensor.lua``'s ``__tostring__`` writes it.

The rules (re-derived from Torch7's ``Tensor.lua``):

* One format serves every element. It is chosen from all the values, taken as doubles:
  *integer mode* when every value is a whole number (``%Nd``, or ``%11.4e`` beyond 9 digits);
  otherwise ``%N.4e`` when the magnitudes span more than 4 decades, else ``%N.4f``, with a
  common factor line such as ``0.001 *`` or ``1e+06 *`` when the largest magnitude is below
  0.01 or at least 1e5. Any NaN switches to a bare ``%f``.
* A matrix is wrapped to 80 columns, each chunk headed ``Columns 1 to 8`` (display text:
  the column numbers stay 1-based as Torch7 shows them).
* Tensors of 3 or more dims print one matrix per slice, headed ``(1,2,.,.) =`` (1-based, the
  first index varying fastest, as Torch7 does).
* A footer names the type and size: ``[torch.DoubleTensor of size 2x3]``; an empty tensor is
  ``[torch.DoubleTensor with no dimension]``; a storage prints one value per line and then
  ``[torch.DoubleStorage of size N]``.

``lua_tostring`` returns Torch7's string byte for byte (a storage's string starts with a
newline, and both end with one). ``tensor_str``/``storage_str`` (the Python ``repr``) drop the
final newline, which Python's ``print`` adds back, and the storage's leading newline, so
``print(x)`` in Python shows what ``io.write(tostring(x))`` shows in Lua.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .backend import to_host

_LINE_WIDTH = 80


def _exponent(x: float) -> float:
    """Number of digits before the point of ``x >= 0`` (Torch7: floor(log10(x)) + 1, 1 for zero)."""
    if x == 0:
        return 1
    if math.isnan(x) or math.isinf(x):
        return x
    return math.floor(math.log10(x)) + 1


def _choose_format(a: np.ndarray) -> tuple[str, float | None, float, bool]:
    """The (printf spec, scale or None, cell width, integer mode) Torch7 picks for the values ``a``.

    The width is NaN when a NaN is present: Torch7 then prints with a bare ``%f`` and no wrapping.
    """
    if a.size == 0:
        return "", None, 0, False
    integral = a.dtype.kind in "iub"
    mag = np.abs(a.astype(np.float64, copy=False))
    # NaN-propagating min/max, like TH's minall/maxall.
    lo, hi = float(mag.min()), float(mag.max())
    if math.isnan(lo) or math.isnan(hi):
        return "%f", None, math.nan, False
    int_mode = integral
    if not int_mode:
        v = a.astype(np.float64, copy=False)
        int_mode = bool(np.array_equal(v, np.ceil(v)))
    exp_min, exp_max = _exponent(lo), _exponent(hi)
    scale = None
    if int_mode:
        if exp_max > 9:
            return "%11.4e", None, 11, False
        width = exp_max + 1
        return f"%{width}d", None, width, True
    if exp_max - exp_min > 4:
        width = 12 if abs(exp_max) > 99 or abs(exp_min) > 99 else 11
        return f"%{width}.4e", None, width, False
    if exp_max > 5 or exp_max < 0:
        width = 7
        scale = math.pow(10, exp_max - 1)
    else:
        width = 7 if exp_max == 0 else exp_max + 6
    return f"%{width}.4f", scale, width, False


def _cells(a: np.ndarray, spec: str, scale: float | None, int_mode: bool) -> tuple[str, np.ndarray]:
    """The cell spec to use in a layout and the values (same shape as ``a``) to feed it."""
    if int_mode:
        return spec, a.astype(np.int64, copy=False)
    v = a.astype(np.float64, copy=False)
    if scale is not None:
        v = v / scale
    if spec == "%f":
        # C's printf writes a NaN with its sign bit set as "-nan"; Python would say "nan".
        s = np.char.mod("%f", v)
        neg_nan = np.isnan(v) & np.signbit(v)
        if neg_nan.any():
            s = np.where(neg_nan, "-nan", s)
        return "%s", s
    return spec, v


def _scale_line(scale: float) -> str:
    return f"{scale:g} *\n"


def _matrix_layout(rows: int, cols: int, spec: str, scale: float | None, width: float,
                   indent: str) -> tuple[str, list[tuple[int, int]]]:
    """Format string for one ``rows x cols`` matrix and its column chunks (0-based, end exclusive).

    The cells of the format string are filled chunk by chunk, row by row inside a chunk.
    """
    per_line = None if math.isnan(width) else (_LINE_WIDTH - len(indent)) // (int(width) + 1)
    prefix = indent + " " if scale is not None else indent
    parts = [indent]
    chunks = []
    first = 0
    while first < cols:
        last = cols if per_line is None else min(first + per_line, cols)
        if per_line is not None and per_line < cols:
            # Only the first header follows the indent; later ones start after a blank line.
            if first:
                parts.append("\n")
            parts.append(f"Columns {first + 1} to {last}\n{indent}")
        if scale is not None:
            parts.append(_scale_line(scale) + " " + indent)
        row = " ".join([spec] * (last - first)) + "\n"
        parts.append(prefix.join([row] * rows))
        chunks.append((first, last))
        first = last
    return "".join(parts), chunks


def _matrices_text(stack: np.ndarray, headers: list[str] | None, spec: str, scale: float | None,
                   width: float, indent: str) -> str:
    """Text of the matrices ``stack[i]`` (shape N x R x C), each after ``headers[i]``, blank-line separated."""
    n, rows, cols = stack.shape
    layout, chunks = _matrix_layout(rows, cols, spec, scale, width, indent)
    flat = stack.reshape(n, rows * cols)
    if len(chunks) > 1:
        idx = np.arange(rows * cols).reshape(rows, cols)
        flat = flat[:, np.concatenate([idx[:, b0:b1].ravel() for b0, b1 in chunks])]
    if headers is None:
        fmt = layout
    else:
        fmt = "\n".join([h + layout for h in headers])
    return fmt % tuple(flat.ravel().tolist())


def _lines_text(v: np.ndarray, spec: str, scale: float | None) -> str:
    """One value per line (1-D tensors and storages), after the scale line if any."""
    head = _scale_line(scale) if scale is not None else ""
    if v.size == 0:
        return head
    return head + ("\n".join([spec] * v.size) + "\n") % tuple(v.tolist())


def _tensor_text(t) -> str:
    a = to_host(t._a)
    name = t._typename
    if t.nDimension() == 0:
        return f"[{name} with no dimension]\n"
    spec, scale, width, int_mode = _choose_format(a)
    spec, v = _cells(a, spec, scale, int_mode)
    size = "x".join(str(d) for d in a.shape)
    footer = f"[{name} of size {size}]\n"
    if a.ndim == 1:
        return _lines_text(v, spec, scale) + footer
    if a.ndim == 2:
        return _matrices_text(v[None], None, spec, scale, width, "") + footer
    lead = a.shape[:-2]
    k = len(lead)
    # Torch7 walks the leading indices with the first one varying fastest.
    order = tuple(range(k - 1, -1, -1)) + (k, k + 1)
    stack = v.transpose(order).reshape((-1,) + a.shape[-2:])
    # product() varies its last factor fastest, so feed it the dims reversed; labels are 1-based display text.
    slices = itertools.product(*[range(1, d + 1) for d in reversed(lead)])
    headers = ["(" + "".join(f"{i}," for i in reversed(ix)) + ".,.) = \n" for ix in slices]
    return _matrices_text(stack, headers, spec, scale, width, " ") + footer


def _storage_text(s) -> str:
    a = to_host(s._a)
    spec, scale, _, int_mode = _choose_format(a)
    spec, v = _cells(a, spec, scale, int_mode)
    return "\n" + _lines_text(v, spec, scale) + f"[{s._typename} of size {a.shape[0]}]\n"


def lua_tostring(obj) -> str:
    """Torch7's ``tostring`` of a tensor or storage, byte for byte (with its newlines).

    Example:
        >>> import torch7 as torch
        >>> lua_tostring(torch.DoubleStorage([1, 2]))
        '\\n 1\\n 2\\n[torch.DoubleStorage of size 2]\\n'
    """
    from .storage import Storage
    from .tensor import Tensor

    if isinstance(obj, Tensor):
        return _tensor_text(obj)
    if isinstance(obj, Storage):
        return _storage_text(obj)
    raise TypeError(f"lua_tostring: expected a tensor or a storage, got {type(obj).__name__}")


def tensor_str(t) -> str:
    """Torch7's text of a tensor, without the final newline (``repr``/``str`` of a Tensor).

    Args:
        t: a tensor of any type.

    Example:
        >>> import torch7 as torch
        >>> print(torch.Tensor([[1, 2, 3], [4, 5, 6]]))
         1  2  3
         4  5  6
        [torch.DoubleTensor of size 2x3]
        >>> print(torch.Tensor([0.5, -1.25]))
         0.5000
        -1.2500
        [torch.DoubleTensor of size 2]
    """
    return _tensor_text(t)[:-1]


def storage_str(s) -> str:
    """Torch7's text of a storage, without its leading and final newlines (``repr`` of a Storage).

    Example:
        >>> import torch7 as torch
        >>> print(torch.FloatStorage([1.5, 20]))
          1.5000
         20.0000
        [torch.FloatStorage of size 2]
    """
    return _storage_text(s)[1:-1]
