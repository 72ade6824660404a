"""What one plot command leaves on a figure, and how it is drawn with matplotlib.

Each class holds the data of one gnuplot plot command (already checked) and draws it into a
matplotlib Figure; ``draw`` returns the axes and whether any series has a legend entry.
"""

from __future__ import annotations

import numpy as np

from ._args import Series
from ._kernels import box_edges, csplines
from ._styles import LINE_STYLES, MARKER_SIZE, Style, parse_format


def _label(text: str) -> str:
    # matplotlib leaves labels starting with '_' out of legends; an empty gnuplot title means none.
    return text if text else "_nolegend_"


def _markers(st: Style) -> dict:
    return {"marker": st.marker, "markersize": st.markersize, "markeredgecolor": st.color,
            "markerfacecolor": st.color if st.filled else "none"}


def _check(s: Series, kind: str) -> None:
    """Refuse, at plot time, shapes that format ``kind`` cannot draw."""
    size = "x".join(map(str, s.x.shape)), "x".join(map(str, s.y.shape))
    if kind == "vectors":
        if s.x.ndim != 2 or s.y.ndim != 2 or s.x.shape[1] != 2 or s.y.shape[1] != 2:
            raise ValueError(f"gnuplot.plot: format 'v' needs x and y as n x 2 (position, delta), got {size[0]} "
                             f"and {size[1]}")
    elif s.x.ndim != 1:
        raise ValueError(f"gnuplot.plot: x must be 1-D for format {kind!r}, got size {size[0]}")


def _series(ax, s: Series, st: Style) -> None:
    label = _label(st.title if st.title is not None else s.legend)
    x, y = s.x, s.y
    cols = [y] if y.ndim == 1 else [y[:, k] for k in range(y.shape[1])]
    first = cols[0]
    common = {"color": st.color, "alpha": st.alpha}
    kind = st.kind
    if kind == "vectors":
        ax.quiver(x[:, 0], y[:, 0], x[:, 1], y[:, 1], angles="xy", scale_units="xy", scale=1, label=label,
                  **common)
        # quiver does not grow the data limits to the arrow tips
        ax.update_datalim(np.column_stack([np.r_[x[:, 0], x.sum(1)], np.r_[y[:, 0], y.sum(1)]]))
        ax.autoscale_view()
        return
    if kind == "boxes":
        left, width = box_edges(x)
        ax.bar(left, first, width=width, align="edge", fill=False, edgecolor=st.color,
               linewidth=st.linewidth, label=label, alpha=st.alpha)
    elif kind == "impulses":
        ax.vlines(x, 0, first, colors=st.color, linewidth=st.linewidth, label=label, alpha=st.alpha)
    elif kind == "filledcurves":
        if len(cols) >= 2:
            ax.fill_between(x, cols[0], cols[1], label=label, linewidth=0, **common)
        else:
            ax.fill(x, first, label=label, linewidth=0, **common)
    elif kind == "csplines":
        for k, col in enumerate(cols):
            xs, ys = csplines(x, col)
            ax.plot(xs, ys, linestyle="-", linewidth=st.linewidth, label=label if k == 0 else "_nolegend_",
                    **common)
    else:
        line = {"lines": ("-", {}), "steps": ("-", {"drawstyle": "steps-post"}), "points": ("none", _markers(st)),
                "linespoints": ("-", _markers(st)),
                "dots": ("none", {"marker": ".", "markersize": MARKER_SIZE / 2.5})}[kind]
        for k, col in enumerate(cols):
            ax.plot(x, col, linestyle=line[0], linewidth=st.linewidth, label=label if k == 0 else "_nolegend_",
                    **line[1], **common)


class Plot2D:
    """Series drawn by gnuplot.plot (and bar/hist): lines, points, boxes, splines, vectors."""

    def __init__(self, series: list[Series]) -> None:
        self.series = series
        self.styles = [parse_format(s.fmt, i) for i, s in enumerate(series)]  # bad formats fail here
        for s, st in zip(series, self.styles):
            _check(s, st.kind)

    def draw(self, fig, settings):
        ax = fig.add_subplot(1, 1, 1)
        for s, st in zip(self.series, self.styles):
            _series(ax, s, st)
        has_legend = any((st.title if st.title is not None else s.legend) for s, st in zip(self.series, self.styles))
        return ax, has_legend


class Surface:
    """Surfaces drawn by gnuplot.splot: a wire mesh per surface, and its contour lines at the base."""

    def __init__(self, surfaces: list) -> None:
        self.surfaces = surfaces  # (legend, x, y, z) matrices

    def draw(self, fig, settings):
        ax = fig.add_subplot(1, 1, 1, projection="3d")
        base = min(float(z.min()) for _, _, _, z in self.surfaces)
        for i, (legend, x, y, z) in enumerate(self.surfaces):
            color = LINE_STYLES[i % len(LINE_STYLES)][0]
            ax.plot_wireframe(x, y, z, color=color, linewidth=0.8, label=_label(legend))
            if np.ptp(z) > 0 and min(z.shape) > 1:
                ax.contour(x, y, z, zdir="z", offset=base, colors=color, linewidths=0.8)
        return ax, any(legend for legend, *_ in self.surfaces)


class Scatter3:
    """Point sets drawn by gnuplot.scatter3."""

    def __init__(self, sets: list) -> None:
        self.sets = sets  # (legend, x, y, z) vectors

    def draw(self, fig, settings):
        ax = fig.add_subplot(1, 1, 1, projection="3d")
        for i, (legend, x, y, z) in enumerate(self.sets):
            st = parse_format("points", i)
            ax.scatter(x, y, z, color=st.color, marker=st.marker, s=st.markersize ** 2, label=_label(legend),
                       depthshade=False)
        return ax, any(legend for legend, *_ in self.sets)


# gnuplot palettes -> matplotlib colormaps; 'color' is gnuplot's default palette, rgbformulae 7,5,15,
# which is matplotlib's 'gnuplot' map.
PALETTES = {"gray": "gray", "grey": "gray", "color": "gnuplot"}


class Image:
    """A matrix drawn by gnuplot.imagesc: one cell per element, row 0 at the top, with a colour box."""

    def __init__(self, z: np.ndarray, cmap: str) -> None:
        self.z, self.cmap = z, cmap

    def draw(self, fig, settings):
        ax = fig.add_subplot(1, 1, 1)
        h, w = self.z.shape
        im = ax.imshow(self.z, cmap=self.cmap, aspect="auto", interpolation="nearest", origin="upper",
                       extent=(-0.5, w - 0.5, h - 0.5, -0.5))
        fig.colorbar(im, ax=ax)
        return ax, False

