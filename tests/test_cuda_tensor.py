"""cutorch's tensor types: the same calls on a torch.CudaTensor and a torch.FloatTensor agree.

Every test runs twice: on ``EmuCupy`` (NumPy standing in for CuPy, so CI checks the plumbing: result
types stay on the device, indices come back as CudaLongTensor, conversions and views) and, marked
``gpu``, on CuPy and a real device, where it checks that CuPy computes what NumPy does.
"""

from __future__ import annotations

import numpy as np
import pytest
from cuda_fakes import EmuCupy
from strict_cupy import StrictCupy

import torch7 as torch
from torch7._core import backend
from torch7._core import types as T

GPU = pytest.param("gpu", marks=[pytest.mark.gpu, pytest.mark.skipif(not backend.is_available(),
                                                                        reason="needs CuPy and an NVIDIA GPU")])


@pytest.fixture(params=["emulated", "strict", GPU])
def dev(request):
    if request.param in ("emulated", "strict"):
        old = backend._set_for_tests(EmuCupy() if request.param == "emulated" else StrictCupy())
        yield request.param
        backend._restore(old)
    else:
        yield request.param


def cu(x):
    """The CUDA twin of a host tensor (numbers and strings pass through)."""
    if isinstance(x, torch.Tensor):
        return x.type(T.CUDA_NAME_OF_SHORT[x._typename[6:-6]])
    if isinstance(x, (list, tuple)):
        return type(x)(cu(v) for v in x)
    return x


def host(x):
    if isinstance(x, torch.Tensor):
        assert x._is_cuda, f"{x._typename} result from CUDA inputs"
        return x.type(x._host_typename)
    if isinstance(x, (list, tuple)):
        return type(x)(host(v) for v in x)
    return x


def same(a, b, tol=1e-5):
    if isinstance(a, torch.Tensor):
        assert a.type() == b.type() and a.size() == b.size(), (a.type(), b.type(), a.size(), b.size())
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=tol, atol=tol)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for u, v in zip(a, b, strict=True):
            same(u, v, tol)
    else:
        assert a == pytest.approx(b, rel=tol, abs=tol)


def _inputs():
    torch.manualSeed(7)
    x = torch.rand(4, 5).float()
    y = torch.rand(4, 5).float()
    v = torch.rand(5).float()
    idx = torch.LongTensor([2, 0, 3])
    img = torch.rand(2, 7, 7).float()
    k = torch.rand(3, 3).float()
    return dict(x=x, y=y, v=v, idx=idx, img=img, k=k, sq=torch.rand(4, 4).float())


# name -> f(inputs) evaluated once on host tensors, once on their CUDA twins
OPS = {
    "add": lambda d: d["x"] + d["y"], "sub_scalar": lambda d: d["x"] - 2, "mul": lambda d: d["x"] * 3,
    "div": lambda d: d["x"] / (d["y"] + 1), "neg": lambda d: -d["x"], "broadcast": lambda d: d["x"] + d["v"],
    "add_method": lambda d: d["x"].clone().add(2, d["y"]), "cmul": lambda d: d["x"].clone().cmul(d["y"]),
    "addcmul": lambda d: d["x"].clone().addcmul(0.5, d["y"], d["x"]),
    "addcdiv": lambda d: d["x"].clone().addcdiv(0.5, d["y"], d["x"] + 1),
    "res_add": lambda d: d["x"].new().add(d["x"], d["y"]), "torch.add": lambda d: torch.add(d["x"], 1.5),
    "mm": lambda d: torch.mm(d["x"], d["y"].t()), "mv": lambda d: torch.mv(d["x"], d["v"]),
    "addmm": lambda d: d["sq"].clone().addmm(0.5, d["x"], d["y"].t()),
    "addmv": lambda d: torch.addmv(d["x"][:, 0].clone(), d["x"], d["v"]),
    "addr": lambda d: d["x"].clone().addr(d["x"][:, 0].clone(), d["v"]),
    "bmm": lambda d: torch.bmm(d["img"], d["img"].transpose(1, 2)), "dot": lambda d: d["x"].dot(d["y"]),
    "sum": lambda d: d["x"].sum(), "sum_dim": lambda d: d["x"].sum(1), "mean": lambda d: d["x"].mean(0),
    "prod": lambda d: d["x"].prod(1), "cumsum": lambda d: d["x"].cumsum(1), "cumprod": lambda d: d["x"].cumprod(0),
    "max": lambda d: d["x"].max(), "max_dim": lambda d: d["x"].max(1), "min_dim": lambda d: d["x"].min(0),
    "std": lambda d: d["x"].std(1), "var": lambda d: d["x"].var(), "norm": lambda d: d["x"].norm(),
    "norm_dim": lambda d: d["x"].norm(1, 1), "renorm": lambda d: d["x"].clone().renorm(2, 0, 0.5),
    "dist": lambda d: d["x"].dist(d["y"]), "cmax": lambda d: torch.cmax(d["x"], d["y"]),
    "clamp": lambda d: d["x"].clone().clamp(0.2, 0.6), "sort": lambda d: d["x"].sort(1),
    "sort_desc": lambda d: d["x"].sort(0, True), "topk": lambda d: d["x"].topk(2, 1),
    "kthvalue": lambda d: d["x"].kthvalue(2, 1), "median": lambda d: d["x"].median(1),
    "gt": lambda d: d["x"].gt(d["y"]), "lt_scalar": lambda d: d["x"] < 0.5, "eq": lambda d: torch.eq(d["x"], d["x"]),
    "maskedSelect": lambda d: d["x"][d["x"].gt(0.5)],
    "maskedFill": lambda d: d["x"].clone().maskedFill(d["x"].gt(0.5), 9),
    "nonzero": lambda d: d["x"].gt(0.5).nonzero(), "all_any": lambda d: (d["x"].gt(0.5).any(), d["x"].gt(2).all()),
    "index": lambda d: d["x"].index(0, d["idx"]),
    "indexAdd": lambda d: d["x"].clone().indexAdd(0, d["idx"], d["x"][:3]),
    "indexCopy": lambda d: d["x"].clone().indexCopy(0, d["idx"], d["y"][:3]),
    "indexFill": lambda d: d["x"].clone().indexFill(1, d["idx"], -1),
    "gather": lambda d: d["x"].gather(1, d["x"].max(1)[1]),
    "scatter": lambda d: d["x"].clone().scatter(1, d["x"].min(1)[1], 5.0),
    "getitem": lambda d: (d["x"][1], d["x"][1, 2], d["x"][:, 1:3], d["x"][d["idx"]]),
    "setitem": lambda d: _setitem(d["x"].clone()),
    "narrow_select": lambda d: (d["x"].narrow(1, 1, 3), d["x"].select(0, 2), d["x"].sub(0, 1, 1, 3)),
    "transpose": lambda d: d["x"].t().contiguous(), "permute": lambda d: d["img"].permute(2, 0, 1).clone(),
    "view": lambda d: d["x"].view(5, 4), "view_infer": lambda d: d["img"].view(-1, 7),
    "expand": lambda d: d["v"].view(1, 5).expand(3, 5).clone(), "unfold": lambda d: d["v"].unfold(0, 2, 1),
    "squeeze": lambda d: d["x"].view(1, 4, 5).squeeze(), "unsqueeze": lambda d: d["x"].unsqueeze(1),
    "split": lambda d: d["x"].split(2, 1), "chunk": lambda d: d["x"].chunk(2, 0),
    "repeatTensor": lambda d: d["v"].repeatTensor(2, 2), "cat": lambda d: torch.cat(d["x"], d["y"], 0),
    "cat_list": lambda d: torch.cat([d["x"], d["y"], d["x"]], 1),
    "resize_fill": lambda d: d["x"].clone().resize(2, 3).fill(4), "zero": lambda d: d["x"].clone().zero(),
    "exp_log": lambda d: (d["x"].clone().exp(), torch.log(d["x"] + 1)), "sigmoid": lambda d: torch.sigmoid(d["x"]),
    "tanh": lambda d: d["x"].clone().tanh(), "pow": lambda d: torch.pow(d["x"], 2),
    "sqrt": lambda d: torch.sqrt(d["x"]),
    "abs_sign": lambda d: (torch.abs(d["x"] - 0.5), torch.sign(d["x"] - 0.5)),
    "floor_ceil": lambda d: (torch.floor(d["x"] * 4), torch.ceil(d["x"] * 4)),
    "fmod": lambda d: torch.fmod(d["x"] * 7, 2), "remainder": lambda d: torch.remainder(d["x"] * 7 - 3, 2),
    "lerp": lambda d: torch.lerp(d["x"], d["y"], 0.3), "cinv": lambda d: torch.cinv(d["x"] + 1),
    "linspace": lambda d: d["x"].new().linspace(0, 1, 5), "range": lambda d: d["x"].new().range(0, 4),
    "eye": lambda d: d["x"].new().eye(3), "diag": lambda d: torch.diag(d["sq"]), "trace": lambda d: d["sq"].trace(),
    "tril_triu": lambda d: (torch.tril(d["sq"]), torch.triu(d["sq"], 1)),
    "conv2": lambda d: torch.conv2(d["img"][0], d["k"]), "xcorr2_full": lambda d: torch.xcorr2(d["img"][0], d["k"],
    "F"),
    "long_ops": lambda d: (d["idx"] + 1, d["idx"].sum(), d["idx"].max(0)),
    "byte_ops": lambda d: (d["x"].gt(0.5).sum(), d["x"].gt(0.5).typeAs(d["idx"])),
    "type_convert": lambda d: (d["x"].typeAs(d["idx"]), d["idx"].typeAs(d["x"]), d["x"].gt(0.2).typeAs(d["x"])),
    "copy_from_host_type": lambda d: d["x"].new().resize(4, 5).copy(d["y"]),
    "storage_view": lambda d: d["x"].new(d["x"].storage(), 5, torch.Size([2, 3])),
    # the rest of the checklist's torch.* functions and methods
    "zeros_ones": lambda d: (d["x"].new().zeros(2, 3), d["x"].new().ones(3)),
    "reshape": lambda d: torch.reshape(d["x"], 2, 10), "numel_dim": lambda d: (torch.numel(d["x"]), d["x"].dim()),
    "csub_cdiv_cpow": lambda d: (d["x"].clone().csub(d["y"]), torch.cdiv(d["x"], d["y"] + 1),
                                 torch.cpow(d["x"], d["y"])),
    "cmod_cfmod": lambda d: (torch.cfmod(d["x"] * 7, d["y"] + 1), torch.cremainder(d["x"] * 7 - 3, d["y"] + 1),
                             torch.cmod(d["x"] * 7, d["y"] + 1), torch.mod(d["x"] * 7, 2)),
    "bit_ops": lambda d: (torch.bitand(d["idx"], 1), torch.bitor(d["idx"], 4), torch.bitxor(d["idx"], 3),
                          torch.lshift(d["idx"], 2), torch.rshift(d["idx"], 1), torch.cbitand(d["idx"], d["idx"] + 1),
                          torch.cbitor(d["idx"], d["idx"]), torch.cbitxor(d["idx"], d["idx"] * 3),
                          torch.clshift(d["idx"], d["idx"]), torch.crshift(d["idx"] * 8, d["idx"])),
    "ger": lambda d: torch.ger(d["v"], d["v"]), "cmin": lambda d: torch.cmin(d["x"], d["y"]),
    "addbmm_baddbmm": lambda d: (torch.addbmm(d["k"], d["img"][:, :3, :4], d["img"][:, :4, :3]),
                                 torch.baddbmm(d["img"][:, :3, :3], d["img"][:, :3, :4], d["img"][:, :4, :3])),
    "cross": lambda d: torch.cross(d["x"][:3], d["y"][:3], 0), "mode": lambda d: (d["x"] * 3).floor().mode(1),
    "comparisons": lambda d: (torch.lt(d["x"], d["y"]), torch.le(d["x"], 0.5), torch.ge(d["x"], d["y"]),
                              torch.ne(d["x"], d["x"])),
    "histc": lambda d: torch.histc(d["x"], 5, 0, 1), "bhistc": lambda d: torch.bhistc(d["x"], 5, 0, 1),
    "logspace": lambda d: d["x"].new().logspace(0, 2, 5),
    "unary_math": lambda d: tuple(getattr(torch, f)(d["x"] - 0.3) for f in (
        "log1p", "cos", "acos", "cosh", "sin", "asin", "sinh", "tan", "atan", "round", "trunc", "frac")),
    "rsqrt_atan2": lambda d: (torch.rsqrt(d["x"] + 1), torch.atan2(d["x"] - 0.5, d["y"])),
    "conv3_xcorr3": lambda d: (torch.conv3(d["img"].view(2, 7, 7), d["img"][:, :3, :3]),
                               torch.xcorr3(d["img"], d["img"][:, :2, :2], "F")),
    "gesv_inverse": lambda d: (torch.gesv(d["x"][:, :2], d["sq"] + d["sq"].new().eye(4) * 4),
                               torch.inverse(d["sq"] + d["sq"].new().eye(4) * 4)),
    "gels_trtrs": lambda d: (torch.gels(d["x"][:, :2], d["x"][:, 2:]),
                             torch.trtrs(d["x"][:, :2], torch.triu(d["sq"]) + d["sq"].new().eye(4))),
    "symeig_eig_svd": lambda d: (torch.symeig(d["sq"] + d["sq"].t())[0], torch.eig(torch.triu(d["sq"]))[0],
                                 torch.svd(d["x"])[1]),
    "cholesky": lambda d: _cholesky(torch.mm(d["sq"], d["sq"].t()) + d["sq"].new().eye(4)),
    "qr": lambda d: _qr(d["x"]),
    "expandAs_viewAs": lambda d: (d["v"].view(1, 5).expandAs(d["x"]).clone(), d["x"].viewAs(d["img"][0][:4, :5])),
    "resizeAs_isContiguous": lambda d: (d["y"].clone().resizeAs(d["v"]), d["x"].t().isContiguous(),
                                        d["x"].isSameSizeAs(d["y"]), d["x"].stride(), d["x"].nElement(),
                                        d["x"].isSetTo(d["x"].view(20))),
    "apply_map_map2": lambda d: (d["v"].clone().apply(lambda e: e * 2), d["v"].clone().map(d["v"], lambda a, b: a + b),
                                 d["v"].clone().map2(d["v"], d["v"], lambda a, b, c: a * b + c)),
    "maskedCopy": lambda d: d["x"].clone().maskedCopy(d["x"].gt(0.5), d["y"]),
    "totable": lambda d: (d["v"].totable(), d["idx"].totable()),
}


def _cholesky(a):
    u = torch.potrf(a)
    return u, torch.potrs(a.new().eye(4), u), torch.potri(u), torch.pstrf(a)[0]


def _qr(x):
    q, r = torch.qr(x)
    a, tau = torch.geqrf(x)
    return q.abs(), r.abs(), torch.orgqr(a, tau).abs(), torch.ormqr(a, tau, x.new().eye(4)).abs()


def _setitem(x):
    x[0] = 3
    x[1, 2] = -1
    x[x.gt(0.9)] = 0
    return x


@pytest.mark.parametrize("name", OPS)
def test_op_matches_the_host(dev, name):
    d = _inputs()
    want = OPS[name](d)
    got = OPS[name]({k: cu(v) for k, v in d.items()})
    same(host(got), want)


def test_constructors_conversions_and_storages(dev):
    x = torch.CudaTensor(2, 3)
    assert x.type() == "torch.CudaTensor" and x.sum() == 0 and x.size() == torch.Size([2, 3])
    assert torch.CudaTensor().nDimension() == 0 and torch.CudaLongTensor([[1, 2], [3, 4]]).sum() == 10
    h = torch.rand(3, 4)
    c = h.cuda()
    assert c.type() == "torch.CudaTensor" and c.cuda() is c and c.float().type() == "torch.FloatTensor"
    np.testing.assert_allclose(c.double().numpy(), h.numpy(), rtol=1e-6)
    assert h.cudaDouble().double().equal(h) and h.cudaLong().type() == "torch.CudaLongTensor"
    assert c.type("torch.CudaDoubleTensor").type() == "torch.CudaDoubleTensor"
    s = c.storage()
    assert s.type() == "torch.CudaStorage" and s.size() == 12 and abs(s[5] - h.storage()[5]) < 1e-6
    v = torch.CudaTensor(s, 4, torch.Size([2, 2]), torch.Size([4, 1]))  # a view: writes show in c
    v.fill(7)
    assert c[1][0] == 7 and c[1][1] == 7 and c[2][0] == 7 and v.storageOffset() == 4
    assert torch.CudaStorage(5).size() == 5 and torch.CudaStorage([1, 2]).tolist() == [1.0, 2.0]
    assert torch.CudaByteStorage(3).type("torch.ByteStorage").type() == "torch.ByteStorage"
    back = torch.DoubleStorage(3).copy(torch.CudaStorage([1, 2, 3]))
    assert back.tolist() == [1, 2, 3]
    w = torch.CudaTensor(2, 3)
    w.copy(h[:2, :3])  # host -> device copy of a non-contiguous view
    np.testing.assert_allclose(w.double().numpy(), h.numpy()[:2, :3], rtol=1e-6)
    h2 = torch.DoubleTensor(2, 3).copy(w)  # device -> host
    np.testing.assert_allclose(h2.numpy(), h.numpy()[:2, :3], rtol=1e-6)


def test_device_memory_is_not_a_numpy_array(dev):
    c = torch.rand(2).cuda()
    for f in (c.numpy, lambda: np.asarray(c), c.storage().numpy):
        with pytest.raises(TypeError, match=r"torch.Cuda(Tensor|Storage): its memory is on the GPU .*x\.float\(\)"):
            f()
    with pytest.raises(TypeError, match="cannot view the host tensor torch.FloatTensor"):
        torch.CudaTensor(torch.FloatTensor(2))


def test_printing_names_the_cuda_type(dev):
    c = torch.CudaTensor([[1, 2], [3, 4]])
    assert str(c) == " 1  2\n 3  4\n[torch.CudaTensor of size 2x2]"
    assert str(torch.CudaLongStorage([5])) == " 5\n[torch.CudaLongStorage of size 1]"
    assert str(torch.CudaTensor()) == "[torch.CudaTensor with no dimension]"


def test_random_on_the_device(dev):
    torch.manualSeed(1)
    for name, args in (("uniform", (2, 3)), ("normal", (1, 0.5)), ("bernoulli", (0.3,)), ("exponential", (2,))):
        x = torch.CudaTensor(1000)
        getattr(x, name)(*args)
        hv = x.double().numpy()
        assert x.type() == "torch.CudaTensor" and np.isfinite(hv).all() and hv.std() > 0, name
    assert 2 <= torch.CudaTensor(100).uniform(2, 3).min() and torch.CudaTensor(100).uniform(2, 3).max() < 3
    b = torch.CudaTensor(10000).bernoulli(0.3).double().numpy()
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.03
    r = torch.rand(torch.CudaTensor(), 3, 4)
    assert r.type() == "torch.CudaTensor" and r.size() == torch.Size([3, 4])
    assert torch.randn(5, "torch.CudaDoubleTensor").type() == "torch.CudaDoubleTensor"


def test_more_distributions_and_rng_state(dev):
    torch.manualSeed(2)
    for name, args in (("random", (1, 6)), ("geometric", (0.4,)), ("cauchy", (0, 1)), ("logNormal", (1, 0.5))):
        x = getattr(torch.CudaTensor(2000), name)(*args)
        hv = x.double().numpy()
        assert x.type() == "torch.CudaTensor" and np.isfinite(hv).all() and hv.std() > 0, name
    v = torch.CudaTensor(2000).random(1, 6).double().numpy()
    assert set(np.unique(v)) == {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    assert (torch.CudaTensor(500).geometric(0.4).double().numpy() >= 1).all()
    assert (torch.CudaTensor(500).logNormal(1, 0.5).double().numpy() > 0).all()
    p = torch.randperm(10, "torch.CudaLongTensor")
    assert p.type() == "torch.CudaLongTensor" and sorted(p.long().numpy().tolist()) == list(range(10))
    probs = torch.Tensor([0.1, 0.0, 0.9]).cuda()
    m = torch.multinomial(probs, 200, True)
    assert m.type() == "torch.CudaLongTensor" and set(m.long().numpy().tolist()) <= {0, 2}
    assert torch.initialSeed() == 2


def test_host_type_methods_copy_to_the_host(dev):
    """As in cutorch, ``x:float()``, ``x:byte()``, ``x:long()``... of a CUDA tensor are host tensors."""
    x = (torch.rand(3, 4) * 10).float()
    c = x.cuda()
    for f in ("byte", "char", "short", "int", "long", "half", "float", "double"):
        got = getattr(c, f)()
        want = getattr(x, f)()
        assert got.type() == want.type() and not got._is_cuda, f
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert c.cudaLong().type() == "torch.CudaLongTensor" and c.cudaByte().long().equal(x.byte().long())


def test_deepcopy_and_pickle_keep_the_device(dev):
    import copy
    import pickle

    c = torch.rand(3, 4).cuda()
    v = c[1]
    c2, v2 = copy.deepcopy((c, v))
    assert c2.type() == "torch.CudaTensor" and v2.storage() is c2.storage() and v2.storageOffset() == 4
    p = pickle.loads(pickle.dumps(c))
    assert p.type() == "torch.CudaTensor" and p.float().equal(c.float())


def test_load_with_map_location_cuda_keeps_types_and_sharing(dev, tmp_path):
    from torch7 import nn

    net = nn.Sequential().add(nn.Linear(3, 4)).add(nn.ReLU())
    net.modules[0].bias = net.modules[0].weight.select(1, 0)  # two fields over one storage
    p = str(tmp_path / "net.t7")
    torch.save(p, {"net": net, "idx": torch.LongTensor([1, 2])})
    got = torch.load(p, map_location="cuda")
    lin = got["net"].modules[0]
    assert lin.weight.type() == "torch.CudaDoubleTensor" and got["idx"].type() == "torch.CudaLongTensor"
    assert lin.bias.storage() is lin.weight.storage() and got["net"].type() == "torch.CudaDoubleTensor"
    x = torch.rand(2, 3)
    same(host(got["net"].forward(x.cudaDouble())), net.forward(x), 1e-12)
    cpu = torch.load(p, map_location="cpu")["net"]
    assert cpu.modules[0].weight.type() == "torch.DoubleTensor"


@pytest.mark.parametrize("fmt", ["binary", "ascii"])
def test_save_cuda_tensors_and_modules(dev, tmp_path, fmt):
    """A CUDA network is written under cutorch's type names (from one host copy per storage) and reads back
    onto the device, or onto the host as the matching CPU types."""
    from torch7 import nn

    net = nn.Sequential().add(nn.Linear(3, 2)).add(nn.Tanh()).cuda()
    x = torch.rand(4, 3).cuda()
    view = x.t()  # a non-contiguous view of the same storage
    p = str(tmp_path / "net.t7")
    torch.save(p, {"net": net, "x": x, "view": view}, fmt)
    got = torch.load(p, fmt, map_location="cuda")
    assert got["x"].type() == "torch.CudaTensor" and got["view"].storage() is got["x"].storage()
    same(host(got["net"].forward(got["x"])), host(net.forward(x)), 1e-6)
    with pytest.warns(UserWarning, match="map_location='cuda'"):
        cpu = torch.load(p, fmt)
    assert cpu["net"].modules[0].weight.type() == "torch.FloatTensor"
    same(cpu["view"], host(view), 1e-6)
