"""gnuplot.histc and gnuplot.hist: a histogram as Lua's printable table of bins, and its bar plot."""

from __future__ import annotations

import numbers

import numpy as np

from ._args import is_data

DEFAULT_BINS = 10
_BAR_HEIGHT = 10  # rows of the text drawing


class HistTable(list):
    """The histogram table of gnuplot.histc: one dict per bin, plus Lua's summary fields.

    Item ``i`` is ``{'val': centre of bin i, 'nb': count in bin i}``. Fields (Lua's keys):
    ``raw`` (the counts, a DoubleTensor), ``bins``, ``binwidth``, ``max`` and ``min`` (the 0-based
    index of the fullest and of the emptiest bin, first one on ties). ``str()`` draws the text
    histogram Lua's ``print(h)`` drew (bin numbers in it are 0-based too).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> h = gnuplot.histc(torch.Tensor([1, 2, 2, 3, 3, 3]), 3)
        >>> h[2], h.max, h.binwidth
        ({'val': 2.6666666666666665, 'nb': 3.0}, 2, 0.6666666666666666)
    """

    def __init__(self, raw, lo: float, binwidth: float) -> None:
        counts = [float(v) for v in raw.numpy()]
        super().__init__({"val": lo + (i + 0.5) * binwidth, "nb": nb} for i, nb in enumerate(counts))
        self.raw = raw
        self.bins = len(counts)
        self.binwidth = binwidth
        self.max = int(np.argmax(counts))
        self.min = int(np.argmin(counts))

    def __str__(self) -> str:
        hi, lo = self[self.max], self[self.min]
        head = (f"nsamples:  min:(bin:{self.min}/#{int(lo['nb'])}/cntr:{lo['val']:2.2f})"
                f"  max:(bin:{self.max}/#{int(hi['nb'])}/cntr:{hi['val']:2.2f})\n")
        axis = "--------:"
        lines = [head + axis + "-" * len(self)]
        top = hi["nb"]
        step = top / (_BAR_HEIGHT + 1)
        level = top - step
        started = [False] * len(self)
        for _ in range(_BAR_HEIGHT):
            row = []
            for j, b in enumerate(self):
                if started[j]:
                    row.append("|")
                elif b["nb"] < level:
                    row.append(" ")
                else:
                    # The first mark of a bar shows where in the row its count falls.
                    started[j] = True
                    frac = (top - b["nb"]) / step if step else 0.0
                    row.append("|" if frac > 0.66 else ":" if frac > 0.33 else ".")
            lines.append(f"{level:1.2e}:" + "".join(row))
            top, level = level, level - step
        ticks = [j for j in range(len(self)) if (j - 1) % 6 == 0]
        lines.append(axis + "".join("^" if j in ticks else "-" for j in range(len(self))))
        centres = "".join(("-" if self[j]["val"] < 0 else "+") + f"{abs(self[j]['val']):1.2f} " for j in ticks)
        lines.append("centers " + centres)
        return "\n".join(lines)

    __repr__ = __str__


def _as_tensor(x, fn: str):
    import torch7 as torch

    if not is_data(x):
        raise TypeError(f"gnuplot.{fn}: expected a Tensor or NumPy array, got {type(x).__name__}")
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))
    elif not x._is_float:
        x = x.double()
    if x.nElement() == 0:
        raise ValueError(f"gnuplot.{fn}: the tensor is empty")
    return x


def histc(x, bins: int = DEFAULT_BINS, min: float | None = None, max: float | None = None,  # noqa: A002
          raw: bool = False):
    """Histogram of the elements of ``x`` in ``bins`` equal bins over ``[min, max]``.

    Args:
        x: a Tensor (any type; integers are counted as doubles) or NumPy array, any shape.
        bins: the number of bins (default 10).
        min, max: the range; default the smallest and largest element. Elements outside are not counted.
        raw: return only the counts (a Tensor), as Lua's fifth argument did.

    Returns:
        a :class:`HistTable` (counts from ``torch.histc``; bin centres ``min + (i + 0.5) * binwidth``).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> h = gnuplot.histc(torch.Tensor([0, 1, 1, 4]), 4, 0, 4)
        >>> [b['nb'] for b in h], [b['val'] for b in h]
        ([1.0, 2.0, 0.0, 1.0], [0.5, 1.5, 2.5, 3.5])
    """
    import torch7 as torch

    x = _as_tensor(x, "histc")
    if not isinstance(bins, numbers.Integral) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"gnuplot.histc: bins must be a positive integer, got {bins!r}")
    lo = float(x.min()) if min is None else float(min)
    hi = float(x.max()) if max is None else float(max)
    counts = torch.histc(x, int(bins), lo, hi)
    if counts.type() != "torch.DoubleTensor":
        counts = counts.double()
    if raw:
        return counts
    return HistTable(counts, lo, (hi - lo) / int(bins))


def hist(x, bins: int = DEFAULT_BINS, min: float | None = None, max: float | None = None):  # noqa: A002
    """Plot the histogram of ``x`` as boxes at the bin centres, and return its :class:`HistTable`.

    Args:
        x, bins, min, max: as :func:`histc`.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> _ = torch.manualSeed(1)
        >>> h = gnuplot.hist(torch.randn(1000), 20)
        >>> h.bins, sum(b['nb'] for b in h)
        (20, 1000.0)
        >>> gnuplot.closeall()
    """
    import torch7 as torch

    from .plot import bar

    h = histc(x, bins, min, max)
    centres = torch.Tensor([b["val"] for b in h])
    bar(centres, h.raw)
    return h
