"""Apply a figure's gnuplot settings (title, labels, grid, log axes, ranges, key) to matplotlib axes."""

from __future__ import annotations

from ._state import Settings

# gnuplot's key position words -> matplotlib legend locations.
_VLOC = {"top": "upper", "middle": "center", "bottom": "lower"}
_HLOC = {"left": "left", "center": "center", "right": "right"}


def legend_loc(hloc: str, vloc: str) -> str:
    """matplotlib's ``loc`` for gnuplot's ``set key <hloc> <vloc>``."""
    v, h = _VLOC[vloc], _HLOC[hloc]
    if v == "center" and h == "center":
        return "center"
    return f"{v} {h}"


def _limits(setter, rng: tuple) -> None:
    lo, hi = rng
    if lo is not None or hi is not None:
        setter(lo, hi)


def apply(ax, s: Settings, has_legend: bool) -> None:
    """Set what ``s`` records on ``ax`` (2-D or 3-D axes)."""
    is3d = hasattr(ax, "set_zlabel")
    if s.title is not None:
        ax.set_title(s.title)
    if s.xlabel is not None:
        ax.set_xlabel(s.xlabel)
    if s.ylabel is not None:
        ax.set_ylabel(s.ylabel)
    if is3d and s.zlabel is not None:
        ax.set_zlabel(s.zlabel)
    ax.grid(s.grid)
    if "x" in s.logscale:
        ax.set_xscale("log")
    if "y" in s.logscale:
        ax.set_yscale("log")
    if is3d and "z" in s.logscale:
        ax.set_zscale("log")
    _limits(ax.set_xlim, s.xrange)
    _limits(ax.set_ylim, s.yrange)
    if is3d:
        _limits(ax.set_zlim, s.zrange)
    if s.equal and not is3d:
        ax.set_aspect("equal", adjustable="box")
    if s.xtics is not None:
        ax.set_xticks([pos for _, pos in s.xtics], [label for label, _ in s.xtics])
    if has_legend and s.key_on:
        ax.legend(loc=legend_loc(*s.key))
