"""Argument forms of gnuplot.plot / splot / scatter3, read the way Lua's gnuplot read them.

A series is ``[legend,] x [, y] [, format]``; data are torch7 Tensors or NumPy arrays, and Lua's
tables of series become Python lists (or tuples) of series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def is_data(v) -> bool:
    """True for a torch7 Tensor or a NumPy array (what Lua's istensor accepted)."""
    from .._core.tensor import Tensor

    return isinstance(v, (Tensor, np.ndarray))


def to_numpy(v) -> np.ndarray:
    """The values of a Tensor or array as a float64 NumPy array."""
    return np.asarray(v if isinstance(v, np.ndarray) else v.numpy(), dtype=np.float64)


def _kind(v) -> str:
    if isinstance(v, str):
        return "str"
    if is_data(v):
        return f"{type(v).__name__}{list(np.shape(to_numpy(v)))}"
    return type(v).__name__


def _describe(t) -> str:
    return "(" + ", ".join(_kind(v) for v in t) + ")"


def series_list(args: tuple, fn: str) -> list:
    """The series of a call: ``f(a, b, ...)`` is one series, ``f([...], [...])`` or ``f([[...], [...]])`` several."""
    if len(args) == 0:
        raise ValueError(f"gnuplot.{fn}: no inputs, expecting at least a {'vector' if fn == 'plot' else 'matrix'}")
    if isinstance(args[0], (list, tuple)):
        if len(args) == 1 and args[0] and isinstance(args[0][0], (list, tuple)):
            args = tuple(args[0])
        bad = [a for a in args if not isinstance(a, (list, tuple))]
        if bad:
            raise TypeError(f"gnuplot.{fn}: when series are given as lists, every argument must be a list, "
                            f"got {_describe(args)}")
        return [tuple(a) for a in args]
    return [tuple(args)]


@dataclass
class Series:
    """One 2-D series: legend, x (n), y (n or n x k), and its format string."""

    legend: str
    x: np.ndarray
    y: np.ndarray
    fmt: str


def plot_vars(t: tuple) -> Series:
    """Read ``[legend,] x [, y] [, format]`` as Lua's getvars did, and give x and y their shapes."""
    usage = f"gnuplot.plot: expecting [string,] tensor [,tensor] [,string], got {_describe(t)}"
    kinds = ["s" if isinstance(v, str) else "t" if is_data(v) else "?" for v in t]
    forms = {"t": (None, 0, None, None), "ts": (None, 0, None, 1), "tt": (None, 0, 1, None),
             "tts": (None, 0, 1, 2), "st": (0, 1, None, None), "sts": (0, 1, None, 2),
             "stt": (0, 1, 2, None), "stts": (0, 1, 2, 3)}
    form = forms.get("".join(kinds))
    if form is None:
        raise ValueError(usage)
    legend, x, y, fmt = (None if i is None else t[i] for i in form)
    legend = legend or ""
    fmt = fmt or ""
    x = to_numpy(x)
    y = None if y is None else to_numpy(y)
    if y is None:
        if x.ndim == 2 and x.shape[1] == 2:
            x, y = x[:, 0], x[:, 1]
        elif x.ndim == 2 and x.shape[1] == 4 and fmt in ("v", "V", "vectors"):
            x, y = x[:, [0, 2]], x[:, [1, 3]]
        elif x.ndim == 2 and x.shape[1] > 1:
            x, y = x[:, 0], x[:, 1:]
        else:
            # x positions 1..n as in Lua's plot(y): they are what a Torch user sees on the axis.
            y = x
            x = np.arange(1, (x.shape[0] if x.ndim else 0) + 1, dtype=np.float64)
    if x.ndim not in (1, 2) or y.ndim not in (1, 2) or y.shape[0] != x.shape[0]:
        raise ValueError(f"gnuplot.plot: x and y sizes do not match: x is {'x'.join(map(str, x.shape))}, "
                         f"y is {'x'.join(map(str, y.shape))}; expected 1-D or 2-D with the same first size")
    return Series(legend, x, y, fmt)


def splot_vars(t: tuple) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Read ``[legend,] z`` or ``[legend,] x, y, z`` (matrices) as Lua's getsplotvars did."""
    kinds = "".join("s" if isinstance(v, str) else "t" if is_data(v) else "?" for v in t)
    if kinds not in ("t", "ttt", "st", "sttt"):
        raise ValueError(f"gnuplot.splot: expecting [string,] tensor [,tensor] [,tensor], got {_describe(t)}")
    legend = t[0] if kinds[0] == "s" else ""
    mats = [to_numpy(v) for v in (t[1:] if kinds[0] == "s" else t)]
    if len(mats) == 1:
        z = mats[0]
        if z.ndim != 2:
            raise ValueError(f"gnuplot.splot: z must be a matrix, got size {'x'.join(map(str, z.shape))}")
        # Lua filled x with the (1-based) row number and y with the column number.
        x, y = np.meshgrid(np.arange(1, z.shape[0] + 1.0), np.arange(1, z.shape[1] + 1.0), indexing="ij")
    else:
        x, y, z = mats
    if x.ndim != 2 or y.ndim != 2 or z.ndim != 2 or not x.shape == y.shape == z.shape:
        raise ValueError("gnuplot.splot: x, y and z must be matrices of one size, got "
                         + ", ".join("x".join(map(str, m.shape)) for m in (x, y, z)))
    return legend, x, y, z


def scatter3_vars(t: tuple) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Read ``[legend,] x, y, z`` (vectors of one size) as Lua's getscatter3vars did."""
    kinds = "".join("s" if isinstance(v, str) else "t" if is_data(v) else "?" for v in t)
    if kinds not in ("ttt", "sttt"):
        raise ValueError(f"gnuplot.scatter3: expecting [string,] tensor, tensor, tensor, got {_describe(t)}")
    legend = t[0] if kinds[0] == "s" else ""
    x, y, z = (to_numpy(v) for v in t[-3:])
    if x.ndim != 1 or y.ndim != 1 or z.ndim != 1 or not x.shape == y.shape == z.shape:
        raise ValueError("gnuplot.scatter3: x, y and z must be 1-D of one size, got "
                         + ", ".join("x".join(map(str, m.shape)) for m in (x, y, z)))
    return legend, x, y, z
