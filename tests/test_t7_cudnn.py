"""``.t7`` files with cudnn.torch modules (and CUDA tensors) load as the nn modules ``cudnn.convert(net, nn)`` gives.

The files are written the way Lua writes them: each cudnn module is a ``TorchObject`` whose fields are those of its
nn counterpart, less what the cudnn class does not store, plus cudnn's bookkeeping; then every ``torch.Float*`` class
and ``_type`` name in the bytes becomes ``torch.Cuda*``, as in a file saved from a net on the GPU.
"""

from __future__ import annotations

import io
import struct
import warnings

import numpy as np
import pytest
from helpers import assert_close, np_of

import torch7 as torch
from torch7 import nn, serialization
from torch7.serialization import SerializationError, TorchObject
from torch7.serialization.classes import object_payload
from torch7.serialization.cudnn_classes import NN_OF


def _lua_string(s: bytes) -> bytes:
    return struct.pack("<i", len(s)) + s


def _cuda_bytes(obj) -> bytes:
    """``obj`` serialized, with its float tensors, storages and module types renamed to the CUDA ones."""
    b = torch.serialize(obj)
    for cpu, gpu in ((b"torch.FloatTensor", b"torch.CudaTensor"), (b"torch.FloatStorage", b"torch.CudaStorage")):
        assert _lua_string(cpu) in b or cpu == b"torch.FloatStorage"
        b = b.replace(_lua_string(cpu), _lua_string(gpu))
    assert b"torch.Float" not in b
    return b


def _load(b: bytes, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = torch.deserialize(b, **kw)
    assert any("torch.CudaTensor" in str(w.message) for w in caught)  # the reader's warning: they are CPU tensors
    return obj, [str(w.message) for w in caught if "TorchObject" in str(w.message)]


def _storage(*sizes):
    return torch.LongStorage(list(sizes))


# The extra fields cudnn.torch leaves on its modules when it writes them (descriptors themselves are cleared).
POINTWISE = {"inplace": False}
SOFTMAX = {"algorithm": "CUDNN_SOFTMAX_ACCURATE", "iSize": _storage(1, 1, 1, 1)}


def _conv_extra(nd: int) -> dict:
    pad, stride = [1] * nd, [1] * nd
    return {"groups": 1, "iSize": _storage(*[0] * (nd + 2)), "pad": pad, "stride": stride,
            "convDescData": {"padA": pad, "filterStrideA": stride, "upscaleA": [1] * nd,
                             "dataType": "CUDNN_DATA_FLOAT"},
            "input_offset": 0, "output_offset": 0, "weight_offset": 0, "autotunerHash": "-dimA1,3,7,7 -filtA4,3,3,3",
            "fmode": "CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM", "fastest_mode": True,
            "input_slice": torch.FloatTensor(1, 2), "output_slice": torch.FloatTensor(1, 2)}


BN = {"save_mean": torch.FloatTensor(3), "save_std": torch.FloatTensor(3), "iSize": _storage(2, 3)}

# (cudnn class, the nn module it must equal, the nn fields the cudnn class does not store, cudnn's own fields,
#  input size, the version the cudnn class writes). cuDNN's average pooling counts the padding whatever
# count_include_pad says (cudnn.torch computes `x ~= nil and x or true`).
CASES = [
    ("cudnn.ReLU", lambda: nn.ReLU(), ("threshold", "val"), {**POINTWISE, "mode": "CUDNN_ACTIVATION_RELU"},
     (2, 3, 4, 4), 1),
    ("cudnn.Tanh", lambda: nn.Tanh(), (), {**POINTWISE, "mode": "CUDNN_ACTIVATION_TANH"}, (2, 3, 4), 1),
    ("cudnn.Sigmoid", lambda: nn.Sigmoid(), (), {**POINTWISE, "mode": "CUDNN_ACTIVATION_SIGMOID"}, (5, 7), 1),
    ("cudnn.ClippedReLU", lambda: nn.Clamp(0, 0.5), ("min_val", "max_val", "inplace"),
     {**POINTWISE, "ceiling": 0.5}, (2, 3, 4, 4), 1),
    ("cudnn.SoftMax", lambda: nn.SoftMax(), (), {**SOFTMAX, "mode": "CUDNN_SOFTMAX_MODE_INSTANCE"}, (3, 7), 1),
    ("cudnn.LogSoftMax", lambda: nn.LogSoftMax(), (),
     {**SOFTMAX, "mode": "CUDNN_SOFTMAX_MODE_INSTANCE", "algorithm": "CUDNN_SOFTMAX_LOG"}, (3, 7), 1),
    ("cudnn.SpatialSoftMax", lambda: nn.SpatialSoftMax(), (), {**SOFTMAX, "mode": "CUDNN_SOFTMAX_MODE_CHANNEL"},
     (2, 4, 3, 3), 1),
    ("cudnn.SpatialLogSoftMax", lambda: nn.SpatialLogSoftMax(), (),
     {**SOFTMAX, "mode": "CUDNN_SOFTMAX_MODE_CHANNEL", "algorithm": "CUDNN_SOFTMAX_LOG"}, (2, 4, 3, 3), 1),
    ("cudnn.SpatialMaxPooling", lambda: nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(), ("indices",),
     {"mode": "CUDNN_POOLING_MAX", "iSize": _storage(2, 3, 8, 8)}, (2, 3, 8, 8), 1),
    ("cudnn.SpatialAveragePooling", lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1),
     ("divide",), {"mode": "CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING", "count_include_pad": False}, (2, 3, 7, 7), 1),
    ("cudnn.VolumetricMaxPooling", lambda: nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2, 1, 1, 1), ("indices",),
     {"mode": "CUDNN_POOLING_MAX", "iSize": _storage(0, 0, 0, 0, 0)}, (2, 2, 5, 5, 5), 1),
    ("cudnn.VolumetricAveragePooling", lambda: nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1, 1, 1, 1),
     (), {"mode": "CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING", "count_include_pad": False}, (2, 2, 4, 4, 4), 1),
    ("cudnn.BatchNormalization", lambda: nn.BatchNormalization(3), (), BN, (4, 3), 2),
    ("cudnn.SpatialBatchNormalization", lambda: nn.SpatialBatchNormalization(3), (), BN, (2, 3, 4, 4), 2),
    ("cudnn.VolumetricBatchNormalization", lambda: nn.VolumetricBatchNormalization(3), (), BN, (2, 3, 2, 3, 3), 2),
    ("cudnn.SpatialConvolution", lambda: nn.SpatialConvolution(3, 4, 3, 3, 2, 2, 1, 1), (), _conv_extra(2),
     (2, 3, 7, 7), 1),
    ("cudnn.SpatialFullConvolution", lambda: nn.SpatialFullConvolution(3, 2, 3, 3, 2, 2, 1, 1, 1, 1), (),
     _conv_extra(2), (2, 3, 4, 4), 1),
    ("cudnn.SpatialDilatedConvolution", lambda: nn.SpatialDilatedConvolution(3, 2, 3, 3, 1, 1, 2, 2, 2, 2), (),
     _conv_extra(2), (2, 3, 7, 7), 1),
    ("cudnn.VolumetricConvolution", lambda: nn.VolumetricConvolution(2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1), (),
     _conv_extra(3), (2, 2, 4, 4, 4), 1),
    ("cudnn.VolumetricFullConvolution", lambda: nn.VolumetricFullConvolution(2, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1),
     (), _conv_extra(3), (2, 2, 3, 3, 3), 1),
    ("cudnn.VolumetricDilatedConvolution",
     lambda: nn.VolumetricDilatedConvolution(2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2), (), _conv_extra(3),
     (2, 2, 5, 5, 5), 1),
    ("cudnn.SpatialCrossMapLRN", lambda: nn.SpatialCrossMapLRN(3, 1e-2, 0.75, 2), ("scale",),
     {"iSize": _storage(0, 0, 0, 0)}, (2, 5, 4, 4), 1),
]


def _temporal_case():
    """cudnn.TemporalConvolution(4, 3, 2, 1) as cudnn.torch stores it: a 2-D convolution over 1 x T x 4 planes."""
    ref = nn.TemporalConvolution(4, 3, 2, 1).float()
    fields = {k: v for k, v in object_payload(ref)[2].items() if k not in ("kW", "dW")}
    fields.update(_conv_extra(2))
    fields.update(nInputPlane=1, nOutputPlane=3, kW=4, kH=2, dW=1, dH=1, padW=0, padH=0)
    return ref, TorchObject("cudnn.TemporalConvolution", 1, fields)


def _cudnn_object(typename, ref, drop, extra, version):
    fields = {k: v for k, v in object_payload(ref)[2].items() if k not in drop}
    fields.update(extra)
    return TorchObject(typename, version, fields)


def _input(size, seed=1):
    return torch.FloatTensor(*size).uniform(-2, 2) if seed else torch.FloatTensor(*size)


def _same_module(ref, got, size):
    """``got`` computes what ``ref`` computes: outputs, gradients and parameter gradients, training and evaluating."""
    for train in (True, False):
        ref.training() if train else ref.evaluate()
        got.training() if train else got.evaluate()
        x = _input(size)
        out = ref.forward(x.clone()).clone()
        assert_close(got.forward(x.clone()), np_of(out), 1e-6)
        go = _input(tuple(out.size()))
        ref.zeroGradParameters()
        got.zeroGradParameters()
        gi = ref.backward(x.clone(), go).clone()
        assert_close(got.backward(x.clone(), go), np_of(gi), 1e-6)
        for p, q in zip(ref.parameters()[1], got.parameters()[1]):
            assert_close(q, np_of(p), 1e-6)


def test_every_mapped_class_has_a_case():
    assert {c[0] for c in CASES} | {"cudnn.TemporalConvolution"} == set(NN_OF)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cudnn_module_loads_as_nn(case):
    typename, make, drop, extra, size, version = case
    torch.manualSeed(7)
    ref = make().float()
    if hasattr(ref, "running_mean"):  # saved statistics that are not the defaults
        ref.running_mean.uniform(-1, 1)
        ref.running_var.uniform(0.5, 2)
    b = _cuda_bytes(_cudnn_object(typename, ref, drop, extra, version))
    assert _lua_string(typename.encode()) in b
    got, refused = _load(b)
    assert not refused
    assert type(got) is type(ref) and torch.typename(got) == NN_OF[typename]
    assert got._type == "torch.FloatTensor"
    left = set(vars(got)) & (set(extra) - set(vars(ref)))
    assert not left, f"cudnn bookkeeping kept: {left}"
    _same_module(ref, got, size)


def test_cudnn_module_loads_strictly():
    torch.manualSeed(3)
    ref = nn.SpatialConvolution(3, 4, 3, 3).float()
    b = _cuda_bytes(_cudnn_object("cudnn.SpatialConvolution", ref, (), _conv_extra(2), 1))
    got, _ = _load(b, strict=True)
    assert type(got) is nn.SpatialConvolution


def test_temporal_convolution():
    torch.manualSeed(5)
    ref, obj = _temporal_case()
    got, refused = _load(_cuda_bytes(obj))
    assert not refused and type(got) is nn.TemporalConvolution
    assert (got.inputFrameSize, got.outputFrameSize, got.kW, got.dW) == (4, 3, 2, 1)
    assert not {"kH", "dH", "padH", "nInputPlane", "groups"} & set(vars(got))
    _same_module(ref, got, (2, 6, 4))
    _same_module(ref, got, (6, 4))


def test_padded_temporal_convolution_stays_unknown():
    _, obj = _temporal_case()
    obj.fields["padH"] = 1
    got, refused = _load(_cuda_bytes(obj))
    assert isinstance(got, TorchObject) and got.typename == "cudnn.TemporalConvolution"
    assert got.fields["padH"] == 1 and got.fields["kH"] == 2
    assert len(refused) == 1 and "cudnn.TemporalConvolution with padH=1" in refused[0]


def test_relu_inplace():
    ref = nn.ReLU(True)
    obj = _cudnn_object("cudnn.ReLU", ref.float(), ("threshold", "val"), {"inplace": True}, 1)
    got, _ = _load(_cuda_bytes(obj))
    assert type(got) is nn.ReLU and got.inplace is True and (got.threshold, got.val) == (0, 0)
    x = _input((3, 4))
    want = np.maximum(np_of(x), 0)
    got.forward(x)
    assert_close(x, want, 0)  # in place: the input holds the result


def _net():
    """The reference nn net and the same net as a cudnn.torch file would hold it."""
    torch.manualSeed(11)
    conv = nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1).float()
    bn = nn.SpatialBatchNormalization(4).float()
    bn.running_mean.uniform(-1, 1)
    bn.running_var.uniform(0.5, 2)
    relu, pool = nn.ReLU().float(), nn.SpatialMaxPooling(2, 2, 2, 2).float()
    view, lin, lsm = nn.View(64).float(), nn.Linear(64, 5).float(), nn.LogSoftMax().float()
    ref = nn.Sequential().add(conv).add(bn).add(relu).add(pool).add(view).add(lin).add(lsm)
    mods = [_cudnn_object("cudnn.SpatialConvolution", conv, (), _conv_extra(2), 1),
            _cudnn_object("cudnn.SpatialBatchNormalization", bn, (), BN, 2),
            _cudnn_object("cudnn.ReLU", relu, ("threshold", "val"), {**POINTWISE, "mode": "CUDNN_ACTIVATION_RELU"}, 1),
            _cudnn_object("cudnn.SpatialMaxPooling", pool, ("indices",), {"mode": "CUDNN_POOLING_MAX"}, 1),
            view, lin,
            _cudnn_object("cudnn.LogSoftMax", lsm, (), {**SOFTMAX, "mode": "CUDNN_SOFTMAX_MODE_INSTANCE"}, 1)]
    seq = {k: v for k, v in object_payload(nn.Sequential().float())[2].items() if k != "modules"}
    return ref, TorchObject("nn.Sequential", 1, {**seq, "modules": mods})


def test_cudnn_net_loads_runs_and_saves_as_nn():
    ref, obj = _net()
    b = _cuda_bytes(obj)
    got, refused = _load(b)
    assert not refused
    kinds = [type(m) for m in got.modules]
    assert kinds == [nn.SpatialConvolution, nn.SpatialBatchNormalization, nn.ReLU, nn.SpatialMaxPooling, nn.View,
                     nn.Linear, nn.LogSoftMax]
    _same_module(ref, got, (2, 3, 8, 8))
    strict, _ = _load(b, strict=True)  # every class of the file is known
    assert [type(m) for m in strict.modules] == kinds
    # saving writes what cudnn.convert(net, nn) would: nn classes, without cudnn's fields
    raw = serialization.load(io.BytesIO(torch.serialize(got)), _raw=True)
    names = [m.typename for m in raw.fields["modules"]]
    assert names == ["nn.SpatialConvolution", "nn.SpatialBatchNormalization", "nn.ReLU", "nn.SpatialMaxPooling",
                     "nn.View", "nn.Linear", "nn.LogSoftMax"]
    assert not {"groups", "iSize", "convDescData"} & set(raw.fields["modules"][0].fields)
    assert raw.fields["modules"][2].fields["threshold"] == 0
    again = torch.deserialize(torch.serialize(got))
    _same_module(ref, again, (2, 3, 8, 8))


def test_grouped_convolution_stays_unknown_with_a_warning():
    torch.manualSeed(2)
    ref = nn.SpatialConvolution(4, 6, 3, 3).float()
    fields = {**object_payload(ref)[2], **_conv_extra(2), "groups": 2}
    fields["weight"] = torch.FloatTensor(6, 2, 3, 3).uniform(-1, 1)
    net = TorchObject("nn.Sequential", 1, {"modules": [TorchObject("cudnn.SpatialConvolution", 1, fields),
                                                       _cudnn_object("cudnn.ReLU", nn.ReLU().float(),
                                                                     ("threshold", "val"), POINTWISE, 1)],
                                           "_type": "torch.FloatTensor", "train": True})
    for strict in (False, True):  # a known class: strict loading keeps the record rather than failing
        got, refused = _load(_cuda_bytes(net), strict=strict)
        assert type(got) is nn.Sequential and type(got.modules[1]) is nn.ReLU
        conv = got.modules[0]
        assert isinstance(conv, TorchObject) and conv.typename == "cudnn.SpatialConvolution"
        assert conv.fields["groups"] == 2 and tuple(conv.fields["weight"].size()) == (6, 2, 3, 3)
        assert "iSize" in conv.fields  # the record keeps the file's fields as they are
        assert len(refused) == 1 and "cudnn.SpatialConvolution with groups=2" in refused[0]


def test_unmapped_cudnn_classes_stay_unknown():
    lstm = TorchObject("cudnn.LSTM", 1, {"inputSize": 3, "hiddenSize": 4, "weight": torch.FloatTensor(10),
                                         "_type": "torch.FloatTensor"})
    b = _cuda_bytes({"rnn": lstm, "norm": TorchObject("cudnn.SpatialDivisiveNormalization", 1, {"K": 2})})
    got, _ = _load(b)
    assert isinstance(got["rnn"], TorchObject) and got["rnn"].typename == "cudnn.LSTM"
    assert got["rnn"].fields["hiddenSize"] == 4
    assert isinstance(got["norm"], TorchObject)
    with pytest.raises(SerializationError, match="cudnn.LSTM"):
        _load(b, strict=True)


def test_shared_and_self_referencing_modules():
    relu = _cudnn_object("cudnn.ReLU", nn.ReLU().float(), ("threshold", "val"), POINTWISE, 1)
    relu.fields["owner"] = {"module": relu}  # a cycle through the module's own fields
    got, _ = _load(_cuda_bytes({"a": relu, "b": [relu]}))
    assert type(got["a"]) is nn.ReLU and got["b"][0] is got["a"]
    assert got["a"].owner["module"] is got["a"]


def test_old_cudnn_layouts():
    torch.manualSeed(4)
    bn = nn.BatchNormalization(3).float()
    fields = {k: v for k, v in object_payload(bn)[2].items() if k != "running_var"}
    std = torch.FloatTensor([0.5, 1.0, 2.0])
    fields["running_std"] = std  # cudnn.BatchNormalization before version 2, as nn's
    got, _ = _load(_cuda_bytes(TorchObject("cudnn.BatchNormalization", 1, fields)))
    assert type(got) is nn.BatchNormalization and "running_std" not in vars(got)
    assert_close(got.running_var, np_of(std) ** -2 - got.eps, 1e-6)
    lrn = nn.SpatialCrossMapLRN(3, 1e-2, 0.75, 2).float()
    fields = {k: v for k, v in object_payload(lrn)[2].items() if k != "k"}
    fields["K"] = 2  # the first cudnn.SpatialCrossMapLRN's name for k
    got, _ = _load(_cuda_bytes(TorchObject("cudnn.SpatialCrossMapLRN", 1, fields)))
    assert type(got) is nn.SpatialCrossMapLRN and got.k == 2 and "K" not in vars(got)
    _same_module(lrn, got, (2, 5, 3, 3))


def test_no_bias_convolution():
    torch.manualSeed(6)
    ref = nn.SpatialConvolution(2, 3, 3, 3).noBias().float()
    got, _ = _load(_cuda_bytes(_cudnn_object("cudnn.SpatialConvolution", ref, (), _conv_extra(2), 1)))
    assert type(got) is nn.SpatialConvolution and getattr(got, "bias", None) is None
    _same_module(ref, got, (2, 2, 5, 5))


def test_many_modules_of_one_class():
    """The reader builds the second and later objects of a class on a faster path: they convert the same way."""
    torch.manualSeed(8)
    refs = [nn.SpatialConvolution(2, 2, 3, 3, 1, 1, 1, 1).float() for _ in range(3)]
    objs = [_cudnn_object("cudnn.SpatialConvolution", r, (), _conv_extra(2), 1) for r in refs]
    grouped = {**object_payload(nn.SpatialConvolution(2, 2, 1, 1).float())[2], "groups": 2,
               "weight": torch.FloatTensor(2, 1, 1, 1)}
    objs.append(TorchObject("cudnn.SpatialConvolution", 1, grouped))
    relus = [_cudnn_object("cudnn.ReLU", nn.ReLU().float(), ("threshold", "val"), POINTWISE, 1) for _ in range(3)]
    got, refused = _load(_cuda_bytes(objs + relus))
    assert [type(m) for m in got[:3]] == [nn.SpatialConvolution] * 3 and isinstance(got[3], TorchObject)
    assert [type(m) for m in got[4:]] == [nn.ReLU] * 3 and all(m.threshold == 0 for m in got[4:])
    assert len(refused) == 1
    for ref, m in zip(refs, got):
        _same_module(ref, m, (1, 2, 4, 4))
