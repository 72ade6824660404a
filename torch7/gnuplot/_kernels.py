"""Stateless numeric helpers of torch7.gnuplot: gnuplot's box edges and cubic-spline smoothing."""

from __future__ import annotations

import numpy as np

SAMPLES = 300  # Torch's gnuplot style sets 'set samples 300'


def box_edges(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left edges and widths of boxes around ``x`` that reach halfway to each neighbour.

    This is gnuplot's default box width; a lone box is 1 wide.

    Example:
        >>> left, width = box_edges(np.array([0.0, 1.0, 3.0]))
        >>> left.tolist(), width.tolist()
        ([-0.5, 0.5, 2.0], [1.0, 1.5, 2.0])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.size < 2:
        return x - 0.5, np.ones_like(x)
    order = np.argsort(x, kind="stable")
    gaps = np.diff(x[order])
    left_gap = np.empty_like(x)
    right_gap = np.empty_like(x)
    left_gap[order] = np.concatenate([gaps[:1], gaps])
    right_gap[order] = np.concatenate([gaps, gaps[-1:]])
    return x - left_gap / 2, (left_gap + right_gap) / 2


def csplines(x: np.ndarray, y: np.ndarray, samples: int = SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """Natural cubic spline through the points, sampled evenly over the x range (``smooth csplines``).

    As gnuplot does, points are sorted by x and points with equal x are replaced by their mean y.

    Returns:
        ``(xs, ys)``, each of ``samples`` values (the points themselves when there are fewer than 3).

    Example:
        >>> xs, ys = csplines(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0]), samples=5)
        >>> np.round(ys, 4).tolist()
        [0.0, 0.6875, 1.0, 0.6875, 0.0]
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    ux, inv = np.unique(x, return_inverse=True)
    uy = np.bincount(inv, weights=y) / np.bincount(inv)
    n = ux.size
    if n < 3:
        return ux, uy
    h = np.diff(ux)
    slope = np.diff(uy) / h
    # Tridiagonal system for the second derivatives m[1..n-2] (m[0] = m[n-1] = 0: natural ends),
    # solved by forward elimination and back substitution.
    diag = 2.0 * (h[:-1] + h[1:])
    rhs = 6.0 * np.diff(slope)
    for i in range(1, n - 2):
        w = h[i] / diag[i - 1]
        diag[i] -= w * h[i]
        rhs[i] -= w * rhs[i - 1]
    m = np.zeros(n)
    for i in range(n - 3, -1, -1):
        upper = h[i + 1] * m[i + 2] if i + 2 < n - 1 else 0.0
        m[i + 1] = (rhs[i] - upper) / diag[i]
    xs = np.linspace(ux[0], ux[-1], samples)
    k = np.clip(np.searchsorted(ux, xs, side="right") - 1, 0, n - 2)
    t0, t1 = xs - ux[k], ux[k + 1] - xs
    hk = h[k]
    ys = (m[k] * t1 ** 3 + m[k + 1] * t0 ** 3) / (6 * hk) \
        + (uy[k] / hk - m[k] * hk / 6) * t1 + (uy[k + 1] / hk - m[k + 1] * hk / 6) * t0
    return xs, ys
