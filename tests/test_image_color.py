"""torch7.image pixel-value functions: colour conversions, kernels and colormaps, filters,
drawing and display.

References are independent: colorsys, closed forms from Torch7's sources and tests, per-pixel loops.
"""

from __future__ import annotations

import colorsys
import math
import sys
import types

import numpy as np
import pytest

import torch7 as torch
from torch7 import image

_RNG = np.random.default_rng(0)


def _T(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _img(seed=0, shape=(3, 4, 5)):
    return torch.from_numpy(np.random.default_rng(seed).uniform(0, 1, shape))


def _pixels(a):
    return a.reshape(a.shape[0], -1).T


def test_rgb2yuv_matches_matrix_and_round_trips():
    x = _img()
    m = np.array([[0.299, 0.587, 0.114], [-0.14713, -0.28886, 0.436], [0.615, -0.51499, -0.10001]])
    yuv = image.rgb2yuv(x)
    np.testing.assert_allclose(yuv.numpy(), np.einsum("ij,jhw->ihw", m, x.numpy()), atol=1e-12)
    np.testing.assert_allclose(image.yuv2rgb(yuv).numpy(), x.numpy(), atol=1e-4)
    dst = torch.Tensor()
    assert image.rgb2yuv(dst, x) is dst and dst.size() == x.size()


def test_rgb2y_shape_and_value():
    x = _img(1)
    y = image.rgb2y(x)
    assert y.size() == torch.Size([1, 4, 5])
    a = x.numpy()
    np.testing.assert_allclose(y.numpy()[0], 0.299 * a[0] + 0.587 * a[1] + 0.114 * a[2], atol=1e-12)
    b = image.rgb2y(torch.from_numpy((a * 255).astype(np.uint8)))
    assert b.type() == "torch.ByteTensor"
    ref = np.floor(np.einsum("i,ihw->hw", [0.299, 0.587, 0.114], (a * 255).astype(np.uint8).astype(float)) + 0.5)
    np.testing.assert_array_equal(b.numpy()[0], ref)


@pytest.mark.parametrize("fwd,back,ref", [(image.rgb2hsl, image.hsl2rgb, "hls"), (image.rgb2hsv, image.hsv2rgb, "hsv")])
def test_hsl_hsv_match_colorsys(fwd, back, ref):
    a = np.random.default_rng(2).uniform(0, 1, (3, 5, 6))
    a[:, 0, 0] = 0.4  # grey pixel: hue and saturation 0
    a[:, 0, 1] = [1.0, 0.0, 0.0]
    x = torch.from_numpy(a)
    out = fwd(x).numpy()
    for px, got in zip(_pixels(a), _pixels(out)):
        if ref == "hls":
            h, l, s = colorsys.rgb_to_hls(*px)
            want = (h, s, l)
        else:
            want = colorsys.rgb_to_hsv(*px)
        np.testing.assert_allclose(got, want, atol=1e-12)
    np.testing.assert_allclose(back(fwd(x)).numpy(), a, atol=1e-12)


def test_hsl_hsv_known_values_and_byte():
    red = torch.Tensor([[[1.0]], [[0.0]], [[0.0]]])
    assert image.rgb2hsl(red).view(3).totable() == [0.0, 1.0, 0.5]
    assert image.rgb2hsv(red).view(3).totable() == [0.0, 1.0, 1.0]
    cyan = torch.Tensor([[[0.5]], [[1.0]], [[1.0]]])  # hue 1/2
    assert image.rgb2hsv(cyan).view(3).totable()[0] == pytest.approx(0.5)
    b = torch.from_numpy(np.array([[[255]], [[0]], [[0]]], np.uint8))
    assert image.rgb2hsl(b).view(3).totable() == [0, 255, 128]  # 0.5*255 rounded
    assert image.hsv2rgb(image.rgb2hsv(b)).view(3).totable() == [255, 0, 0]


def test_lab_known_values_and_round_trip():
    white = torch.Tensor(3, 1, 1).fill(1)
    np.testing.assert_allclose(image.rgb2lab(white).view(3).numpy(), [100, 0, 0], atol=1e-3)
    red = torch.Tensor([[[1.0]], [[0.0]], [[0.0]]])
    np.testing.assert_allclose(image.rgb2lab(red).view(3).numpy(), [53.24, 80.09, 67.20], atol=0.05)
    black = torch.zeros(3, 1, 1)
    np.testing.assert_allclose(image.rgb2lab(black).view(3).numpy(), [0, 0, 0], atol=1e-9)
    x = _img(3)
    # Torch7's XYZ matrices are not exact inverses; its own test allows 1e-4.
    np.testing.assert_allclose(image.lab2rgb(image.rgb2lab(x)).numpy(), x.numpy(), atol=1e-4)
    with pytest.raises(TypeError, match="ByteTensor"):
        image.rgb2lab(torch.ByteTensor(3, 2, 2))


def test_rgb2nrgb_and_alpha_passthrough():
    a = np.random.default_rng(4).uniform(0, 1, (4, 3, 3))
    out = image.rgb2nrgb(torch.from_numpy(a)).numpy()
    np.testing.assert_allclose(out[:3], a[:3] / (a[:3].sum(0) + 1e-6), atol=1e-12)
    np.testing.assert_array_equal(out[3], a[3])


def test_y2jet_uses_jet_rows():
    labels = torch.Tensor([[1, 2, 3], [3, 2, 1]])
    out = image.y2jet(labels)
    cmap = image.jetColormap(3).numpy()
    assert out.size() == torch.Size([3, 2, 3])
    for y in range(2):
        for x in range(3):
            np.testing.assert_array_equal(out.numpy()[:, y, x], cmap[int(labels[y][x]) - 1])
    b = image.y2jet(torch.from_numpy(np.array([[1, 4]], np.uint8)))
    assert b.type() == "torch.ByteTensor"
    np.testing.assert_array_equal(b.numpy()[:, 0, 1], np.floor(image.jetColormap(4).numpy()[3] * 255 + 0.5))
    with pytest.raises(ValueError, match="labels"):
        image.y2jet(torch.Tensor([[0, 1]]))


def test_colour_errors_name_function():
    with pytest.raises(ValueError, match=r"image.rgb2hsv: src must be 3-D"):
        image.rgb2hsv(torch.Tensor(4, 4))
    with pytest.raises(ValueError, match=r"image.rgb2yuv: src must have 3 channels"):
        image.rgb2yuv(torch.Tensor(2, 4, 4))


# ---- kernels and filters --------------------------------------------------------------------------------------
def test_gaussian_closed_form_and_call_forms():
    w, h, sh, sv, mh, mv = 7, 5, 0.3, 0.2, 0.4, 0.6
    ref = np.array([[10 * math.exp(-(((j - (mh * w + 0.5)) / (sh * w)) ** 2 / 2
                                     + ((i - (mv * h + 0.5)) / (sv * h)) ** 2 / 2))
                     for j in range(1, w + 1)] for i in range(1, h + 1)])  # Torch7's naive_gaussian
    k = image.gaussian(amplitude=10, width=w, height=h, sigma_horz=sh, sigma_vert=sv, mean_horz=mh, mean_vert=mv)
    np.testing.assert_allclose(k.numpy(), ref, rtol=1e-12)
    d = image.gaussian({"amplitude": 10, "width": w, "height": h, "sigma_horz": sh, "sigma_vert": sv,
                        "mean_horz": mh, "mean_vert": mv, "normalize": True})
    np.testing.assert_allclose(d.numpy(), ref / ref.sum(), rtol=1e-12)
    np.testing.assert_array_equal(image.gaussian(3).numpy(), image.gaussian(size=3, sigma=0.25).numpy())
    out = torch.FloatTensor(2, 4)
    assert image.gaussian(tensor=out) is out  # 2x4: du = (2 - 2.5)/(0.25*4), dv = (1 - 1.5)/(0.25*2)
    assert out.numpy()[0, 1] == pytest.approx(math.exp(-0.5 * (0.25 + 1)), rel=1e-6)
    b = image.gaussian(tensor=torch.ByteTensor(3, 3), amplitude=200).numpy()
    assert b[1, 1] == 200 and b[0, 0] == math.floor(200 * math.exp(-0.5 * 2 * (1 / 0.75) ** 2) + 0.5)


def test_gaussian1D_laplacian_colormaps():
    g = image.gaussian1D(size=6, sigma=0.3, amplitude=2, mean=0.4)
    np.testing.assert_allclose(g.numpy(), [2 * math.exp(-((i - 2.9) / 1.8) ** 2 / 2) for i in range(1, 7)])
    assert image.gaussian1D(5, normalize=True).sum() == pytest.approx(1)
    lap = image.laplacian(width=5, height=4, sigma_horz=0.3, sigma_vert=0.2)
    ref = [[(1 - q) * math.exp(-q) for j in range(1, 6)
            for q in [((i - 3) / 1.5) ** 2 / 2 + ((j - 2.5) / 0.8) ** 2 / 2]] for i in range(1, 5)]
    np.testing.assert_allclose(lap.numpy(), ref, rtol=1e-12)
    cm = image.colormap(12).numpy()
    ref = [colorsys.hls_to_rgb(39 * k % 360 / 360, 0.5, (k / 9) % 0.7 + 0.3) for k in range(12)]
    np.testing.assert_allclose(cm, ref, atol=1e-12)
    jet = image.jetColormap(5).numpy()
    v = 4 * np.arange(1, 6) / 5
    np.testing.assert_allclose(jet[:, 2], np.clip(np.minimum(v + 0.5, 2.5 - v), 0, 1))


def _conv_ref(a, k, full):
    kh, kw = k.shape
    if full:
        a = np.pad(a, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    kf = k[::-1, ::-1]
    return np.array([[np.sum(a[y:y + kh, x:x + kw] * kf) for x in range(a.shape[1] - kw + 1)]
                     for y in range(a.shape[0] - kh + 1)])


def test_convolve_modes():
    a, k = _RNG.uniform(size=(6, 7)), _RNG.uniform(size=(3, 2))
    np.testing.assert_allclose(image.convolve(_T(a), _T(k)).numpy(), _conv_ref(a, k, False), atol=1e-12)
    full = _conv_ref(a, k, True)
    np.testing.assert_allclose(image.convolve(_T(a), _T(k), "full").numpy(), full, atol=1e-12)
    np.testing.assert_allclose(image.convolve(_T(a), _T(k), "same").numpy(), full[1:7, 0:7], atol=1e-12)
    three = image.convolve(_T(np.stack([a, 2 * a])), _T(k), "valid").numpy()
    np.testing.assert_allclose(three[1], 2 * _conv_ref(a, k, False), atol=1e-12)
    dst = torch.Tensor()
    assert image.convolve(dst, _T(a), _T(k), "same") is dst and dst.size() == torch.Size([6, 7])


def test_erode_dilate_lcn():
    b = (_RNG.uniform(size=(7, 8)) > 0.4).astype(float)
    cross = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], float)
    pe, pd = np.pad(b, 1, constant_values=1), np.pad(b, 1)
    ero = [[min(pe[y + dy, x + dx] for dy in range(3) for dx in range(3) if cross[dy, dx]) for x in range(8)]
           for y in range(7)]
    dil = [[max(pd[y + dy, x + dx] for dy in range(3) for dx in range(3)) for x in range(8)] for y in range(7)]
    np.testing.assert_array_equal(image.erode(_T(b), _T(cross)).numpy(), ero)
    np.testing.assert_array_equal(image.dilate(_T(b)).numpy(), dil)
    a, k = _RNG.uniform(size=(8, 9)), np.full((3, 3), 1 / 9)
    z = (a - a.mean()) / a.std(ddof=1)
    mean, sq = _conv_ref(z, k, False), _conv_ref(z * z, k, False)
    ref = (z[1:7, 1:8] - mean) / np.maximum(np.sqrt(np.maximum(sq - mean**2, 0)), 1)
    got = image.lcn(_T(a), _T(k))
    assert got.type() == "torch.DoubleTensor"
    np.testing.assert_allclose(got.numpy(), ref, atol=1e-12)


def test_gaussianpyramid_and_minmax():
    a = _RNG.uniform(size=(8, 8))
    lv = image.gaussianpyramid(_T(a), [1, 0.5])
    np.testing.assert_array_equal(lv[0].numpy(), a)
    k = image.gaussian(width=3, normalize=True).numpy()
    blur = _conv_ref(np.pad(a, 1), k, False)
    np.testing.assert_allclose(lv[1].numpy(), blur[::2, ::2], atol=1e-12)
    assert image.gaussianpyramid(torch.ByteTensor(8, 8), [0.5])[0].type() == "torch.ByteTensor"
    x = torch.Tensor([-2, 0, 6])
    assert image.minmax(tensor=x).totable() == [0, 0.25, 1]
    assert image.minmax({"tensor": x, "symm": True}).totable() == [1 / 3, 0.5, 1]
    assert image.minmax(tensor=x, min=0, max=4, saturate=True).totable() == [0, 0, 1]
    assert image.minmax(tensor=x, inplace=True) is x and x.totable() == [0, 0.25, 1]


# ---- drawing, display, tutorial -------------------------------------------------------------------------------
def test_drawRect():
    out = image.drawRect(torch.zeros(3, 8, 9), 1, 2, 5, 6)
    ref = np.zeros((8, 9), bool)
    ref[2:7, [1, 5]] = ref[[2, 6], 1:6] = True
    np.testing.assert_array_equal(out.numpy()[0] == 1, ref)
    assert out.numpy()[1:].sum() == 0
    src = torch.ByteTensor(3, 8, 9).zero()
    thick = image.drawRect(src, 2, 2, 6, 6, {"lineWidth": 3, "color": [10, 20, 30], "inplace": True})
    assert thick is src and thick.numpy()[:, 1, 1].tolist() == [10, 20, 30]
    assert thick.numpy()[0, 4, 4] == 0 and thick.numpy()[0, 3, 3] == 10
    image.drawRect(torch.zeros(3, 4, 4), -3, -3, 10, 10, lineWidth=2)  # clipped, no error


def test_drawText():
    base = torch.zeros(3, 30, 40)
    out = image.drawText(base, "H", 3, 4, color=[0, 0, 255])
    ys, xs = np.nonzero(out.numpy()[2])
    assert base.sum() == 0 and out.numpy()[:2].sum() == 0 and ys.min() >= 4 and xs.min() >= 3 and xs.max() < 9
    two = image.drawText(base, "H\nH", 3, 4, size=2).numpy()[0]
    rows = np.nonzero(two.any(1))[0]
    assert rows.min() >= 4 and rows.max() > 20
    bg = image.drawText(base, "i", 0, 0, {"bg": [255, 255, 255], "color": [255, 0, 0]}).numpy()
    assert (bg[0, :5, :5] == 1).all() and bg[1].sum() > 0
    wrapped = image.drawText(torch.zeros(3, 30, 20), "HHHH", 0, 0).numpy()[0]
    assert wrapped[12:].sum() > 0
    assert image.drawText(base, "   ").sum() == 0
    image.drawText(torch.zeros(3, 5, 5), "WW", -3, -3)  # partly outside: clipped


def test_toDisplayTensor_layout():
    imgs = _RNG.uniform(size=(5, 3, 4, 6))
    grid = image.toDisplayTensor(input=_T(imgs), nrow=3, padding=2).numpy()
    assert grid.shape == (3, 12, 24)
    lo, hi = imgs.min(), imgs.max()
    np.testing.assert_allclose(grid[:, 7:11, 9:15], (imgs[4] - lo) / (hi - lo), atol=1e-12)
    assert (grid[:, 6:, 16:] == 1).all()  # empty cell: filled with the maximum
    lst = image.toDisplayTensor([_T(imgs[0, 0]), _T(imgs[1, 0])], 0, 6, True)
    assert lst.size() == torch.Size([1, 4, 12]) and lst.numpy()[0, :, :6].max() == 1
    one = image.toDisplayTensor(_T(imgs[0]))
    np.testing.assert_allclose(one.numpy(), (imgs[0] - imgs[0].min()) / np.ptp(imgs[0]), atol=1e-12)


def test_display_file_and_jupyter(tmp_path, monkeypatch, capsys):
    x = torch.rand(3, 5, 6)
    path = image.display(x, zoom=2, legend="my fig")
    assert "saved to" in capsys.readouterr().out and "my_fig" in path
    assert image.getSize(path).totable() == [3, 10, 12]
    assert image.display(image=x, win=path) == path
    shown = []

    class Handle:
        def update(self, img):
            shown.append(("update", img))

    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: types.SimpleNamespace(kernel=object())
    disp = types.ModuleType("IPython.display")
    disp.Image = lambda data, format: ("img", data[:4])
    disp.display = lambda img, display_id=False: shown.append(("show", img)) or Handle()
    fake.display = disp
    monkeypatch.setitem(sys.modules, "IPython", fake)
    monkeypatch.setitem(sys.modules, "IPython.display", disp)
    h = image.display({"image": x})
    image.display(image=x, win=h)
    assert [s[0] for s in shown] == ["show", "update"] and shown[0][1] == ("img", b"\x89PNG")


def test_display_opens_a_matplotlib_window_when_a_screen_exists():
    import subprocess
    import sys

    code = ("import torch7 as torch; from torch7 import image; from torch7.gnuplot import _mpl\n"
            "_mpl._NON_INTERACTIVE = ()  # let Agg stand for a window toolkit\n"
            "fig = image.display(image=torch.rand(3, 8, 8), zoom=2, legend='lena')\n"
            "print(type(fig).__name__, fig.axes[0].images[0].get_array().shape)\n"
            "print(image.display(image=torch.rand(8, 8), win=fig) is fig)\n")
    env = dict(__import__("os").environ, MPLBACKEND="agg")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["Figure (16, 16, 3)", "True"]
