"""torch7.image: file I/O, geometry, warps, tutorial (colour, kernels, filters, drawing, display: test_image_color.py).

References are computed independently: Pillow, NumPy slicing, per-pixel loops of Torch7's formulas,
and the closed-form values of Torch7's own image tests.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib

import numpy as np
import pytest
from PIL import Image

import torch7 as torch
from torch7 import image, nn

RNG = np.random.default_rng(0)


def T(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def u8(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)


# ---- I/O ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ext,shape", [("png", (3, 5, 7)), ("png", (4, 3, 2)), ("png", (1, 4, 4)),
                                       ("ppm", (3, 5, 7)), ("pgm", (1, 6, 3)), ("PNG", (3, 2, 2))])
def test_lossless_round_trips_are_exact(tmp_path, ext, shape):
    raw = u8(shape)
    p = tmp_path / f"x.{ext}"
    image.save(str(p), T(raw))
    np.testing.assert_array_equal(image.load(str(p), None, "byte").numpy(), raw)
    f = image.load(str(p), None, "float")
    assert f.type() == "torch.FloatTensor"
    np.testing.assert_allclose(f.numpy(), raw / 255.0, atol=1e-7)
    image.save(str(p), f)  # float -> file -> same bytes (Torch7 truncated; we round)
    np.testing.assert_array_equal(image.load(str(p), None, "byte").numpy(), raw)
    assert image.getSize(str(p)).totable() == list(shape)


def test_png_matches_pillow_both_ways(tmp_path):
    raw = u8((6, 5, 3), 1)
    p = tmp_path / "a.png"
    Image.fromarray(raw).save(p)
    np.testing.assert_array_equal(image.loadPNG(str(p), None, "byte").numpy(), raw.transpose(2, 0, 1))
    image.savePNG(str(tmp_path / "b.png"), T(raw.transpose(2, 0, 1)))
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "b.png")), raw)
    assert image.getPNGsize(str(p)) == (3, 6, 5)


def _png16(width, height, color_type, samples):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    raw = b"\x00" + struct.pack(f">{len(samples)}H", *samples)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, color_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_png16_grey_like_torch7(tmp_path):
    p = tmp_path / "g16.png"
    p.write_bytes(_png16(2, 1, 0, [0, 65534]))  # Torch7's gray16-1x2.png test values
    np.testing.assert_allclose(image.load(str(p), 1, "float").numpy(), [[[0, 65534 / 65535]]], rtol=1e-6)
    assert image.load(str(p), 1, "byte").numpy().tolist() == [[[0, 255]]]


def test_jpeg_round_trip_close_and_quality(tmp_path):
    yy, xx = np.mgrid[0:32, 0:48]
    smooth = np.stack([xx / 47, yy / 31, (xx + yy) / 78])
    p = tmp_path / "a.jpg"
    image.save(str(p), T(smooth))
    back = image.load(str(p))
    assert back.type() == "torch.DoubleTensor" and back.size() == torch.Size([3, 32, 48])
    assert np.abs(back.numpy() - smooth).mean() < 0.01
    lena = image.lena()
    hi, lo = image.compressJPG(lena, 100), image.compressJPG(lena, 25)
    assert hi.type() == "torch.ByteTensor" and lo.size(0) < hi.size(0)
    err = image.decompressJPG(hi).numpy() - lena.numpy()
    assert abs(err.mean()) < 1e-3 and err.std() < 0.1  # Torch7's CompressAndDecompress bounds
    data = torch.from_numpy(np.frombuffer(p.read_bytes(), np.uint8).copy())
    np.testing.assert_array_equal(image.decompress(data).numpy(), back.numpy())
    assert image.getJPGsize(str(p)) == (3, 32, 48)


def test_pnm_ascii_maxval_and_16bit(tmp_path):
    p = tmp_path / "a.pgm"
    p.write_bytes(b"P2\n# comment\n3 2\n15\n0 3 15\n1 2 4\n")
    assert image.load(str(p), 1, "byte").numpy()[0].tolist() == [[0, 51, 255], [17, 34, 68]]
    p.write_bytes(b"P3 2 1 255 255 0 0 0 0 255")
    assert image.loadPPM(str(p), None, "byte").numpy()[:, 0].tolist() == [[255, 0], [0, 0], [0, 255]]
    p.write_bytes(b"P5\n2 1\n65535\n" + struct.pack(">2H", 65535, 257))
    assert image.loadPPM(str(p), None, "byte").numpy().tolist() == [[[255, 1]]]
    assert image.getPPMsize(str(p)) == (1, 1, 2)
    p.write_bytes(b"P5\n4 4\n255\n\x00")
    with pytest.raises(ValueError, match="truncated"):
        image.loadPPM(str(p))


def test_load_sniffs_content_depth_and_errors(tmp_path):
    rgb = u8((3, 4, 5), 2)
    p = tmp_path / "png_named.jpg"
    p.write_bytes(bytes(image.compressPNG(T(rgb)).numpy()))
    np.testing.assert_array_equal(image.load(str(p), None, "byte").numpy(), rgb)
    grey = image.load(str(p), 1)
    assert grey.size() == torch.Size([4, 5])  # Torch7's depth-1 of RGB is HxW
    np.testing.assert_allclose(grey.numpy(), image.rgb2y(T(rgb / 255.0)).numpy()[0], atol=1e-12)
    q = tmp_path / "g.pgm"
    image.save(str(q), T(rgb[:1]))
    assert image.load(str(q), 3, "byte").numpy().tolist() == [rgb[0].tolist()] * 3
    with pytest.raises(ValueError, match="unknown image type: gif"):
        image.save(str(tmp_path / "a.gif"), T(rgb))
    (tmp_path / "b.gif").write_bytes(b"GIF89a")
    with pytest.raises(ValueError, match="unknown image type: gif"):
        image.load(str(tmp_path / "b.gif"))
    with pytest.raises(ValueError, match="tensortype"):
        image.load(str(q), None, "int")
    with pytest.raises(ValueError, match="jpg or png"):
        image.decompress(torch.ByteTensor(10).fill(7))
    with pytest.raises(ValueError, match="cannot decode JPEG"):
        image.decompressJPG(torch.from_numpy(u8((100,))))
    with pytest.raises(TypeError, match="ByteTensor"):
        image.decompressPNG(torch.Tensor(10))
    with pytest.raises(ValueError, match="3xHxW"):
        image.savePPM(str(tmp_path / "c.ppm"), torch.Tensor(1, 2, 2))
    assert image.is_supported("JPEG") and not image.is_supported("Jpg")
    assert set(image.supported_filetypes["pgm"]) == {"loader", "saver", "sizer"}


def test_save_clamps_float_values(tmp_path):
    p = str(tmp_path / "c.png")
    image.save(p, torch.Tensor([[[-1.0, 0.5, 2.0]]]))
    assert image.load(p, None, "byte").numpy().tolist() == [[[0, 128, 255]]]


def test_without_pillow_png_says_extra_and_ppm_still_works(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"torch7\[image\]"):
        image.compressPNG(torch.zeros(3, 2, 2))
    p = str(tmp_path / "a.ppm")
    image.save(p, torch.ones(3, 2, 2))
    assert image.load(p).sum() == 12


def test_samples_and_gui_stubs():
    lena = image.lena()
    assert lena.size() == torch.Size([3, 600, 512]) and 0 <= lena.min() and lena.max() <= 1
    with pytest.raises(NotImplementedError, match="image.fabio"):
        image.fabio()
    with pytest.raises(NotImplementedError, match="image.window"):
        image.window()


# ---- geometry -------------------------------------------------------------------------------------------------
def test_crop_forms():
    a = RNG.uniform(size=(3, 6, 8))
    x = T(a)
    np.testing.assert_array_equal(image.crop(x, 2, 1, 7, 4).numpy(), a[:, 1:4, 2:7])
    for fmt, (yy, xx) in {"c": (1, 2), "tl": (0, 0), "tr": (0, 4), "bl": (3, 0), "br": (3, 4)}.items():
        np.testing.assert_array_equal(image.crop(x, fmt, 4, 3).numpy(), a[:, yy:yy + 3, xx:xx + 4])
    dst = torch.Tensor(3, 2, 2)
    assert image.crop(dst, x, 5, 3) is dst
    np.testing.assert_array_equal(dst.numpy(), a[:, 3:5, 5:7])
    scaled = image.crop(torch.Tensor(3, 4, 4), x, 0, 0, 8, 6)
    np.testing.assert_allclose(scaled.numpy(), image.scale(x, 4, 4).numpy())
    np.testing.assert_array_equal(image.crop(T(a[0]), "br", 2, 2).numpy(), a[0, 4:, 6:])
    with pytest.raises(ValueError, match="outside"):
        image.crop(x, 5, 5, 9, 6)


def test_translate_against_loop():
    a = np.arange(20.0).reshape(4, 5)
    for dx, dy in [(2, 1), (-1, -2), (0, 0), (7, 0)]:
        ref = np.zeros_like(a)
        for j in range(4):
            for i in range(5):
                if 0 <= i + dx < 5 and 0 <= j + dy < 4:
                    ref[j + dy, i + dx] = a[j, i]
        np.testing.assert_array_equal(image.translate(T(a), dx, dy).numpy(), ref)


def _outer(v):
    v = np.asarray(v, float)
    return np.outer(v, v)


@pytest.mark.parametrize("mode,want", [("bilinear", [1, 1.5, 2, 3, 4, 3, 2]), ("bilinear", [1.25, 3, 2.5]),
                                       ("bicubic", [1, 1.4375, 2, 3.1875, 4, 3.25, 2]), ("bicubic", [1, 3.1875, 2])])
def test_scale_torch7_closed_forms(mode, want):
    got = image.scale(T(_outer([1, 2, 4, 2])), len(want), len(want), mode)
    np.testing.assert_allclose(got.numpy(), _outer(want), atol=1e-5)  # Torch7's own test values


def test_scale_against_independent_references():
    a = RNG.uniform(size=(2, 6, 8))
    x = T(a)
    up = image.scale(x, 15, 11).numpy()  # enlarging: linear interpolation, ends on ends
    ref = np.array([[np.interp(np.linspace(0, 7, 15), np.arange(8), row) for row in plane] for plane in a])
    ref = np.array([[np.interp(np.linspace(0, 5, 11), np.arange(6), col) for col in plane.T] for plane in ref])
    np.testing.assert_allclose(up, ref.transpose(0, 2, 1), atol=1e-5)
    down = image.scale(x, 4, 3).numpy()  # shrinking by 2: 2x2 box average
    np.testing.assert_allclose(down, a.reshape(2, 3, 2, 4, 2).mean(axis=(2, 4)), atol=1e-12)
    simple = image.scale(x, 5, 4, "simple").numpy()
    ys, xs = [int(j * 6 / 4) for j in range(4)], [int(i * 8 / 5) for i in range(5)]
    np.testing.assert_array_equal(simple, a[:, ys][:, :, xs])
    ramp = np.add.outer(np.arange(5.0), 2 * np.arange(7.0))  # Catmull-Rom reproduces linear ramps
    cub = image.scale(T(ramp), 13, 9, "bicubic").numpy()
    np.testing.assert_allclose(cub, np.add.outer(np.linspace(0, 4, 9), 2 * np.linspace(0, 6, 13)), atol=1e-5)


def test_scale_size_strings_dst_and_byte():
    x = torch.Tensor(3, 20, 40)
    assert image.scale(x, 20).size() == torch.Size([3, 10, 20])
    assert image.scale(x, "30x12").size() == torch.Size([3, 12, 30])
    assert image.scale(x, "^10").size() == torch.Size([3, 10, 20])
    assert image.scale(x, "*3/4").size() == torch.Size([3, 15, 30])
    assert image.scale(x, "*0.5", "simple").size() == torch.Size([3, 10, 20])
    dst = torch.FloatTensor(3, 5, 5)
    assert image.scale(dst, x, "bicubic") is dst and dst.size() == torch.Size([3, 5, 5])
    b = u8((1, 8, 8), 3)
    got = image.scale(T(b), 5, 5).numpy().astype(int)
    ref = np.floor(image.scale(T(b.astype(float)), 5, 5).numpy() + 0.5)
    assert image.scale(T(b), 5, 5).type() == "torch.ByteTensor" and np.abs(got - ref).max() <= 1
    with pytest.raises(ValueError, match="valid size"):
        image.scale(x, "big")
    with pytest.raises(ValueError, match="mode"):
        image.scale(x, 4, 4, "nearest")


def _rotate_ref(a, theta, bilinear):
    h, w = a.shape
    xc, yc = (w - 1) / 2, (h - 1) / 2
    out = np.zeros_like(a)
    c, s = math.cos(theta), math.sin(theta)
    for j in range(h):
        for i in range(w):
            ri, rj = c * (i - xc) - s * (j - yc) + xc, c * (j - yc) + s * (i - xc) + yc
            if not bilinear:
                ii, jj = math.floor(ri + 0.5), math.floor(rj + 0.5)
                out[j, i] = a[jj, ii] if 0 <= ii < w and 0 <= jj < h else 0
                continue
            i0, j0 = math.floor(ri), math.floor(rj)
            wi, wj = ri - i0, rj - j0
            i1, j1 = i0 + 1, j0 + 1
            if i1 == w and wi < 0.5:
                i1 = i0
            if j1 == h and wj < 0.5:
                j1 = j0
            if i0 == -1 and wi > 0.5:
                i0 = i1
            if j0 == -1 and wj > 0.5:
                j0 = j1
            if min(i0, j0) < 0 or i1 >= w or j1 >= h:
                continue
            out[j, i] = ((1 - wi) * (1 - wj) * a[j0, i0] + wi * (1 - wj) * a[j0, i1]
                         + (1 - wi) * wj * a[j1, i0] + wi * wj * a[j1, i1])
    return out


def test_rotate():
    a = RNG.uniform(size=(5, 6))
    for mode in ("simple", "bilinear"):
        np.testing.assert_allclose(image.rotate(T(a), math.pi, mode).numpy(), a[::-1, ::-1], atol=1e-12)
        sq = a[:5, :5]
        np.testing.assert_allclose(image.rotate(T(sq), math.pi / 2, mode).numpy(), np.rot90(sq), atol=1e-12)
        for theta in (0.3, 2.0):
            np.testing.assert_allclose(image.rotate(T(a), theta, mode).numpy(),
                                       _rotate_ref(a, theta, mode == "bilinear"), atol=1e-12)
    dst = torch.Tensor()
    assert image.rotate(dst, T(np.stack([a, a])), 0.3) is dst and dst.size() == torch.Size([2, 5, 6])


def test_flips():
    a = RNG.uniform(size=(2, 3, 4, 5))
    for d in range(4):
        np.testing.assert_array_equal(image.flip(T(a), d).numpy(), np.flip(a, d))
    x = T(a[0].copy())
    np.testing.assert_array_equal(image.hflip(x).numpy(), a[0][..., ::-1])
    np.testing.assert_array_equal(image.vflip(x).numpy(), a[0][:, ::-1])
    assert image.hflip(x, x) is x  # in place
    np.testing.assert_array_equal(x.numpy(), a[0][..., ::-1])


# ---- polar and warps ------------------------------------------------------------------------------------------
def _polar_ref(a, full, log, bilinear):
    h, w = a.shape
    m = math.sqrt(w * w + h * h) / 2 if full else (w / 2 if w < h else h / 2)
    size = max(h, w)
    out = np.zeros((size, size))
    for j in range(size):
        ang = 2 * math.pi * j / size
        for i in range(size):
            r = math.exp(i * math.log(m) / size) if log else m * i / size
            ry, rx = r * math.cos(ang) + h / 2, -r * math.sin(ang) + w / 2
            y0, x0 = math.floor(ry), math.floor(rx)
            if bilinear and 0 <= x0 and 0 <= y0 and x0 + 1 < w and y0 + 1 < h:
                dx, dy = rx - x0, ry - y0
                out[j, i] = (a[y0, x0] * (1 - dx) * (1 - dy) + a[y0, x0 + 1] * dx * (1 - dy)
                             + a[y0 + 1, x0] * (1 - dx) * dy + a[y0 + 1, x0 + 1] * dx * dy)
            elif 0 <= x0 < w and 0 <= y0 < h:
                out[j, i] = a[y0, x0]
    return out


@pytest.mark.parametrize("interp", ["simple", "bilinear"])
@pytest.mark.parametrize("mode", ["valid", "full"])
def test_polar_and_logpolar(interp, mode):
    a = RNG.uniform(size=(6, 7))
    np.testing.assert_allclose(image.polar(T(a), interp, mode).numpy(),
                               _polar_ref(a, mode == "full", False, interp == "bilinear"), atol=1e-12)
    np.testing.assert_allclose(image.logpolar(T(a), interp, mode).numpy(),
                               _polar_ref(a, mode == "full", True, interp == "bilinear"), atol=1e-12)


def _keys(t):  # Catmull-Rom written as Keys' cubic, a = -0.5
    t = abs(t)
    return 1.5 * t**3 - 2.5 * t**2 + 1 if t <= 1 else (-0.5 * t**3 + 2.5 * t**2 - 4 * t + 2 if t < 2 else 0.0)


def test_warp_modes_against_formulas():
    a = RNG.uniform(size=(1, 9, 10))
    zero = torch.zeros(2, 9, 10)
    for mode in ("simple", "bilinear", "bicubic", "lanczos"):
        np.testing.assert_allclose(image.warp(T(a), zero, mode).numpy(), a, atol=1e-9)
    fy, fx = 4.3, 5.6
    field = np.zeros((2, 1, 1))
    field[:, 0, 0] = fy, fx
    f = T(field)
    y0, x0, dy, dx = 4, 5, 0.3, 0.6
    bil = (a[0, y0, x0] * (1 - dx) * (1 - dy) + a[0, y0, x0 + 1] * dx * (1 - dy)
           + a[0, y0 + 1, x0] * (1 - dx) * dy + a[0, y0 + 1, x0 + 1] * dx * dy)
    assert image.warp(T(a), f, "bilinear").numpy()[0, 0, 0] == pytest.approx(bil)
    assert image.warp(T(a), f, "simple").numpy()[0, 0, 0] == a[0, 4, 6]
    cub = sum(a[0, y, x] * _keys(fy - y) * _keys(fx - x) for y in range(2, 7) for x in range(3, 9))
    assert image.warp(T(a), f, "bicubic").numpy()[0, 0, 0] == pytest.approx(cub)
    lz = [(y, x, np.sinc(fy - y) * np.sinc((fy - y) / 3) * np.sinc(fx - x) * np.sinc((fx - x) / 3))
          for y in range(2, 8) for x in range(3, 9)]
    want = sum(a[0, y, x] * k for y, x, k in lz) / sum(k for _, _, k in lz)
    assert image.warp(T(a), f, "lanczos").numpy()[0, 0, 0] == pytest.approx(want)
    shift = np.zeros((2, 9, 10))
    shift[1] = 3
    clamp = image.warp(T(a), T(shift), "simple", True, "clamp").numpy()
    np.testing.assert_array_equal(clamp[0, :, :7], a[0, :, 3:])
    np.testing.assert_array_equal(clamp[0, :, 7:], np.repeat(a[0, :, 9:], 3, 1))
    pad = image.warp(T(a[0]), T(shift), mode="bilinear", clamp_mode="pad", pad_val=-1).numpy()
    assert pad.shape == (9, 10) and (pad[:, 7:] == -1).all()
    with pytest.raises(ValueError, match="pad_val"):
        image.warp(T(a), T(shift), "bilinear", True, "clamp", 5)


def test_affinetransform():
    a = RNG.uniform(size=(2, 5, 6))
    eye = torch.Tensor([[1, 0], [0, 1]])
    np.testing.assert_allclose(image.affinetransform(T(a), eye).numpy(), a, atol=1e-12)
    np.testing.assert_allclose(image.affinetransform(T(a), torch.Tensor([[-1, 0], [0, -1]])).numpy(),
                               a[:, ::-1, ::-1], atol=1e-12)
    moved = image.affinetransform(T(a), eye, "simple", torch.Tensor([0, 2]), "pad", 0).numpy()
    np.testing.assert_array_equal(moved[:, :, 2:], a[:, :, :4])  # the image moves by +translation
    assert (moved[:, :, :2] == 0).all()


# ---- tutorial ---------------------------------------------------------------------------------------------
def test_tutorial_contrastive_normalization_convnet():
    # /work/shared/reference/tutorials.md section 2, line for line.
    model = nn.Sequential()
    model.add(nn.SpatialConvolution(3, 16, 5, 5)); model.add(nn.Tanh())  # noqa: E702
    model.add(nn.SpatialMaxPooling(2, 2, 2, 2))
    model.add(nn.SpatialContrastiveNormalization(16, image.gaussian(3)))
    model.add(nn.SpatialConvolution(16, 64, 5, 5)); model.add(nn.Tanh())  # noqa: E702
    model.add(nn.SpatialMaxPooling(2, 2, 2, 2))
    model.add(nn.SpatialContrastiveNormalization(64, image.gaussian(3)))
    model.add(nn.SpatialConvolution(64, 256, 5, 5)); model.add(nn.Tanh())  # noqa: E702
    model.add(nn.Reshape(256))
    model.add(nn.Linear(256, 10)); model.add(nn.LogSoftMax())  # noqa: E702
    out = model.forward(torch.rand(3, 32, 32))
    assert out.size() == torch.Size([10]) and out.exp().sum() == pytest.approx(1)
    grad = model.backward(torch.rand(3, 32, 32), torch.ones(10))
    assert grad.size() == torch.Size([3, 32, 32])

