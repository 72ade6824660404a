"""optim.ConfusionMatrix: accumulate (prediction, target) pairs; per-class and global accuracies."""

from __future__ import annotations

import math
import numbers

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.tensor import Tensor


def _lua(v: float) -> str:
    """A number as Lua's ``..`` writes it (``%.14g``; NaN as 'nan')."""
    return "nan" if v != v else f"{v:.14g}"


def _label(c) -> str:
    if isinstance(c, str):
        return c
    if isinstance(c, numbers.Integral):
        return str(int(c))
    if isinstance(c, numbers.Real):
        return f"{c:.14g}"
    return str(c)


def _array(v, what: str) -> np.ndarray:
    if isinstance(v, Tensor):
        return backend.to_host(v._a)  # CUDA predictions are tallied on the host
    try:
        return np.asarray(v)
    except Exception:  # pragma: no cover - defensive
        raise TypeError(f"ConfusionMatrix: {what} must be a number or a tensor, got {type(v).__name__}") from None


def _index(v, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"ConfusionMatrix: {what} must be a class number, got {type(v).__name__}")
    return math.floor(v) if v >= 0 else -1


def _argmax_rows(a: np.ndarray) -> np.ndarray:
    """Torch7's max over the last dim of a FloatTensor copy: the first maximum of each row."""
    return np.argmax(a.astype(np.float32), axis=-1)


class ConfusionMatrix:
    """A confusion matrix: ``mat[target][prediction]`` counts, with classes numbered from 0.

    Args:
        nclasses: the number of classes, or the list of class names (then ``classes`` is it).
        classes: the class names (optional), printed at the end of each row.

    Fields (Torch7's): ``mat`` (LongTensor nclasses x nclasses; rows = targets, columns =
    predictions), ``valids`` and ``unionvalids`` (FloatTensors: per class, correct / row total and
    correct / (row + column - correct)), ``totalValid`` (trace / total), ``averageValid`` and
    ``averageUnionValid`` (means over the classes whose values are not NaN), ``nclasses``,
    ``classes``. The accuracies are updated by ``updateValids()`` (printing calls it).

    Example:
        >>> from torch7 import optim
        >>> cm = optim.ConfusionMatrix(["cat", "dog"])
        >>> for p, t in [(0, 0), (0, 0), (1, 0), (1, 1)]:
        ...     cm.add(p, t)
        >>> print(cm)  # doctest: +NORMALIZE_WHITESPACE
        ConfusionMatrix:
        [[       2       1]   66.667% 	[class: cat]
         [       0       1]]  100.000% 	[class: dog]
         + average row correct: 83.333334326744%
         + average rowUcol correct (VOC measure): 58.333334326744%
         + global correct: 75%
    """

    _typename = "optim.ConfusionMatrix"

    def __init__(self, nclasses, classes=None) -> None:
        if isinstance(nclasses, (list, tuple)):
            classes = list(nclasses)
            nclasses = len(classes)
        if isinstance(nclasses, bool) or not isinstance(nclasses, numbers.Integral) or nclasses < 1:
            raise ValueError(f"ConfusionMatrix: nclasses must be a positive integer, got {nclasses!r}")
        nclasses = int(nclasses)
        self.mat = torch.LongTensor(nclasses, nclasses).zero()
        self.valids = torch.FloatTensor(nclasses).zero()
        self.unionvalids = torch.FloatTensor(nclasses).zero()
        self.nclasses = nclasses
        self.totalValid = 0
        self.averageValid = 0
        self.averageUnionValid = 0
        self.classes = list(classes) if classes is not None else []

    # ---- accumulation --------------------------------------------------------------------------
    def _add(self, p: int, t: int) -> None:
        if t < 0:
            return  # negative targets are missing values: ignored, as Torch7 ignored targets <= 0
        n = self.nclasses
        if t >= n or not 0 <= p < n:
            raise IndexError(f"ConfusionMatrix.add: class out of range (prediction {p}, target {t}; "
                             f"{n} classes numbered from 0)")
        self.mat._a[t, p] += 1

    def add(self, prediction, target) -> None:
        """Count one sample.

        ``prediction``: a class number, or a 1-D vector of scores (its argmax is taken).
        ``target``: a class number, or a 1-D one-hot (or score) vector (its argmax). Class numbers
        start at 0; a negative target is ignored (Torch7 ignored targets <= 0 with 1-based classes).
        """
        if isinstance(prediction, numbers.Real) and not isinstance(prediction, bool):
            self._add(_index(prediction, "prediction"), _index(target, "target"))
            return
        pa = _array(prediction, "prediction")
        if pa.ndim != 1:
            raise ValueError(f"ConfusionMatrix.add: a prediction vector must be 1-D, got {pa.ndim} dims")
        p = int(_argmax_rows(pa))
        if isinstance(target, numbers.Real) and not isinstance(target, bool):
            self._add(p, _index(target, "target"))
            return
        ta = _array(target, "target")
        if ta.ndim != 1:
            raise ValueError(f"ConfusionMatrix.add: a target vector must be 1-D, got {ta.ndim} dims")
        self._add(p, int(_argmax_rows(ta)))

    @staticmethod
    def _classes_of(v, what: str) -> np.ndarray:
        a = _array(v, what)
        if a.ndim == 1:
            return a
        if a.ndim == 2:
            return a[:, 0] if a.shape[1] == 1 else _argmax_rows(a)
        raise ValueError(f"ConfusionMatrix.batchAdd: {what} has invalid number of dimensions ({a.ndim})")

    def batchAdd(self, predictions, targets) -> None:
        """Count a batch: ``predictions`` are N class numbers or N x C scores, ``targets`` N class
        numbers or N x C one-hot rows (N x 1 is flattened)."""
        p = self._classes_of(predictions, "predictions")
        t = self._classes_of(targets, "targets")
        if p.shape[0] != t.shape[0]:
            raise ValueError(f"ConfusionMatrix.batchAdd: {p.shape[0]} predictions but {t.shape[0]} targets")
        p = np.floor(p.astype(np.float64)).astype(np.int64)
        t = np.floor(t.astype(np.float64)).astype(np.int64)
        keep = t >= 0
        p, t = p[keep], t[keep]
        n = self.nclasses
        bad = (t >= n) | (p < 0) | (p >= n)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise IndexError(f"ConfusionMatrix.batchAdd: class out of range (prediction {int(p[i])}, target "
                             f"{int(t[i])}; {n} classes numbered from 0)")
        np.add.at(self.mat._a, (t, p), 1)

    def zero(self) -> None:
        """Reset the counts and the accuracies."""
        self.mat.zero()
        self.valids.zero()
        self.unionvalids.zero()
        self.totalValid = 0
        self.averageValid = 0

    # ---- accuracies ----------------------------------------------------------------------------
    def updateValids(self) -> None:
        """Compute ``valids``, ``unionvalids``, ``totalValid``, ``averageValid``, ``averageUnionValid``."""
        m = np.asarray(self.mat._a, dtype=np.float64)
        diag = np.diagonal(m)
        rows, cols = m.sum(axis=1), m.sum(axis=0)
        with np.errstate(all="ignore"):  # empty classes give NaN, as in Torch7
            self.valids._a[:] = diag / rows  # stored as float32, as in Torch7's FloatTensor
            self.unionvalids._a[:] = diag / (rows + cols - diag)
            self.totalValid = float(np.float64(diag.sum()) / np.float64(m.sum()))
            v = self.valids._a.astype(np.float64)
            u = self.unionvalids._a.astype(np.float64)
            ok = ~np.isnan(v)
            ok_u = ok & ~np.isnan(u)
            # Sums in class order (Torch7 added the float32 values one by one in double).
            sv = float(np.cumsum(v[ok])[-1]) if ok.any() else 0.0
            su = float(np.cumsum(u[ok_u])[-1]) if ok_u.any() else 0.0
            self.averageValid = float(np.float64(sv) / np.float64(int(ok.sum())))
            self.averageUnionValid = float(np.float64(su) / np.float64(int(ok_u.sum())))

    def farFrr(self):
        """False acceptance and false rejection rates per class.

        Returns:
            ``(classFrrs, classFars, frrs, fars)``: DoubleTensors of size nclasses holding each
            class's FRR (``1 - correct / samples``) and FAR (the mean over the other classes with
            samples of the fraction of their samples predicted as this class), -1 for classes
            without samples; then the same values for the classes with samples only.
        """
        m = np.asarray(self.mat._a, dtype=np.float64)
        n = m.shape[0]
        counts = m.sum(axis=1)
        class_frrs = np.full(n, -1.0)
        class_fars = np.full(n, -1.0)
        frrs, fars = [], []
        with np.errstate(all="ignore"):
            for i in range(n):
                if counts[i] != 0:
                    frr = 1 - m[i, i] / counts[i]
                    num, den = 0.0, 0
                    for j in range(n):
                        if i != j and counts[j] != 0:
                            num += m[j, i] / counts[j]
                            den += 1
                    far = float(np.float64(num) / np.float64(den))
                    class_frrs[i], class_fars[i] = frr, far
                    frrs.append(frr)
                    fars.append(far)
        D = torch.DoubleTensor
        return (D._new(class_frrs), D._new(class_fars), D._new(np.array(frrs, dtype=np.float64)),
                D._new(np.array(fars, dtype=np.float64)))

    # ---- printing ------------------------------------------------------------------------------
    def __str__(self) -> str:
        self.updateValids()
        n = self.nclasses
        mat = self.mat._a
        maxCnt = int(mat.max())
        nDigits = 8 if maxCnt <= 0 else max(8, 1 + math.ceil(math.log10(maxCnt)))
        named = bool(self.classes) and self.classes[0] is not None
        out = ["ConfusionMatrix:\n", "["]
        for t in range(n):
            pclass = f"{float(self.valids._a[t]) * 100:2.3f}"
            out.append("[" if t == 0 else " [")
            out.extend(f"{int(c):{nDigits}d}" for c in mat[t])
            end = "]]  " if t == n - 1 else "]   "
            if named:
                name = _label(self.classes[t]) if t < len(self.classes) and self.classes[t] is not None else ""
                out.append(end + pclass + "% \t[class: " + name + "]\n")
            else:
                out.append(end + pclass + "% \n")
        out.append(" + average row correct: " + _lua(self.averageValid * 100) + "% \n")
        out.append(" + average rowUcol correct (VOC measure): " + _lua(self.averageUnionValid * 100) + "% \n")
        out.append(" + global correct: " + _lua(self.totalValid * 100) + "%")
        return "".join(out)

    __repr__ = __str__
