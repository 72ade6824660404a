"""torch7.cudnn's layers that run nn's kernels (pooling, softmax, batch normalization, LRN, temporal convolution,
the cross-entropy criteria): cudnn.torch's constructors and rules against the nn modules, the shared checks (host
and emulated device), and ``cudnn.convert`` both ways.

The ``cudnn`` fixture (tests/cudnn_env.py) imports the package on the stand-in frontend and StrictCupy in CI.
"""

from __future__ import annotations

import copy
import importlib
import warnings

import numpy as np
import pytest
from nn_checks import check_module, criterion_gpu_round_trip, gpu_round_trip, jacobian_input, type_round_trip

import torch7 as torch
from torch7 import nn
from torch7.serialization.classes import object_payload
from torch7.serialization.objects import TorchObject


def _cls(name):
    return getattr(importlib.import_module(f"torch7.cudnn.{name}"), name)


def _host(t):
    return t.type(t._host_typename).numpy()


def _copy_params(src, dst) -> None:
    for a, b in zip(src.parameters()[0], dst.parameters()[0], strict=True):
        b.copy(a)


def _run(m, x, go) -> list:
    """[output, gradInput, *parameter gradients] of one forward/backward, as NumPy copies."""
    m.zeroGradParameters()
    y = m.forward(x).numpy().copy()
    gi = m.backward(x, go).numpy().copy()
    return [y, gi] + [g.numpy().copy() for g in m.parameters()[1]]


# (cudnn class, its args, the nn module cudnn.torch's class equals, input shape)
TWINS = [
    ("SpatialMaxPooling", (3, 2, 2, 1, 1, 1), lambda: nn.SpatialMaxPooling(3, 2, 2, 1, 1, 1), (2, 3, 7, 6)),
    ("SpatialMaxPooling", (2, 2), lambda: nn.SpatialMaxPooling(2, 2, 2, 2), (3, 6, 5)),
    ("SpatialAveragePooling", (2, 3), lambda: nn.SpatialAveragePooling(2, 3, 2, 3), (2, 2, 7, 6)),  # stride = window
    ("SpatialAveragePooling", (3, 3, 2, 2, 1, 1), lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1), (1, 2, 6, 7)),
    ("VolumetricMaxPooling", (2, 2, 2), lambda: nn.VolumetricMaxPooling(2, 2, 2), (2, 2, 4, 5, 5)),
    ("VolumetricMaxPooling", (3, 3, 2, 2, 2, 1, 1, 1, 0), lambda: nn.VolumetricMaxPooling(3, 3, 2, 2, 2, 1, 1, 1, 0),
     (2, 5, 6, 5)),
    ("VolumetricAveragePooling", (3, 2, 3, 2, 1, 2, 1, 1, 1),
     lambda: nn.VolumetricAveragePooling(3, 2, 3, 2, 1, 2, 1, 1, 1), (1, 2, 5, 4, 6)),
    ("SoftMax", (), lambda: nn.SoftMax(), (4, 7)),
    ("LogSoftMax", (True,), lambda: nn.LogSoftMax(), (7,)),
    ("SpatialSoftMax", (), lambda: nn.SpatialSoftMax(), (2, 3, 4, 5)),
    ("SpatialLogSoftMax", (True,), lambda: nn.SpatialLogSoftMax(), (3, 4, 5)),
    ("BatchNormalization", (4,), lambda: nn.BatchNormalization(4), (6, 4)),
    ("SpatialBatchNormalization", (3, 1e-3, 0.3), lambda: nn.SpatialBatchNormalization(3, 1e-3, 0.3), (2, 3, 4, 5)),
    ("VolumetricBatchNormalization", (2, 1e-5, 0.1, False),
     lambda: nn.VolumetricBatchNormalization(2, 1e-5, 0.1, False), (2, 2, 3, 4, 4)),
    ("SpatialCrossMapLRN", (), lambda: nn.SpatialCrossMapLRN(5, 1e-4, 0.75, 1), (2, 7, 3, 3)),
    ("SpatialCrossMapLRN", (3, 0.5, 0.6, 2), lambda: nn.SpatialCrossMapLRN(3, 0.5, 0.6, 2), (4, 3, 5)),
    ("TemporalConvolution", (4, 5, 3, 2), lambda: nn.TemporalConvolution(4, 5, 3, 2), (2, 9, 4)),
]


@pytest.mark.parametrize("name,args,twin,shape", TWINS)
def test_layer_equals_its_nn_twin(cudnn, name, args, twin, shape):
    torch.manualSeed(5)
    m, ref = _cls(name)(*args), twin()
    assert isinstance(m, type(ref)) and m._typename == f"cudnn.{name}" and repr(m).startswith(f"cudnn.{name}")
    _copy_params(m, ref)
    x = torch.randn(*shape)
    go = torch.randn(*copy.deepcopy(ref).forward(x).size())
    for a, b in zip(_run(m, x, go), _run(ref, x, go), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    if hasattr(ref, "running_mean"):  # the running estimates moved alike, and evaluate mode (backward too) agrees
        np.testing.assert_allclose(m.running_var.numpy(), ref.running_var.numpy(), rtol=1e-12)
        m.evaluate()
        ref.evaluate()
        for a, b in zip(_run(m, x, go)[:2], _run(ref, x, go)[:2], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_constructor_fields_follow_cudnn_torch(cudnn):
    avg = _cls("SpatialAveragePooling")(3, 2)
    assert (avg.dW, avg.dH, avg.count_include_pad, avg.divide) == (3, 2, True, True)  # nn's stride would be 1
    assert (nn.SpatialAveragePooling(3, 2).dW, _cls("SpatialAveragePooling")(3, 2, 1, 1).dW) == (1, 1)
    vol = _cls("VolumetricAveragePooling")(2, 3, 4)
    assert (vol.dT, vol.dW, vol.dH, vol.count_include_pad) == (2, 3, 4, True)
    lrn = _cls("SpatialCrossMapLRN")()
    assert (lrn.size, lrn.alpha, lrn.beta, lrn.k) == (5, 1e-4, 0.75, 1.0)
    bn = _cls("SpatialBatchNormalization")(6, 1e-3, 0.5)
    assert (bn.eps, bn.momentum, bn.affine, bn.weight.size(0), bn.running_var.sum()) == (1e-3, 0.5, True, 6, 6)
    assert not hasattr(_cls("BatchNormalization")(3, None, None, False), "weight")
    for name in ("SoftMax", "LogSoftMax", "SpatialSoftMax", "SpatialLogSoftMax", "VolumetricSoftMax",
                 "VolumetricLogSoftMax"):
        assert _cls(name)().fastMode is False and _cls(name)(True).fastMode is True
    t = _cls("TemporalConvolution")(6, 4, 3)
    assert (t.kW, t.dW, t.padH, tuple(t.weight.size())) == (3, 1, 0, (4, 18))
    for bad, match in (((17,), "size has to be between 1 and 16"), ((5, 1e-4, 0.001), "beta has to be at least"),
                       ((5, 1e-4, 0.75, 0), "k has to be at least")):
        with pytest.raises(ValueError, match=match):
            _cls("SpatialCrossMapLRN")(*bad)
    with pytest.raises(ValueError, match="padH must be at least 0"):
        _cls("TemporalConvolution")(2, 2, 2, 1, -1)


# ---- the shared checks (Jacobians, type and .t7 round trips, the emulated device) -------------------------------
CHECKED = [
    ("SpatialMaxPooling", (2, 2, 1, 1), (2, 2, 4, 3)),
    ("SpatialAveragePooling", (3, 2, 2, 1, 1, 1), (1, 2, 5, 4)),
    ("VolumetricMaxPooling", (2, 2, 2, 1, 1, 1), (1, 2, 3, 3, 3)),
    ("VolumetricAveragePooling", (2, 2, 2, 1, 2, 1, 1, 1, 1), (2, 3, 3, 3)),
    ("SoftMax", (), (3, 5)),
    ("LogSoftMax", (), (6,)),
    ("SpatialSoftMax", (), (2, 3, 2, 2)),
    ("SpatialLogSoftMax", (), (3, 2, 3)),
    ("BatchNormalization", (3,), (4, 3)),
    ("SpatialBatchNormalization", (2,), (3, 2, 2, 2)),
    ("VolumetricBatchNormalization", (2,), (2, 2, 2, 2, 2)),
    ("SpatialCrossMapLRN", (3, 0.5, 0.75, 1.5), (2, 4, 2, 2)),
    ("TemporalConvolution", (3, 2, 2, 1), (2, 4, 3)),
    ("SoftMax", (), (2, 3, 2, 2)),  # a file keeps cudnn.SoftMax (per-sample rule) while torch7.cudnn is imported
    ("LogSoftMax", (), (3, 2, 2)),
]


@pytest.mark.parametrize("name,args,shape", CHECKED)
def test_shared_module_checks(cudnn, name, args, shape):
    check_module(lambda: _cls(name)(*args), lambda: torch.randn(*shape))


# A .t7 file holds these as cudnn.torch's classes, which have no nn twin and load as TorchObject records (a padded
# TemporalConvolution too): so every check but the file round trip.
UNSERIALIZABLE = [
    ("VolumetricSoftMax", (), (2, 3, 2, 1, 2)),
    ("VolumetricLogSoftMax", (True,), (3, 2, 2, 2)),
    ("TemporalConvolution", (3, 2, 3, 2, 1), (2, 4, 3)),
]


@pytest.mark.parametrize("name,args,shape", UNSERIALIZABLE)
def test_checks_but_the_file_round_trip(cudnn, name, args, shape):
    torch.manualSeed(1)
    m = _cls(name)(*args)
    jacobian_input(m, torch.randn(*shape))
    type_round_trip(_cls(name)(*args), torch.randn(*shape))
    gpu_round_trip(_cls(name)(*args), torch.randn(*shape))


# ---- the rules that differ from nn -------------------------------------------------------------------------------
@pytest.mark.parametrize("name,kernel", [("SoftMax", nn.SoftMax), ("LogSoftMax", nn.LogSoftMax)])
@pytest.mark.parametrize("shape", [(2, 3, 4, 2), (3, 2, 5)])
def test_softmax_normalises_each_sample_on_3d_and_4d(cudnn, name, kernel, shape):
    # cudnn.torch: cuDNN's INSTANCE mode, over C x H x W per sample; nn: over C at each pixel
    torch.manualSeed(3)
    x, go = torch.randn(*shape), torch.randn(*shape)
    rows = (shape[0] if len(shape) == 4 else 1, -1)
    m, flat = _cls(name)(), kernel()
    y = m.forward(x)
    gi = m.backward(x, go)
    yf = flat.forward(x.contiguous().view(*rows))
    gf = flat.backward(x.contiguous().view(*rows), go.contiguous().view(*rows))
    np.testing.assert_allclose(y.numpy().reshape(rows), yf.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gi.numpy().reshape(rows), gf.numpy(), rtol=1e-12, atol=1e-12)
    assert y.size() == x.size() and gi.size() == x.size()
    assert not np.allclose(y.numpy(), kernel().forward(x).numpy())  # nn's per-pixel rule differs
    m.output = torch.zeros(*reversed(shape)).permute(*reversed(range(len(shape))))  # a strided output is filled too
    assert not m.output.isContiguous() and m.forward(x) is m.output
    np.testing.assert_allclose(m.output.numpy().reshape(rows), yf.numpy(), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=f"cudnn.{name}: 1D, 2D, 3D or 4D tensor expected, got size 1x2x3x4x5"):
        m.forward(torch.randn(1, 2, 3, 4, 5))


@pytest.mark.parametrize("name,kernel", [("VolumetricSoftMax", nn.SpatialSoftMax),
                                         ("VolumetricLogSoftMax", nn.SpatialLogSoftMax)])
@pytest.mark.parametrize("shape", [(2, 3, 4, 2, 3), (3, 2, 4, 5)])
def test_volumetric_softmax_is_spatial_on_folded_volumes(cudnn, name, kernel, shape):
    torch.manualSeed(4)
    x, go = torch.randn(*shape), torch.randn(*shape)
    fold = (*shape[:-3], shape[-3] * shape[-2], shape[-1])  # cudnn.torch's fold of T and H
    m, ref = _cls(name)(), kernel()
    np.testing.assert_allclose(m.forward(x).numpy().reshape(fold), ref.forward(x.view(*fold)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(m.backward(x, go).numpy().reshape(fold),
                               ref.backward(x.view(*fold), go.view(*fold)).numpy(), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=f"cudnn.{name}: 4D .* or 5D .* expected, got size 3x4x5"):
        m.forward(torch.randn(3, 4, 5))


@pytest.mark.parametrize("pad,shape", [(1, (2, 7, 3)), (2, (5, 3))])
def test_temporal_convolution_pads_the_sequence(cudnn, pad, shape):
    torch.manualSeed(6)
    m = _cls("TemporalConvolution")(3, 4, 3, 2, pad)
    ref = nn.TemporalConvolution(3, 4, 3, 2)
    _copy_params(m, ref)
    x = torch.randn(*shape)
    t = x.dim() - 2
    xp = torch.zeros(*[s + 2 * pad * (d == t) for d, s in enumerate(shape)])
    xp.narrow(t, pad, shape[t]).copy(x)
    go = torch.randn(*ref.forward(xp).size())
    y, gi, *grads = _run(m, x, go)
    yr, gir, *gradsr = _run(ref, xp, go)
    np.testing.assert_allclose(y, yr, rtol=1e-12)
    assert gi.shape == tuple(shape)
    np.testing.assert_allclose(gi, np.take(gir, range(pad, pad + shape[t]), axis=t), rtol=1e-12, atol=1e-12)
    for a, b in zip(grads, gradsr, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_temporal_convolution_files_use_cudnn_torch_layout(cudnn):
    m = _cls("TemporalConvolution")(5, 4, 3, 2)
    name, _, f = object_payload(m)
    assert name == "cudnn.TemporalConvolution"
    assert (f["nInputPlane"], f["nOutputPlane"], f["kW"], f["kH"], f["dW"], f["dH"], f["padH"]) == (1, 4, 5, 3, 1, 2, 0)
    back = torch.deserialize(torch.serialize(m))
    assert type(back) is nn.TemporalConvolution and (back.kW, back.dW, back.inputFrameSize) == (3, 2, 5)
    np.testing.assert_array_equal(back.weight.numpy(), m.weight.numpy())
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        kept = torch.deserialize(torch.serialize(_cls("TemporalConvolution")(5, 4, 3, 2, 1)))
    assert isinstance(kept, TorchObject) and any("padH=1" in str(v.message) for v in w)


def test_batch_normalization_checks_sizes(cudnn):
    bn = _cls("SpatialBatchNormalization")(3)
    with pytest.raises(ValueError, match=r"cudnn.SpatialBatchNormalization \(4D\) \(3\): only mini-batch"):
        bn.forward(torch.randn(3, 4, 4))
    with pytest.raises(ValueError, match="has 2 features, expected 3"):
        bn.forward(torch.randn(2, 2, 4, 4))


def test_names_not_provided_say_why(cudnn):
    with pytest.raises(NotImplementedError, match="cudnn.SpatialDivisiveNormalization: .*never ran"):
        cudnn.SpatialDivisiveNormalization()
    with pytest.raises(NotImplementedError, match="cudnn.LSTM: .*use nn.LSTM"):
        cudnn.LSTM(10, 20, 2)
    with pytest.raises(AttributeError):
        cudnn.NoSuchLayer  # noqa: B018


# ---- the criteria ----------------------------------------------------------------------------------------------
def _fd_check(crit, x, target, tol=1e-6) -> None:
    """Central differences of the loss against ``backward`` (float64)."""
    crit.forward(x, target)
    ana = crit.backward(x, target).numpy().copy()
    flat = x.numpy().reshape(-1)
    num = np.zeros(flat.size)
    for i in range(flat.size):
        orig = flat[i]
        flat[i] = orig + 1e-6
        hi = crit.forward(x, target)
        flat[i] = orig - 1e-6
        lo = crit.forward(x, target)
        flat[i] = orig
        num[i] = (hi - lo) / 2e-6
    assert float(np.abs(num - ana.reshape(-1)).max()) < tol


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("size_average", [True, False])
def test_spatial_cross_entropy_is_logsoftmax_and_nll(cudnn, weighted, size_average):
    torch.manualSeed(7)
    w = torch.rand(4).add(0.5) if weighted else None
    crit = _cls("SpatialCrossEntropyCriterion")(w)
    crit.sizeAverage = size_average
    x = torch.randn(2, 4, 3, 2)
    t = torch.LongTensor(2, 3, 2).random(0, 3)
    lsm, nll = nn.SpatialLogSoftMax(), nn.SpatialClassNLLCriterion(w, size_average)
    loss = nll.forward(lsm.forward(x), t)
    grad = lsm.backward(x, nll.backward(lsm.output, t))
    assert crit.forward(x, t) == pytest.approx(loss, rel=1e-12) and isinstance(crit.output, float)
    np.testing.assert_allclose(crit.backward(x, t).numpy(), grad.numpy(), rtol=1e-12, atol=1e-12)
    assert crit.slsm._typename == "cudnn.SpatialLogSoftMax" and crit.nll.sizeAverage is size_average
    _fd_check(crit, x, t)
    criterion_gpu_round_trip(copy.deepcopy(crit), x, t)


def test_volumetric_cross_entropy_folds_into_the_spatial_one(cudnn):
    torch.manualSeed(8)
    w = torch.rand(3).add(0.5)
    crit, spatial = _cls("VolumetricCrossEntropyCriterion")(w), _cls("SpatialCrossEntropyCriterion")(w)
    x = torch.randn(2, 3, 2, 3, 2)
    t = torch.LongTensor(2, 2, 3, 2).random(0, 2)
    loss = spatial.forward(x.view(2, 3, 6, 2), t.view(2, 6, 2))
    assert crit.forward(x, t) == pytest.approx(loss, rel=1e-12)
    g = crit.backward(x, t)
    assert g.size() == x.size()
    np.testing.assert_allclose(g.numpy().reshape(2, 3, 6, 2), spatial.backward(x.view(2, 3, 6, 2), t.view(2, 6, 2))
                               .numpy(), rtol=1e-12, atol=1e-12)
    assert not hasattr(crit, "sizeAverage")  # as in cudnn.torch: the folded criterion's field decides
    crit.scec.sizeAverage = False
    assert crit.forward(x, t) == pytest.approx(loss * float(w.index(0, t.view(-1)).sum()), rel=1e-12)
    _fd_check(crit, x, t)
    criterion_gpu_round_trip(crit, x, t)


@pytest.mark.parametrize("name,x,t,match", [
    ("SpatialCrossEntropyCriterion", (3, 2, 2), (2, 2), "mini-batch supported only: 4-D input and 3-D target"),
    ("SpatialCrossEntropyCriterion", (2, 3, 2, 2), (2, 2, 3), r"target of size 2x2x3 do not match \(expected .*2x2x2"),
    ("VolumetricCrossEntropyCriterion", (2, 3, 2, 2), (2, 2, 2), "5-D input and 4-D target"),
    ("VolumetricCrossEntropyCriterion", (1, 3, 2, 2, 2), (2, 2, 2, 2), "do not match"),
])
def test_criteria_check_sizes(cudnn, name, x, t, match):
    with pytest.raises(ValueError, match=match):
        _cls(name)().forward(torch.randn(*x), torch.LongTensor(*t).zero())


def test_criterion_labels_out_of_range_get_nn_error(cudnn):
    with pytest.raises(ValueError, match="target out of range"):
        _cls("SpatialCrossEntropyCriterion")().forward(torch.randn(1, 2, 2, 2), torch.LongTensor(1, 2, 2).fill(2))


# ---- cudnn.convert ---------------------------------------------------------------------------------------------
def _nets():
    net2d = (nn.Sequential().add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)).add(nn.SpatialBatchNormalization(4))
             .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.SpatialCrossMapLRN(3, 0.1, 0.75, 2))
             .add(nn.SpatialAveragePooling(2, 2, 1, 1, 1, 1).ceil()).add(nn.SpatialSoftMax()).add(nn.View(-1, 100))
             .add(nn.Linear(100, 6)).add(nn.BatchNormalization(6)).add(nn.SoftMax()).add(nn.LogSoftMax()))
    net3d = (nn.Sequential().add(nn.VolumetricConvolution(2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1))
             .add(nn.VolumetricBatchNormalization(3)).add(nn.VolumetricMaxPooling(2, 2, 2))
             .add(nn.VolumetricAveragePooling(2, 1, 2, 1, 1, 1, 1, 0, 1).setCountExcludePad()))
    return [(net2d, (2, 3, 8, 8)), (net3d, (2, 2, 4, 6, 6))]


@pytest.mark.parametrize("which", [0, 1])
def test_convert_swaps_these_layers_both_ways(cudnn, which):
    torch.manualSeed(9)
    net, shape = _nets()[which]
    x = torch.randn(*shape)
    net.evaluate()  # running statistics: the forward passes below do not move them
    y = net.forward(x).clone()
    before = [(type(m), dict(vars(m))) for m in net.modules]
    assert cudnn.convert(net, cudnn) is net
    swapped = 0
    for m, (cls, fields) in zip(net.modules, before, strict=True):
        name = cls.__name__
        mine = vars(cudnn).get(name)
        if mine is not None and vars(mine).get("_convertible"):
            swapped += 1
            assert type(m) is mine, name
            assert all(vars(m)[k] is v for k, v in fields.items()), f"{name}: fields not shared"
            assert set(vars(m)) - set(fields) == set(getattr(mine, "_cudnn_defaults", {}))
        elif name in ("SpatialSoftMax", "View", "Linear"):  # not in cudnn.torch's list
            assert type(m) is cls
    assert swapped == (8, 4)[which]
    if which == 0:
        assert net.modules[-2].fastMode is False and type(net.modules[-2]) is cudnn.SoftMax
    np.testing.assert_allclose(net.forward(x).numpy(), y.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(_host(copy.deepcopy(net).cuda().forward(x.cuda())), y.numpy(), rtol=1e-4, atol=1e-4)
    cudnn.convert(net, nn)
    for m, (cls, fields) in zip(net.modules, before, strict=True):
        assert type(m) is cls and set(vars(m)) == set(fields), cls.__name__
    np.testing.assert_allclose(net.forward(x).numpy(), y.numpy(), rtol=1e-12, atol=1e-12)


def test_lua_cudnn_files_load_as_torch7_cudnn_classes_when_it_is_imported(cudnn, tmp_path):
    net = nn.Sequential().add(cudnn.SpatialConvolution(2, 3, 3, 3)).add(cudnn.ReLU(True)).add(cudnn.SoftMax())
    x = torch.randn(1, 2, 5, 5)
    y = net.forward(x).clone()
    path = str(tmp_path / "net.t7")
    torch.save(path, net)
    back = torch.load(path)
    assert [m._typename for m in back.modules] == ["cudnn.SpatialConvolution", "cudnn.ReLU", "cudnn.SoftMax"]
    assert back.modules[0].groups == 1 and back.modules[2].fastMode is False
    np.testing.assert_allclose(back.forward(x).numpy(), y.numpy(), rtol=1e-12)  # SoftMax's per-sample rule kept


def test_grouped_convolutions_load_when_torch7_cudnn_is_imported(cudnn):
    m = cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2).cuda()
    x = torch.randn(2, 4, 5, 5).cuda()
    y = m.forward(x).float().clone()
    back = torch.deserialize(torch.serialize(m.float()))
    assert back._typename == "cudnn.SpatialConvolution" and back.groups == 2
    np.testing.assert_allclose(back.cuda().forward(x).float().numpy(), y.numpy(), rtol=1e-6, atol=1e-6)
