"""torch7.gnuplot: Lua gnuplot's 28 functions drawn with matplotlib, run headless.

Files are checked by their bytes (and a PNG by its pixels); what a figure draws is checked on the
matplotlib axes it renders to; histc against NumPy.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import torch7 as torch
from torch7 import gnuplot
from torch7.gnuplot import _state
from torch7.gnuplot._kernels import box_edges, csplines
from torch7.gnuplot._mpl import offscreen_figure
from torch7.gnuplot._styles import parse_format

BLUE = (0x1D, 0x45, 0x99)  # line style 1 of Torch's gnuplot style
GREEN = (0x11, 0xAD, 0x34)


@pytest.fixture(autouse=True)
def headless(monkeypatch):
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    gnuplot.closeall()
    gnuplot.setterm("dumb")
    yield
    gnuplot.closeall()


def _axes():
    """Render the current figure off screen; return its main axes."""
    fig = offscreen_figure()
    _state.render(_state.TABLE.current_figure(), fig)
    return fig.axes[0]


def _pixels(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def _near(px, rgb, tol=40):
    return np.abs(px - np.array(rgb)).sum(axis=2) < tol


# ---- files -------------------------------------------------------------------------------------


def _written(path, head=None):
    assert os.path.getsize(path) > 500
    if head is not None:
        with open(path, "rb") as fh:
            assert head in fh.read(2000)


class TestFiles:
    @pytest.mark.parametrize("maker,ext,head", [
        (gnuplot.pngfigure, "png", b"\x89PNG"), (gnuplot.svgfigure, "svg", b"<svg"),
        (gnuplot.pdffigure, "pdf", b"%PDF"), (gnuplot.epsfigure, "eps", b"%!PS")])
    def test_file_figures(self, tmp_path, maker, ext, head):
        path = str(tmp_path / f"f.{ext}")
        n = maker(path)
        assert n == 1 and not os.path.exists(path)  # nothing plotted yet: nothing written
        gnuplot.plot("sin", torch.sin(torch.linspace(-5, 5, 50)))
        gnuplot.plotflush()
        _written(path, head)

    @pytest.mark.parametrize("draw", [
        lambda: gnuplot.plot(torch.Tensor([1, 3, 2])),
        lambda: gnuplot.bar(torch.Tensor([1, 3, 2])),
        lambda: gnuplot.splot(torch.rand(6, 7)),
        lambda: gnuplot.scatter3(torch.rand(9), torch.rand(9), torch.rand(9)),
        lambda: gnuplot.imagesc(torch.rand(5, 8), "color"),
        lambda: gnuplot.hist(torch.rand(100), 7),
    ], ids=["plot", "bar", "splot", "scatter3", "imagesc", "hist"])
    def test_each_plot_writes_png_and_figprint(self, tmp_path, draw):
        path = str(tmp_path / "f.png")
        gnuplot.pngfigure(path)
        draw()
        gnuplot.close()
        _written(path, b"\x89PNG")
        assert _pixels(path).shape == (480, 640, 3)

    @pytest.mark.parametrize("deco", [
        lambda: gnuplot.xlabel("x"), lambda: gnuplot.ylabel("y"), lambda: gnuplot.zlabel("z"),
        lambda: gnuplot.title("t"), lambda: gnuplot.grid(True), lambda: gnuplot.logscale(True),
        lambda: gnuplot.movelegend("left", "top"), lambda: gnuplot.axis([0, 5, 0, 5]),
        lambda: gnuplot.raw("set key off; replot"),
    ], ids=["xlabel", "ylabel", "zlabel", "title", "grid", "logscale", "movelegend", "axis", "raw"])
    def test_decorations_redraw_the_file(self, tmp_path, deco):
        path = str(tmp_path / "f.svg")
        gnuplot.svgfigure(path)
        gnuplot.plot("a", torch.Tensor([1, 2, 4]))
        os.remove(path)
        deco()
        _written(path, b"<svg")

    def test_figprint_by_extension(self, tmp_path):
        gnuplot.plot(torch.Tensor([1, 3, 2]))
        for ext, head in [("png", b"\x89PNG"), ("eps", b"%!PS"), ("pdf", b"%PDF"), ("svg", b"<svg")]:
            path = str(tmp_path / f"p.{ext}")
            gnuplot.figprint(path)
            _written(path, head)
        assert _pixels(str(tmp_path / "p.png")).shape == (768, 1024, 3)  # Lua's figprint size
        with pytest.raises(ValueError, match="only eps, png, pdf and svg"):
            gnuplot.figprint(str(tmp_path / "p.jpg"))

    def test_missing_directory_and_empty_figure(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="directory does not exist"):
            gnuplot.pngfigure(str(tmp_path / "nodir" / "f.png"))
        gnuplot.figure()
        with pytest.raises(RuntimeError, match="nothing plotted"):
            gnuplot.figprint(str(tmp_path / "f.png"))


# ---- pixels of a rendered PNG ------------------------------------------------------------------


def test_png_pixels_line_colour_and_legend(tmp_path):
    x = torch.linspace(0, 1, 50)
    y = torch.Tensor(50).fill(1).add(-1, x)  # falls from top left to bottom right: top right stays empty

    def render(name, legend):
        path = str(tmp_path / name)
        gnuplot.pngfigure(path)
        gnuplot.plot(*((legend,) if legend else ()), x, y, "-")
        gnuplot.close()
        return _pixels(path)

    with_key, without = render("key.png", "decreasing"), render("nokey.png", None)
    for px in (with_key, without):
        assert (px.sum(axis=2) < 3 * 250).mean() > 0.01  # not blank
        assert _near(px, BLUE).sum() > 300  # the line, in line style 1's colour
        assert _near(px, GREEN).sum() == 0
    # The axes span x 80..576, y 58..427 of the 640x480 image: the key sits in its top right corner.
    corner = (slice(60, 160), slice(420, 574))
    dark = lambda px: (px[corner].sum(axis=2) < 300).sum()  # noqa: E731
    assert dark(without) == 0
    assert dark(with_key) > 40  # legend text
    assert _near(with_key[corner], BLUE).sum() > 10  # the key's line sample


# ---- figures -----------------------------------------------------------------------------------


class TestFigures:
    def test_numbering_and_close(self, capsys):
        assert [gnuplot.figure(), gnuplot.figure(), gnuplot.figure(5), gnuplot.figure()] == [1, 2, 5, 3]
        gnuplot.close(2)
        assert gnuplot.figure() == 2
        gnuplot.close()
        assert _state.TABLE.current is None
        gnuplot.plotflush()
        assert capsys.readouterr().out == "no figure nil\n"
        gnuplot.plotflush(9)
        assert capsys.readouterr().out == "no figure 9\n"
        gnuplot.closeall()
        assert gnuplot.figure() == 1
        with pytest.raises(ValueError, match="integers >= 1"):
            gnuplot.figure(0)

    def test_settings_stay_for_later_plots(self):
        gnuplot.title("kept")
        gnuplot.plot(torch.Tensor([1, 2]))
        gnuplot.plot(torch.Tensor([3, 4, 5]))
        ax = _axes()
        assert ax.get_title() == "kept" and len(ax.lines) == 1
        gnuplot.figure(2)
        gnuplot.plot(torch.Tensor([1, 2]))
        assert _axes().get_title() == ""

    def test_setterm_and_setgnuplotexe(self):
        with pytest.raises(ValueError, match="does not seem to have this term"):
            gnuplot.setterm("png")
        with pytest.raises(FileNotFoundError, match="does not exist"):
            gnuplot.setgnuplotexe("/no/such/gnuplot")
        gnuplot.setgnuplotexe(sys.executable)
        gnuplot.setterm("qt")
        assert _state.TABLE.get(4).term == "screen"

    def test_screen_figures_use_pyplot(self, monkeypatch):
        monkeypatch.setenv("MPLBACKEND", "Agg")
        import matplotlib.pyplot as plt

        gnuplot.setterm("wxt")
        n = gnuplot.figure()
        gnuplot.plot("a", torch.Tensor([1, 2, 3]))
        assert plt.fignum_exists(n) and plt.figure(n).axes[0].get_legend() is not None
        gnuplot.close()
        assert not plt.fignum_exists(n)

    def test_offscreen_never_touches_pyplot_or_backend(self, tmp_path):
        code = ("import sys, matplotlib; b = matplotlib.rcParams._get_backend_or_none(); "
                "import torch7 as torch; from torch7 import gnuplot; "
                f"gnuplot.pngfigure({str(tmp_path / 'a.png')!r}); gnuplot.plot(torch.Tensor([1, 2])); "
                "gnuplot.plot(torch.Tensor([1, 2])); gnuplot.close(); "
                "print('matplotlib.pyplot' in sys.modules, matplotlib.rcParams._get_backend_or_none() == b)")
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.split() == ["False", "True"]
        assert os.path.getsize(tmp_path / "a.png") > 500

    def test_missing_matplotlib_names_the_extra(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        with pytest.raises(ImportError, match="'plot' extra"):
            gnuplot.plot(torch.Tensor([1, 2]))


# ---- plot forms and formats --------------------------------------------------------------------


class TestPlot:
    def test_vector_against_positions(self):
        gnuplot.plot(torch.Tensor([4, 5, 6]))
        line = _axes().lines[0]
        assert line.get_xdata().tolist() == [1, 2, 3] and line.get_ydata().tolist() == [4, 5, 6]
        assert line.get_linestyle() == "-" and line.get_marker() == "o"  # default: lines and points

    def test_forms(self):
        x, y = torch.Tensor([1, 2, 3]), torch.Tensor([7, 8, 9])
        gnuplot.plot(x, y, "+")
        (line,) = _axes().lines
        assert line.get_linestyle() == "None" and line.get_ydata().tolist() == [7, 8, 9]
        gnuplot.plot("leg", x, y, "-")
        ax = _axes()
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["leg"]
        gnuplot.plot("leg", np.array([3.0, 1.0]))
        assert _axes().lines[0].get_ydata().tolist() == [3, 1]
        gnuplot.plot(torch.Tensor([[1, 10], [2, 20]]))  # two columns: x then y
        assert _axes().lines[0].get_xdata().tolist() == [1, 2]
        gnuplot.plot(torch.Tensor([[1, 10, 100], [2, 20, 200]]), "-")  # x then two y columns
        assert [ln.get_ydata().tolist() for ln in _axes().lines] == [[10, 20], [100, 200]]

    def test_several_series(self):
        x = torch.linspace(0, 1, 5)
        gnuplot.plot([["a", x, x, "-"], ["b", x, x * 2, "+"], ["", x, x * 3, "+-"]])
        ax = _axes()
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
        colours = [ln.get_color().upper() for ln in ax.lines]
        assert colours == ["#1D4599", "#11AD34", "#E62B17"]
        gnuplot.plot([[x, x], [x, x * 2]])  # nested once more: Lua's plot({{...},{...}})
        assert len(_axes().lines) == 2 and _axes().get_legend() is None
        gnuplot.plot(["a", x], ["b", x])
        assert len(_axes().lines) == 2

    def test_boxes_dots_splines_vectors(self):
        x = torch.Tensor([0, 1, 3])
        gnuplot.plot(x, torch.Tensor([2, 1, 3]), "|")
        bars = _axes().patches
        assert [(p.get_x(), p.get_width(), p.get_height()) for p in bars] == [(-0.5, 1, 2), (0.5, 1.5, 1), (2, 2, 3)]
        assert not bars[0].get_fill()
        gnuplot.plot(x, x, ".")
        assert _axes().lines[0].get_marker() == "."
        gnuplot.plot(x, torch.Tensor([0, 1, 0]), "~")
        assert len(_axes().lines[0].get_xdata()) == 300  # Torch's 'set samples 300'
        v = torch.Tensor([[0, 0, 1, 2], [1, 1, 1, 0]])
        gnuplot.plot("v", v, "v")
        q = _axes().collections[0]
        assert q.U.tolist() == [1, 1] and q.V.tolist() == [2, 0]
        with pytest.raises(ValueError, match="n x 2"):
            gnuplot.plot(x, x, "v")

    def test_gnuplot_strings(self):
        x = torch.Tensor([1, 2, 3])
        gnuplot.plot(x, x, 'with points pt 2 lc rgb "red" title "mine"')
        ax = _axes()
        line = ax.lines[0]
        assert line.get_marker() == "x" and line.get_color() == "red"
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mine"]
        gnuplot.plot(x, x, "with lines ls 2 lw 4")
        line = _axes().lines[0]
        assert line.get_color().upper() == "#11AD34" and line.get_linewidth() == 4
        band = torch.Tensor([[0, 1, 2], [1, 2, 4]])
        gnuplot.plot(band, "with filledcurves fill transparent solid 0.5")
        assert _axes().collections[0].get_alpha() == 0.5
        gnuplot.plot(x, x, "with impulses")
        gnuplot.plot(x, x, "with steps")
        assert _axes().lines[0].get_drawstyle() == "steps-post"

    def test_format_table(self):
        kinds = {f: parse_format(f, 0).kind for f in ["", ".", "+", "-", "+-", "~", "|", "v", "lines", "w lp"]}
        assert kinds == {"": "linespoints", ".": "dots", "+": "points", "-": "lines", "+-": "linespoints",
                         "~": "csplines", "|": "boxes", "v": "vectors", "lines": "lines", "w lp": "linespoints"}
        assert parse_format("-", 17).color == parse_format("-", 0).color  # 17 styles, then again

    @pytest.mark.parametrize("args,err,match", [
        ((), ValueError, "no inputs"),
        ((torch.Tensor([1, 2]), "with nonsense"), ValueError, "not understood"),
        ((torch.Tensor([1, 2]), "lw 2"), ValueError, "names no plot style"),
        ((torch.Tensor([1, 2]), "~ 0.5"), NotImplementedError, "acsplines"),
        ((torch.Tensor([1, 2]), torch.Tensor([1, 2, 3])), ValueError, "x is 2, y is 3"),
        ((torch.Tensor([1, 2]), 3), ValueError, r"expecting \[string,\] tensor"),
        (("a", "b"), ValueError, r"got \(str, str\)"),
        (([torch.Tensor([1])], torch.Tensor([1])), TypeError, "every argument must be a list"),
    ])
    def test_errors(self, args, err, match):
        with pytest.raises(err, match=match):
            gnuplot.plot(*args)


class TestOtherPlots:
    def test_splot(self):
        z = torch.rand(4, 6)
        gnuplot.splot("surf", z)
        ax = _axes()
        assert hasattr(ax, "get_zlim") and ax.get_legend() is not None
        gnuplot.splot([[z], [z + 2]])
        gnuplot.splot(torch.rand(3, 3), torch.rand(3, 3), torch.rand(3, 3))
        with pytest.raises(ValueError, match="one size"):
            gnuplot.splot(torch.rand(3, 3), torch.rand(3, 3), torch.rand(3, 4))
        with pytest.raises(ValueError, match="matrix"):
            gnuplot.splot(torch.rand(3))

    def test_scatter3(self):
        t = torch.linspace(0, 6, 30)
        gnuplot.scatter3([["A", t.clone().cos(), t.clone().sin(), t], ["B", t, t, t]])
        ax = _axes()
        assert len(ax.collections) == 2 and [x.get_text() for x in ax.get_legend().get_texts()] == ["A", "B"]
        with pytest.raises(ValueError, match="1-D of one size"):
            gnuplot.scatter3(torch.rand(3, 2), torch.rand(3), torch.rand(3))
        with pytest.raises(ValueError, match="expecting"):
            gnuplot.scatter3(torch.rand(3), torch.rand(3))

    def test_imagesc(self):
        z = torch.Tensor([[0, 1, 2], [3, 4, 5]])
        gnuplot.imagesc(z)
        im = _axes().images[0]
        assert im.get_cmap().name == "gray" and im.get_extent() == [-0.5, 2.5, 1.5, -0.5]
        assert im.get_array().tolist() == [[0, 1, 2], [3, 4, 5]]
        gnuplot.imagesc(z, "color")
        assert _axes().images[0].get_cmap().name == "gnuplot"
        with pytest.raises(ValueError, match="unknown palette"):
            gnuplot.imagesc(z, "rgbformulae 1,2,3")
        with pytest.raises(ValueError, match="matrix"):
            gnuplot.imagesc(torch.rand(3))

    def test_bar(self):
        gnuplot.bar(torch.Tensor([1, 2]), torch.Tensor([5, 6]))
        assert [p.get_height() for p in _axes().patches] == [5, 6]


# ---- decorations and raw -----------------------------------------------------------------------


class TestAxes:
    def test_labels_grid_log_legend(self):
        gnuplot.plot("a", torch.Tensor([1, 10, 100]))
        gnuplot.xlabel("X")
        gnuplot.ylabel("Y")
        gnuplot.title("T")
        gnuplot.grid(True)
        gnuplot.logscale(True)
        gnuplot.movelegend("left", "bottom")
        ax = _axes()
        assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("X", "Y", "T")
        assert any(g.get_visible() for g in ax.get_xgridlines())
        assert ax.get_xscale() == ax.get_yscale() == "log"
        assert ax.get_legend()._loc == 3  # 'lower left'
        gnuplot.logscale(False)
        gnuplot.grid(False)
        ax = _axes()
        assert ax.get_yscale() == "linear" and not any(g.get_visible() for g in ax.get_xgridlines())
        with pytest.raises(ValueError, match="unknown location"):
            gnuplot.movelegend("up", "top")

    def test_axis(self):
        gnuplot.plot(torch.Tensor([1, 2, 3]))
        gnuplot.axis([0, 13, -1, ""])
        ax = _axes()
        assert ax.get_xlim() == (0, 13) and ax.get_ylim()[0] == -1 and ax.get_ylim()[1] > 2.9
        gnuplot.axis("equal")
        assert _axes().get_aspect() == 1
        gnuplot.axis("auto")
        ax = _axes()
        assert ax.get_aspect() == "auto" and ax.get_xlim()[0] > 0.5
        for bad in ("tight", [1, 2, 3], [0, 1, 0, "x"]):
            with pytest.raises((ValueError, TypeError), match="gnuplot.axis"):
                gnuplot.axis(bad)

    def test_raw_subset(self):
        gnuplot.plot("a", torch.Tensor([1, 2, 3]))
        gnuplot.raw('set title "raw title"; set xrange [0:*]\nset yrange [ 0.5 : 5 ] noreverse')
        gnuplot.raw('set xtics ("Jan" 1, "Feb" 2); set logscale y; set grid; set key left top; set xlabel "m"')
        ax = _axes()
        assert ax.get_title() == "raw title" and ax.get_xlim()[0] == 0 and ax.get_ylim() == (0.5, 5)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["Jan", "Feb"] and ax.get_xticks().tolist() == [1, 2]
        assert ax.get_yscale() == "log" and ax.get_xscale() == "linear" and ax.get_xlabel() == "m"
        assert ax.get_legend()._loc == 2  # 'upper left'
        gnuplot.raw("unset key; unset logscale; set autoscale; set size ratio -1; unset title")
        ax = _axes()
        assert ax.get_legend() is None and ax.get_yscale() == "linear" and ax.get_title() == ""
        assert ax.get_aspect() == 1 and ax.get_ylim()[0] > 0.5

    @pytest.mark.parametrize("cmd", ["set palette gray", "plot sin(x)", "set xrange [a:b]", "set title 'a' font 'b'",
                                     "set logscale q", "set key outside"])
    def test_raw_unsupported(self, cmd):
        gnuplot.plot(torch.Tensor([1, 2]))
        with pytest.raises(NotImplementedError, match="gnuplot.raw: .* is not supported"):
            gnuplot.raw(cmd)


# ---- histograms --------------------------------------------------------------------------------


class TestHist:
    def test_histc_against_numpy(self):
        rng = np.random.default_rng(0)
        a = rng.normal(size=2000)
        for bins, lo, hi in [(10, None, None), (37, -1.0, 2.0), (1, None, None)]:
            h = gnuplot.histc(torch.from_numpy(a.copy()), bins, lo, hi)
            rlo, rhi = (a.min(), a.max()) if lo is None else (lo, hi)
            counts, edges = np.histogram(a, bins, range=(rlo, rhi))
            assert [b["nb"] for b in h] == counts.astype(float).tolist()
            assert np.allclose([b["val"] for b in h], (edges[:-1] + edges[1:]) / 2)
            assert h.bins == bins and math.isclose(h.binwidth, (rhi - rlo) / bins)
            assert h.max == int(np.argmax(counts)) and h.min == int(np.argmin(counts))
            assert h.raw.numpy().tolist() == counts.astype(float).tolist()

    def test_histc_inputs(self):
        h = gnuplot.histc(torch.IntTensor([1, 1, 2, 5]))  # 10 bins over [1, 5]
        assert len(h) == 10 and h[0] == {"val": 1.2, "nb": 2.0} and h[-1]["nb"] == 1
        assert gnuplot.histc(np.array([0.0, 1.0, 1.0]), 2, raw=True).numpy().tolist() == [1, 2]
        with pytest.raises(ValueError, match="empty"):
            gnuplot.histc(torch.Tensor())
        with pytest.raises(ValueError, match="bins must be a positive integer"):
            gnuplot.histc(torch.Tensor([1, 2]), 0)
        with pytest.raises(TypeError, match="Tensor or NumPy array"):
            gnuplot.histc([1, 2])

    def test_printed_table(self):
        h = gnuplot.histc(torch.Tensor([0, 1, 1, 2, 2, 2, 3, 3, 3, 3]), 8, 0, 4)
        lines = str(h).split("\n")
        assert lines[0] == "nsamples:  min:(bin:1/#0/cntr:0.75)  max:(bin:6/#4/cntr:3.25)"
        assert lines[1] == "--------:" + "-" * 8 and len(lines) == 14
        assert lines[2].startswith("3.64e+00:") and lines[2][9:] == "      . "
        assert lines[-2] == "--------:-^-----^" and lines[-1] == "centers +0.75 +3.75 "
        assert repr(h) == str(h)

    def test_hist_plots_boxes(self):
        h = gnuplot.hist(torch.Tensor([0, 1, 1, 3]), 3, 0, 3)
        assert isinstance(h, gnuplot.HistTable) and [b["nb"] for b in h] == [1, 2, 1]
        bars = _axes().patches
        assert [p.get_height() for p in bars] == [1, 2, 1] and [p.get_x() for p in bars] == [0, 1, 2]


# ---- kernels -----------------------------------------------------------------------------------


def _natural_spline_dense(x, y, xs):
    """Independent reference: solve the full (n x n) system for the second derivatives."""
    n = len(x)
    h = np.diff(x)
    A, r = np.zeros((n, n)), np.zeros(n)
    A[0, 0] = A[-1, -1] = 1
    for i in range(1, n - 1):
        A[i, i - 1:i + 2] = h[i - 1], 2 * (h[i - 1] + h[i]), h[i]
        r[i] = 6 * ((y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1])
    m = np.linalg.solve(A, r)
    k = np.clip(np.searchsorted(x, xs, side="right") - 1, 0, n - 2)
    a, b = x[k + 1] - xs, xs - x[k]
    return (m[k] * a**3 + m[k + 1] * b**3) / (6 * h[k]) + (y[k] / h[k] - m[k] * h[k] / 6) * a \
        + (y[k + 1] / h[k] - m[k + 1] * h[k] / 6) * b


def test_csplines_against_dense_solve():
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 10, 12))
    y = rng.normal(size=12)
    xs, ys = csplines(x[::-1], y[::-1], samples=500)  # unsorted input is sorted first
    assert np.allclose(ys, _natural_spline_dense(x, y, xs), atol=1e-10)
    xe, ye = csplines(np.arange(5.0), np.array([0, 1, 0, 1, 0.0]), samples=9)
    assert np.allclose(ye[::2], [0, 1, 0, 1, 0])  # passes through the points
    xd, yd = csplines(np.array([0, 1, 1, 2.0]), np.array([0, 1, 3, 0.0]), samples=7)
    assert np.allclose(yd, csplines(np.array([0, 1, 2.0]), np.array([0, 2, 0.0]), samples=7)[1])  # mean of equal x
    assert csplines(np.array([1.0, 2.0]), np.array([3.0, 4.0]))[1].tolist() == [3, 4]


def test_box_edges():
    left, width = box_edges(np.array([3.0, 0.0, 1.0]))
    assert left.tolist() == [2.0, -0.5, 0.5] and width.tolist() == [2.0, 1.0, 1.5]
    assert box_edges(np.array([2.0]))[1].tolist() == [1.0]
