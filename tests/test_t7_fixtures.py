"""Real .t7 files written by Lua Torch (copied from the shared fixtures into tests/data/t7) that need nn classes.

* cpp-torch ``net.t7``: an ``nn.Linear(3, 2)`` of FloatTensors; forward of ``x.t7`` gives ``y.t7``.
* OpenCV's Torch importer test nets (opencv_extra ``testdata/dnn/torch``, all 32): the forward of
  the stored input matches the stored output within OpenCV's own bounds (mean abs 1e-5, max abs 1e-4).
* python-torchfile's nngraph files and a real char-rnn checkpoint (CUDA tensors, nngraph, ``OneHot``) load.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn
from torch7.serialization import TorchObject

DATA = os.path.join(os.path.dirname(__file__), "data", "t7")


def _path(name: str) -> str:
    return os.path.join(DATA, name)


def _load(name: str):
    fmt = "ascii" if name.endswith(".txt") else "binary"
    return torch.load(_path(name), fmt)


def _np(t) -> np.ndarray:
    return np.array(t.numpy(), np.float64)


def _check_close(got: np.ndarray, want: np.ndarray) -> None:
    """OpenCV's test bounds: mean absolute difference <= 1e-5 and max absolute difference <= 1e-4."""
    assert got.shape == want.shape
    diff = np.abs(got - want)
    assert diff.mean() <= 1e-5 and diff.max() <= 1e-4, (diff.mean(), diff.max())


def _walk(obj, seen=None):
    """Every nn module / criterion / TorchObject reachable from ``obj`` (cycles followed once)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, TorchObject):
        yield obj
        yield from _walk(obj.fields, seen)
    elif isinstance(obj, (nn.Module, nn.Criterion)):
        yield obj
        yield from _walk(vars(obj), seen)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v, seen)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _walk(v, seen)


# ---- cpp-torch -----------------------------------------------------------------------------------------------------


def test_cpp_torch_linear():
    net = torch.load(_path("cpp_net.t7"))
    x = torch.load(_path("cpp_x.t7"))
    y = torch.load(_path("cpp_y.t7"))
    assert isinstance(net, nn.Linear) and net.weight.type() == "torch.FloatTensor"
    assert net.weight.tolist() == [[0, 1, 0], [0, 0, 1]] and net.bias.tolist() == [10, 10]
    out = net.forward(x)
    assert out.type() == "torch.FloatTensor" and out.tolist() == y.tolist() == [12, 13]
    # written back and read again: the same net
    again = torch.deserialize(torch.serialize(net))
    assert again.forward(x).tolist() == [12, 13]


# ---- OpenCV's importer test nets -----------------------------------------------------------------------------------

FORWARD_NETS = [
    "net_linear_2d_net.txt", "net_reshape_net.txt", "net_reshape_batch_net.txt",
    "net_reshape_single_sample_net.txt", "net_reshape_channels_net.dat", "net_softmax_net.txt",
    "net_softmax_spatial_net.txt", "net_logsoftmax_net.txt", "net_logsoftmax_spatial_net.txt",
    "net_prelu_net.txt", "net_cadd_table_net.txt", "net_concat_net.txt", "net_parallel_net.txt",
    "net_normalize_net.dat", "net_residual_net.dat",
    # convolution, pooling, padding, upsampling and normalization layers
    "net_padding_net.dat", "net_pool_max_net.txt", "net_pool_ave_net.txt", "net_spatial_zero_padding_net.dat",
    "net_spatial_reflection_padding_net.dat", "net_spatial_upsampling_nearest_net.dat", "net_simple_net.txt",
    "net_conv_net.dat", "net_deconv_net.txt", "net_depth_concat_net.dat", "net_lp_pooling_square_net.dat",
    "net_lp_pooling_power_net.dat", "net_batch_norm_net.dat", "net_batch_norm_train_net.dat",
    "net_non_spatial_net.dat", "net_conv_gemm_lrn_net.dat",
    # dpnn's Inception block
    "net_inception_block_net.dat",
]


@pytest.mark.parametrize("name", FORWARD_NETS)
def test_opencv_net_forward(name):
    net = _load(name)
    assert isinstance(net, nn.Module)
    assert not any(isinstance(m, TorchObject) for m in _walk(net))
    x = _load(name.replace("_net.", "_input."))
    want = _np(_load(name.replace("_net.", "_output.")))
    _check_close(_np(net.forward(x)), want)
    # saved by us and read back (binary and ascii): the same outputs
    for fmt in ("binary", "ascii"):
        again = torch.deserialize(torch.serialize(net, fmt), fmt)
        _check_close(_np(again.forward(x)), want)


def test_opencv_layer_fields_are_converted():
    concat = _load("net_concat_net.txt")
    assert isinstance(concat, nn.Concat) and concat.dimension == 1  # Torch7's Concat(2)
    par = _load("net_parallel_net.txt")
    assert isinstance(par, nn.Parallel) and (par.inputDimension, par.outputDimension) == (3, 1)  # Parallel(4, 2)
    pads = [m for m in _load("net_padding_net.dat").modules if isinstance(m, nn.Padding)]
    # Padding(2,2,4), Padding(1,-1,2), Padding(3,-3,3,3): dims and the default index 1 become 0-based
    assert [(p.dim, p.pad, p.nInputDim, p.value, p.index) for p in pads] == \
        [(1, 2, 4, 0, 0), (0, -1, 2, 0, 0), (2, -3, 3, 3, 0)]


def test_opencv_padding_net():
    """Padding x3 and SpatialZeroPadding(3,1,2,0): the last layer's fields are Torch7's (no 1-based shift)."""
    net = _load("net_padding_net.dat")
    last = net.modules[3]
    assert isinstance(last, nn.SpatialZeroPadding)
    assert (last.pad_l, last.pad_r, last.pad_t, last.pad_b) == (3, 1, 2, 0)
    x = _load("net_padding_input.dat")
    a = _np(net.modules[2].forward(net.modules[1].forward(net.modules[0].forward(x))))
    a = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(2, 0), (3, 1)])  # the zero padding, by hand
    _check_close(_np(net.forward(x)), a)
    _check_close(a, _np(_load("net_padding_output.dat")))


def test_opencv_pool_max_indices():
    """SpatialMaxPooling(4,5,3,2,1,2):ceil(): the file's indices (Lua's last forward) and ours are 0-based."""
    net = _load("net_pool_max_net.txt")
    pool = net.modules[0]
    assert isinstance(pool, nn.SpatialMaxPooling) and pool.ceil_mode is True
    assert (pool.kW, pool.kH, pool.dW, pool.dH, pool.padW, pool.padH) == (4, 5, 3, 2, 1, 2)
    want = _load("net_pool_max_output_2.txt")  # Lua's indices - 1: flat 0-based positions in the input plane
    want = np.asarray(want.numpy(), np.int64)
    assert pool.indices.type() == "torch.LongTensor"
    np.testing.assert_array_equal(np.asarray(pool.indices.numpy()), want)  # as read from the file
    x = _load("net_pool_max_input.txt")
    pool.indices.zero()
    net.forward(x)
    np.testing.assert_array_equal(np.asarray(pool.indices.numpy()), want)  # as computed here
    # the maxima are where the indices say
    a, out = _np(x), _np(net.output)
    flat = a.reshape(a.shape[0], a.shape[1], -1)
    picked = np.take_along_axis(flat, want.reshape(*want.shape[:2], -1), 2)
    np.testing.assert_array_equal(picked.reshape(out.shape), out)
    # written back 1-based
    from torch7.serialization.classes import object_payload

    np.testing.assert_array_equal(np.asarray(object_payload(pool)[2]["indices"].numpy()), want + 1)


def test_opencv_non_spatial_net():
    """Dropout, Linear, Dropout (eval mode) and BatchNormalization: the parts agree with the formulas."""
    net = _load("net_non_spatial_net.dat")
    d1, lin, d2, bn = net.modules
    assert isinstance(d1, nn.Dropout) and isinstance(d2, nn.Dropout) and isinstance(lin, nn.Linear)
    assert d1.train is False and d1.p == pytest.approx(0.3) and d2.p == pytest.approx(0.6)
    assert d1.v2 is True and d2.v2 is False  # Dropout(0.6, true): v1
    assert isinstance(bn, nn.BatchNormalization) and not bn.train
    x = _load("net_non_spatial_input.dat")
    h = _np(d2.forward(lin.forward(d1.forward(x))))
    # Dropout v1 in evaluate mode scales by (1 - p), as Torch7 did
    h2 = _np(lin.forward(x)) * (1 - d2.p)
    np.testing.assert_allclose(h, h2, rtol=1e-12)
    y = (h - _np(bn.running_mean)) / np.sqrt(_np(bn.running_var) + bn.eps) * _np(bn.weight) + _np(bn.bias)
    _check_close(y, _np(_load("net_non_spatial_output.dat")))
    _check_close(_np(net.forward(x)), y)


def test_opencv_batch_norm_train_uses_batch_statistics():
    """SpatialBatchNormalization saved with train=true: the stored output normalizes by the batch statistics."""
    net = _load("net_batch_norm_train_net.dat")
    bn = net.modules[0]
    assert isinstance(bn, nn.SpatialBatchNormalization) and bn.train is True and bn.eps == pytest.approx(1e-5)
    x = _load("net_batch_norm_train_input.dat")
    a = _np(x)
    mean, var = a.mean(axis=(0, 2, 3)), a.var(axis=(0, 2, 3))
    y = (a - mean[:, None, None]) / np.sqrt(var[:, None, None] + bn.eps)
    y = y * _np(bn.weight)[:, None, None] + _np(bn.bias)[:, None, None]
    _check_close(y, _np(_load("net_batch_norm_train_output.dat")))
    running = _np(bn.running_mean)
    _check_close(_np(net.forward(x)), y)
    # the running mean moved towards the batch mean (momentum 0.1)
    np.testing.assert_allclose(_np(bn.running_mean), 0.9 * running + 0.1 * mean, rtol=1e-12)
    bn.evaluate()
    assert np.abs(_np(net.forward(x)) - y).max() > 1e-3  # running statistics give another output
    eval_bn = _load("net_batch_norm_net.dat").modules[0]
    assert not eval_bn.train and eval_bn.eps == pytest.approx(1e-3)


def test_opencv_inception_block():
    """dpnn's nn.Inception (a Decorator around a DepthConcat): its fields, the shared pool, a single image."""
    net = torch.load(_path("net_inception_block_net.dat"), strict=True)  # every class is known now
    inc = net.modules[0]
    assert isinstance(inc, nn.Inception) and isinstance(inc, nn.Decorator)
    (depth,) = inc.modules
    assert isinstance(depth, nn.DepthConcat) and depth.dimension == 1  # DepthConcat(2)
    assert (inc.inputSize, inc.outputSize, inc.reduceSize, inc.kernelSize) == (3, [4], [4], [3])
    assert isinstance(inc.transfer, nn.Tanh) and inc.padding is True and inc.batchNorm is None
    assert inc.pool is depth.modules[1].modules[0]  # the pooling column holds the configured pool itself
    x = _load("net_inception_block_input.dat")
    want = _np(_load("net_inception_block_output.dat"))
    _check_close(_np(inc.forward(x)), want)
    _check_close(_np(inc.forward(x[1])), want[1])  # one 3-D image runs as a batch of one
    assert inc.dpnn_online is True and inc.output.dim() == 3
    g = inc.updateGradInput(x[1], torch.ones(7, 16, 16))  # the file has no gradWeight: no accGradParameters
    assert g.size() == x[1].size() and inc.gradInput.dim() == 3
    again = torch.deserialize(torch.serialize(net))
    assert again.modules[0].pool is again.modules[0].modules[0].modules[1].modules[0]
    _check_close(_np(again.forward(x)), want)


def test_opencv_conv_fields():
    simple = _load("net_simple_net.txt")
    conv, pool = simple.modules[1], simple.modules[2]
    assert isinstance(conv, nn.SpatialConvolution) and conv.weight.size() == torch.Size([64, 3, 7, 11])
    assert (conv.kW, conv.kH, conv.dW, conv.dH, conv.padW, conv.padH) == (11, 7, 3, 4, 3, 2)
    assert isinstance(pool, nn.SpatialMaxPooling) and pool.ceil_mode is False
    depth = _load("net_depth_concat_net.dat")
    assert isinstance(depth, nn.DepthConcat) and depth.dimension == 0  # DepthConcat(1)
    assert all(isinstance(m, nn.SpatialConvolutionMM) and m.weight.dim() == 2 for m in depth.modules)
    deconv = _load("net_deconv_net.txt").modules[0]
    assert isinstance(deconv, nn.SpatialFullConvolution) and (deconv.adjW, deconv.adjH) == (0, 1)
    ave = _load("net_pool_ave_net.txt").modules[0]
    assert isinstance(ave, nn.SpatialAveragePooling) and ave.divide is True and ave.count_include_pad is True
    lp = _load("net_lp_pooling_power_net.dat").modules[0]
    assert isinstance(lp, nn.SpatialLPPooling)


def test_old_torch_demos_conv_net():
    """A 2013 net: SpatialConvolution and SpatialMaxPooling without padding/ceil_mode fields (old layouts)."""
    net = torch.load(_path("road-net_u1net.net"))
    conv, pool = net.modules
    assert isinstance(conv, nn.SpatialConvolution) and isinstance(pool, nn.SpatialMaxPooling)
    assert (conv.padW, conv.padH) == (0, 0) and conv.weight.size() == torch.Size([12, 3, 9, 9])
    assert (pool.padW, pool.padH, pool.ceil_mode) == (0, 0, False)
    assert pool.indices.type() == "torch.LongTensor"  # the file's (old nn) FloatTensor indices are not kept
    assert net._type == "torch.FloatTensor" and conv.weight.type() == "torch.FloatTensor"
    x = torch.FloatTensor(3, 20, 22).uniform(-1, 1)
    out = net.forward(x)
    assert out.type() == "torch.FloatTensor" and out.size() == torch.Size([12, 6, 7])
    # the same by NumPy: valid cross-correlation plus bias, then 2x2 max pooling
    a, w, b = _np(x), _np(conv.weight), _np(conv.bias)
    win = np.lib.stride_tricks.sliding_window_view(a, (9, 9), axis=(1, 2))  # 3 x 12 x 14 x 9 x 9
    y = np.einsum("chwij,ocij->ohw", win, w) + b[:, None, None]
    y = y[:, :12, :14].reshape(12, 6, 2, 7, 2).max(axis=(2, 4))
    np.testing.assert_allclose(_np(out), y, rtol=1e-4, atol=1e-4)
    for fmt in ("binary", "ascii"):
        again = torch.deserialize(torch.serialize(net, fmt), fmt)
        assert again.forward(x).tolist() == out.tolist()


def test_old_torch_demos_face_detector():
    """A 2014 net: SpatialConvolutionMM without stride fields (dW/dH added later), 2-D weights, max pooling."""
    net = torch.load(_path("face-detector-new_face.net"))
    features, classifier = net.modules
    conv1, _, pool, conv2, _ = features.modules
    assert isinstance(conv1, nn.SpatialConvolutionMM) and (conv1.dW, conv1.dH, conv1.padW, conv1.padH) == (1, 1, 0, 0)
    assert conv1.weight.size() == torch.Size([8, 25]) and conv2.weight.size() == torch.Size([64, 392])
    assert isinstance(pool, nn.SpatialMaxPooling) and (pool.kW, pool.dW, pool.ceil_mode) == (4, 4, False)
    x = torch.FloatTensor(1, 32, 32).uniform(0, 1)
    out = net.forward(x)
    assert out.type() == "torch.FloatTensor" and out.size() == torch.Size([2])
    assert np.exp(_np(out)).sum() == pytest.approx(1.0, abs=1e-5)
    # the first layer by NumPy
    a, w = _np(x)[0], _np(conv1.weight).reshape(8, 5, 5)
    y = np.einsum("hwij,oij->ohw", np.lib.stride_tricks.sliding_window_view(a, (5, 5)), w)
    y += _np(conv1.bias)[:, None, None]
    np.testing.assert_allclose(_np(conv1.output), y, rtol=1e-4, atol=1e-5)
    again = torch.deserialize(torch.serialize(net))
    assert again.forward(x).tolist() == out.tolist()


def test_old_torch_demos_net_forward():
    """A 2013 net: Reshape, Linear, Threshold, Linear, LogSoftMax (old field sets) runs and gives log-probs."""
    net = torch.load(_path("road-net_unsup-cl-30.net"))
    assert [m._typename for m in net.modules] == ["nn.Reshape", "nn.Linear", "nn.Threshold", "nn.Linear",
                                                   "nn.LogSoftMax"]
    assert net.modules[2].inplace is False  # added to Threshold after this file was written
    assert net.modules[1].weight.type() == "torch.FloatTensor" and net._type == "torch.FloatTensor"
    x = torch.FloatTensor(3, 24, 24).uniform(-1, 1)
    out = _np(net.forward(x))
    assert out.shape == (8,)
    assert np.exp(out).sum() == pytest.approx(1.0)


# ---- nngraph ------------------------------------------------------------------------------------------------------


def test_nngraph_files_load_as_graphs():
    g = torch.load(_path("gmodule_with_linear_identity.t7"))
    assert isinstance(g, nn.gModule) and g.nInputs == 2
    kinds = {type(o).__name__ for o in _walk(g)}
    assert {"gModule", "Linear", "Identity"} <= kinds
    lin = next(o for o in _walk(g) if isinstance(o, nn.Linear))
    assert lin.forward(torch.randn(lin.weight.size(1))).size(0) == lin.weight.size(0)
    node = torch.load(_path("nngraph_node.t7"))
    assert torch.typename(node) == "nngraph.Node"
    assert node.data["annotations"]["hello"] == 123


# ---- char-rnn checkpoint -------------------------------------------------------------------------------------------


def test_char_rnn_checkpoint():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cp = torch.load(_path("obama_rnn.t7"))
    assert any("CudaTensor" in str(w.message) for w in caught)
    assert cp["epoch"] == 30 and cp["i"] == 48450 and cp["val_loss"] == pytest.approx(1.068, abs=1e-3)
    opt = cp["opt"]
    assert opt["rnn_size"] == 128 and opt["num_layers"] == 2 and opt["model"] == "lstm"
    vocab = cp["vocab"]
    assert len(vocab) == 122 and sorted(vocab.values()) == list(range(1, 123))  # char -> 1-based index (data)
    rnn = cp["protos"]["rnn"]
    assert isinstance(rnn, nn.gModule)
    assert isinstance(cp["protos"]["criterion"], nn.ClassNLLCriterion)
    found = list(_walk(cp))
    onehot = [o for o in found if isinstance(o, nn.OneHot)]
    assert len(onehot) == 1 and onehot[0].outputSize == 122  # char-rnn's global OneHot class
    assert onehot[0].forward(torch.LongTensor([0, 121])).tolist()[1][121] == 1
    linears = [o for o in found if isinstance(o, nn.Linear)]
    assert len(linears) == 5 and all(m.weight.type() == "torch.FloatTensor" for m in linears)
    narrows = [o for o in found if isinstance(o, nn.Narrow)]
    # the LSTM gates: Narrow(2, k*128 + 1, 128) in Lua, 0-based here
    assert {(m.dimension, m.index, m.length) for m in narrows} == {(1, 0, 128), (1, 128, 128), (1, 256, 128),
                                                                   (1, 384, 128), (1, 0, 384)}
    assert all(m._type == "torch.FloatTensor" for m in found if isinstance(m, nn.Module))
    x = torch.FloatTensor(2, 512).uniform(-1, 1)
    assert narrows[0].forward(x).size() == torch.Size([2, narrows[0].length])
