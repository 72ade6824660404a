"""OpenCV's Torch importer (``cv2.dnn.readNetFromTorch``) reads the .t7 files torch7 writes.

Nets are built here from the layers OpenCV's importer maps (containers, convolutions, pooling, normalization,
padding, activations, reshapes, dpnn's Inception), saved in binary and ascii, read by OpenCV and run there; the
outputs must agree with ours within OpenCV's own test bounds (mean abs 1e-5, max abs 1e-4). The 32 opencv_extra
test nets, loaded by torch7 and written back, must also give OpenCV the outputs Lua Torch stored.

Needs ``opencv-python-headless`` (the test extras).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from test_t7_fixtures import FORWARD_NETS, _check_close, _load, _np

import torch7 as torch
from torch7 import nn

S = nn.Sequential


def X(*shape):
    return torch.randn(*shape)


def _bn(n: int, spatial: bool = True, affine: bool = True):
    """A batch normalization with non-trivial running statistics, in evaluation mode."""
    m = (nn.SpatialBatchNormalization if spatial else nn.BatchNormalization)(n, 1e-5, 0.1, affine)
    m.running_mean.uniform(-1, 1)
    m.running_var.uniform(0.5, 2)
    if affine:
        m.weight.uniform(0.5, 1.5)
        m.bias.uniform(-1, 1)
    return m.evaluate()


def _unpool():
    pool = nn.SpatialMaxPooling(2, 2)
    return S().add(nn.SpatialConvolution(3, 3, 1, 1)).add(pool).add(nn.SpatialMaxUnpooling(pool))


def _conv_net():
    return (S().add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
            .add(nn.View(-1).setNumInputDims(3)).add(nn.Linear(64, 5)).add(nn.SoftMax()))


# (id, net factory, input shape). Every layer is one OpenCV's importer maps to an OpenCV layer.
CASES = [
    ("conv-relu-maxpool-view-linear-softmax", _conv_net, (2, 3, 8, 8)),
    ("linear-tanh-batchnorm-logsoftmax",
     lambda: S().add(nn.Linear(6, 4)).add(nn.Tanh()).add(_bn(4, False)).add(nn.LogSoftMax()), (3, 6)),
    ("linear-nobias-relu-sigmoid", lambda: S().add(nn.Linear(5, 3).noBias()).add(nn.ReLU()).add(nn.Sigmoid()), (4, 5)),
    ("conv-spatialbatchnorm", lambda: S().add(nn.SpatialConvolution(3, 4, 3, 3)).add(_bn(4)), (2, 3, 6, 6)),
    ("spatialbatchnorm-noaffine", lambda: S().add(_bn(3, affine=False)), (2, 3, 4, 4)),
    ("dropout-v1-v2-spatial", lambda: S().add(nn.Dropout(0.3).evaluate()).add(nn.Dropout(0.4, True).evaluate())
     .add(nn.SpatialDropout(0.2).evaluate()), (2, 3, 4, 4)),
    ("avepool-ceil-excludepad", lambda: S().add(nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1).ceil())
     .add(nn.SpatialAveragePooling(2, 2, 1, 1, 1, 1).setCountExcludePad()), (2, 3, 7, 7)),
    ("maxpool-ceil-pad", lambda: S().add(nn.SpatialMaxPooling(3, 2, 2, 2, 1, 1).ceil()), (2, 3, 7, 8)),
    ("convmm-stride-pad", lambda: S().add(nn.SpatialConvolutionMM(3, 5, 3, 2, 2, 1, 1, 0)), (2, 3, 7, 8)),
    ("dilated-conv", lambda: S().add(nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 2, 2, 2, 2)), (2, 3, 7, 8)),
    ("full-conv-adj", lambda: S().add(nn.SpatialFullConvolution(3, 4, 3, 3, 2, 2, 1, 1, 1, 0)), (2, 3, 5, 6)),
    ("crossmap-lrn", lambda: S().add(nn.SpatialCrossMapLRN(3, 0.01, 0.75, 2)), (2, 5, 4, 4)),
    ("zero-reflection-padding",
     lambda: S().add(nn.SpatialZeroPadding(1, 2, 0, 3)).add(nn.SpatialReflectionPadding(2, 1, 1, 0)), (2, 3, 5, 5)),
    ("upsampling-nearest", lambda: S().add(nn.SpatialUpSamplingNearest(2)), (2, 3, 3, 4)),
    ("padding", lambda: S().add(nn.Padding(1, 2, 3)).add(nn.Padding(2, -1, 3, 0.5)), (2, 3, 4, 4)),
    ("view-normalize", lambda: S().add(nn.View(-1).setNumInputDims(3)).add(nn.Normalize(2)), (2, 3, 4, 4)),
    ("prelu-channels-shared", lambda: S().add(nn.PReLU(3)).add(nn.PReLU()), (2, 3, 4, 4)),
    ("mulconstant-square-sqrt-power",
     lambda: S().add(nn.MulConstant(0.5)).add(nn.Square()).add(nn.Sqrt()).add(nn.Power(1.5)), (2, 3, 4, 4)),
    ("identity-elu-relu6", lambda: S().add(nn.Identity()).add(nn.ELU(1.0)).add(nn.ReLU6()), (2, 3, 4, 4)),
    ("concat", lambda: S().add(nn.Concat(1).add(nn.SpatialConvolution(3, 2, 1, 1))
                               .add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1))), (2, 3, 5, 5)),
    ("depthconcat", lambda: S().add(nn.DepthConcat(1).add(nn.SpatialConvolution(3, 2, 1, 1))
                                    .add(nn.SpatialConvolution(3, 4, 3, 3))), (2, 3, 5, 5)),
    ("residual-cadd", lambda: S().add(nn.ConcatTable().add(nn.SpatialConvolution(3, 3, 3, 3, 1, 1, 1, 1))
                                      .add(nn.Identity())).add(nn.CAddTable()), (2, 3, 5, 5)),
    ("jointable", lambda: S().add(nn.ConcatTable().add(nn.SpatialConvolution(3, 3, 1, 1)).add(nn.Identity()))
     .add(nn.JoinTable(1)), (2, 3, 5, 5)),
    ("parallel", lambda: S().add(nn.Parallel(1, 1).add(nn.Linear(4, 3)).add(nn.Linear(4, 2))), (2, 2, 4)),
    ("lp-pooling", lambda: S().add(nn.SpatialLPPooling(3, 2, 2, 2, 2, 2)), (2, 3, 6, 6)),
    ("reshape-linear-logsoftmax", lambda: S().add(nn.Reshape(48)).add(nn.Linear(48, 5)).add(nn.LogSoftMax()),
     (2, 3, 4, 4)),
    ("spatial-softmax", lambda: S().add(nn.SoftMax()), (2, 3, 4, 4)),
    ("inception", lambda: S().add(nn.Inception(inputSize=3, outputSize=[4], reduceSize=[2, 3, 2], kernelSize=[3],
                                               kernelStride=[1])), (2, 3, 6, 6)),
    ("inception-batchnorm", lambda: S().add(nn.Inception(inputSize=3, outputSize=[2, 3], reduceSize=[2, 2, 2, 1],
                                                         batchNorm=True, transfer=nn.Tanh())).evaluate(),
     (2, 3, 7, 7)),
    ("maxunpooling", _unpool, (1, 3, 6, 6)),  # OpenCV's unpooling takes a batch of one
    ("float-conv-net", lambda: _conv_net().float(), (2, 3, 8, 8)),
]


def _opencv_forward(path: str, binary: bool, x, evaluate: bool = True) -> np.ndarray:
    net = cv2.dnn.readNetFromTorch(str(path), binary, evaluate)
    net.setInput(np.ascontiguousarray(np.asarray(x.numpy(), np.float32)))
    return net.forward()


def _compare(got: np.ndarray, want: np.ndarray) -> None:
    assert got.size == want.size, (got.shape, want.shape)
    _check_close(np.asarray(got, np.float64).reshape(want.shape), want)


@pytest.mark.parametrize("fmt", ["binary", "ascii"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_opencv_runs_nets_we_write(case, fmt, tmp_path):
    name, make, shape = case
    torch.manualSeed(3)
    net = make()
    x = X(*shape).type(net._type)
    want = _np(net.forward(x))
    path = tmp_path / f"net_{fmt}.t7"
    torch.save(str(path), net, fmt)
    _compare(_opencv_forward(path, fmt == "binary", x), want)


@pytest.mark.parametrize("fmt", ["binary", "ascii"])
@pytest.mark.parametrize("name", FORWARD_NETS)
def test_opencv_runs_lua_nets_we_rewrite(name, fmt, tmp_path):
    """opencv_extra's nets, read by torch7 and written back: OpenCV gives Lua Torch's stored output."""
    net = _load(name)
    x = _load(name.replace("_net.", "_input."))
    want = _np(_load(name.replace("_net.", "_output.")))
    path = tmp_path / f"net_{fmt}.t7"
    torch.save(str(path), net, fmt)
    # the batch-norm net saved in training mode: OpenCV normalizes by the batch statistics when not evaluating
    evaluate = name != "net_batch_norm_train_net.dat"
    _compare(_opencv_forward(path, fmt == "binary", x, evaluate), want)
