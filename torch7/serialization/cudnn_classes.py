"""``cudnn.*`` modules read from ``.t7`` files, built as their ``nn`` equivalents (Lua's ``cudnn.convert(net, nn)``).

Model-zoo networks saved from Lua Torch with cudnn.torch hold ``cudnn.SpatialConvolution``, ``cudnn.ReLU`` and so
on, with CUDA tensors. cudnn.torch's ``convert`` swaps 17 of these classes to ``nn`` without touching their fields,
because each one stores the fields of its ``nn`` counterpart. The reader does the same here: the classes of
``NN_OF`` load as the ``nn`` module (CUDA tensors already load as CPU tensors), so a loaded net runs on the CPU and
``torch.save`` writes it with the ``nn`` typenames. A few fields need a fix first, where the cudnn class keeps them
differently (``cudnn.ReLU`` has no ``threshold``/``val``, ``cudnn.SpatialAveragePooling`` always divides, and
``cudnn.TemporalConvolution`` stores itself as a 2-D convolution); cudnn's own bookkeeping (descriptors' sizes, the
algorithm modes, autotuner keys, scratch buffers) is dropped, as it means nothing to the ``nn`` module.

Besides convert's 17 classes, these have an exact ``nn`` equivalent and load as it too: ``TemporalConvolution``
(without padding), ``SpatialSoftMax``, ``SpatialLogSoftMax``, ``ClippedReLU(ceiling)`` (``nn.Clamp(0, ceiling)``),
``SpatialDilatedConvolution`` and ``VolumetricDilatedConvolution``. A convolution with ``groups > 1`` (which no
``nn`` convolution has) and a padded ``TemporalConvolution`` stay ``TorchObject`` records, with a warning. The other
cudnn classes (the RNNs, whose packed weights have no ``nn`` layout, ``SpatialDivisiveNormalization``,
``VolumetricSoftMax``, the cross-entropy criteria) are unknown classes, as before.

Note: like ``cudnn.convert``, ``cudnn.SoftMax``/``LogSoftMax`` become ``nn.SoftMax``/``LogSoftMax``; on 3-D and 4-D
inputs cuDNN normalised over all of C x H x W, ``nn`` over C at each position (the same for 1-D and 2-D inputs).

When ``torch7.cudnn`` is imported (GPU and frontend present), the classes of cudnn.convert's list load as its
classes instead (the same fields, then the class swapped as ``cudnn.convert(m, cudnn)`` does), which keeps
``SoftMax``'s per-sample rule and runs the convolutions through cuDNN; a ``SpatialConvolution`` with groups
then loads too (as ``torch7.cudnn.SpatialConvolution``).
"""

from __future__ import annotations

import numbers
import warnings

# cudnn typename -> the nn typename it loads as.
NN_OF: dict[str, str] = {f"cudnn.{n}": f"nn.{n}" for n in (
    # cudnn.convert's list
    "BatchNormalization", "SpatialBatchNormalization", "SpatialConvolution", "SpatialCrossMapLRN",
    "SpatialFullConvolution", "SpatialMaxPooling", "SpatialAveragePooling", "ReLU", "Tanh", "Sigmoid", "SoftMax",
    "LogSoftMax", "VolumetricBatchNormalization", "VolumetricConvolution", "VolumetricFullConvolution",
    "VolumetricMaxPooling", "VolumetricAveragePooling",
    # same fields and results as their nn class, though convert leaves them alone
    "TemporalConvolution", "SpatialSoftMax", "SpatialLogSoftMax", "SpatialDilatedConvolution",
    "VolumetricDilatedConvolution")}
NN_OF["cudnn.ClippedReLU"] = "nn.Clamp"

# Fields only cudnn.torch sets: tensor sizes of the last input, descriptor parameters, algorithm choices, autotuner
# keys and scratch buffers. No nn module reads them, and stale scratch tensors would only be written back.
_BOOKKEEPING = frozenset((
    "iSize", "oSize", "nElem", "iDesc", "oDesc", "oDescForBias", "weightDesc", "biasDesc", "convDesc", "convDescData",
    "poolDesc", "activDesc", "LRNDesc", "sDesc", "pad", "stride", "input_offset", "output_offset", "weight_offset",
    "autotunerHash", "iteration", "input_slice", "output_slice", "fmode", "bdmode", "bwmode", "fastest_mode",
    "workspace_limit", "extraBuffer", "scaleT", "algType", "mode", "algorithm", "_input", "_gradOutput",
    "save_mean", "save_std", "buffer", "_output", "fastMode"))


def _int(v):
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not float(v).is_integer():
        return None
    return int(v)


def _no_groups(typename: str, fields: dict) -> str | None:
    g = fields.pop("groups", 1)
    if g is None or _int(g) == 1:
        return None
    return f"groups={g!r}, which {NN_OF[typename]} does not have"


def _relu(typename: str, fields: dict) -> None:
    # cudnn.ReLU is a cudnn._Pointwise: only `inplace`; nn.ReLU is Threshold(0, 0, inplace)
    fields["threshold"] = 0
    fields["val"] = 0
    fields["inplace"] = bool(fields.get("inplace") or False)


def _clipped_relu(typename: str, fields: dict) -> str | None:
    ceiling = fields.pop("ceiling", None)
    if isinstance(ceiling, bool) or not isinstance(ceiling, numbers.Real) or not ceiling > 0:
        return f"ceiling={ceiling!r}, where nn.Clamp(0, ceiling) needs a positive number"
    fields["min_val"] = 0
    fields["max_val"] = ceiling
    fields["inplace"] = bool(fields.get("inplace") or False)
    return None


def _not_inplace(typename: str, fields: dict) -> None:
    fields.pop("inplace", None)  # a cudnn._Pointwise flag; nn.Tanh and nn.Sigmoid never work in place


def _average_pooling(typename: str, fields: dict) -> None:
    # cuDNN always averaged, counting the padding (its COUNT_EXCLUDE_PADDING mode raised an error). Without
    # `divide`, nn.SpatialAveragePooling would take the file for one from before `divide` and sum.
    fields["count_include_pad"] = True
    if typename == "cudnn.SpatialAveragePooling":
        fields["divide"] = True


def _lrn(typename: str, fields: dict) -> None:
    if "K" in fields:  # the first cudnn.SpatialCrossMapLRN called it K (renamed in its updateOutput)
        k = fields.pop("K")
        fields.setdefault("k", k)


def _temporal_convolution(typename: str, fields: dict) -> str | None:
    # cudnn.TemporalConvolution is a cudnn.SpatialConvolution over 1 x T x inputFrameSize planes: its kH/dH/padH
    # are nn's kW/dW (no padding there), its weight is already nn's outputFrameSize x (kW * inputFrameSize)
    why = _no_groups(typename, fields)
    pad = fields.pop("padH", 0)
    if why is None and pad is not None and _int(pad) != 0:
        why = f"padH={pad!r}, which nn.TemporalConvolution does not have"
    if why is not None:
        return why
    for k in ("nInputPlane", "nOutputPlane", "padW", "kW", "dW"):
        fields.pop(k, None)
    fields["kW"] = fields.pop("kH", None)
    fields["dW"] = fields.pop("dH", 1)
    rows, cols = _int(fields.get("outputFrameSize")), _int(fields.get("inputFrameSize"))
    kw = _int(fields["kW"])
    if rows is not None and cols is not None and kw is not None:
        import torch7 as torch

        for k in ("weight", "gradWeight"):
            w = fields.get(k)
            if torch.isTensor(w) and w.nElement() == rows * cols * kw and w.dim() != 2:
                fields[k] = w.contiguous().view(rows, cols * kw)
    return None


_FIX = {
    "cudnn.ReLU": _relu, "cudnn.ClippedReLU": _clipped_relu, "cudnn.Tanh": _not_inplace,
    "cudnn.Sigmoid": _not_inplace, "cudnn.SpatialAveragePooling": _average_pooling,
    "cudnn.VolumetricAveragePooling": _average_pooling, "cudnn.SpatialCrossMapLRN": _lrn,
    "cudnn.TemporalConvolution": _temporal_convolution,
}
for _n in NN_OF:
    if _n.endswith("Convolution") and _n not in _FIX:
        _FIX[_n] = _no_groups


def build(typename: str, version: int, payload: dict, str_keys: bool):
    """The ``nn`` module for a ``cudnn`` object read from a file, or a ``TorchObject`` (with a warning) when its
    settings have no ``nn`` equivalent."""
    from torch7 import nn

    from . import classes, convert
    from .objects import TorchObject

    fields = {k: v for k, v in payload.items() if k not in _BOOKKEEPING}
    cls = nn.REGISTRY[NN_OF[typename]]
    twin = _loaded_cudnn_class(typename, cls)
    if twin is not None and typename == "cudnn.SpatialConvolution" and _int(fields.get("groups", 1)) != 1:
        return classes._fill(twin.__new__(twin), version, fields, str_keys)  # groups: only torch7.cudnn has them
    fix = _FIX.get(typename)
    why = fix(typename, fields) if fix is not None else None
    if why is not None:
        warnings.warn(f"{typename} with {why}: kept as a TorchObject (no nn module computes it)", stacklevel=2)
        return TorchObject(typename, version, payload)
    # The fields are the current cudnn layout, which is nn's current one, except that an old cudnn
    # BatchNormalization (version < 2) kept running_std, as old nn ones did: nn's upgrade reads it the same way.
    if not typename.endswith("BatchNormalization"):
        version = convert.version_of(cls)
    obj = classes._fill(cls.__new__(cls), version, fields, str_keys)
    if twin is not None:  # torch7.cudnn is imported: its class, as cudnn.convert(m, cudnn) would make it
        obj.__class__ = twin
        for k, v in getattr(twin, "_cudnn_defaults", {}).items():
            vars(obj).setdefault(k, v)
    return obj


def _loaded_cudnn_class(typename: str, nn_cls: type) -> type | None:
    """torch7.cudnn's class for ``typename`` when that package is imported and the class is a convertible twin
    of ``nn_cls`` (same fields), else None: the file then loads as the nn module."""
    import sys

    if "torch7.cudnn" not in sys.modules:
        return None
    from torch7 import nn

    cls = nn.REGISTRY.get(typename)
    if cls is None or not vars(cls).get("_convertible") or getattr(cls, "_nn_twin", None) is not nn_cls:
        return None
    return cls


class _Pending:
    """What the reader holds for a cudnn object while its fields are read: ``classes`` turns it into the ``nn``
    module (``_t7_build``). One subclass per typename, so that the reader's cache of classes keeps them apart."""

    __slots__ = ()
    _typename = ""

    @classmethod
    def _t7_build(cls, version: int, payload, str_keys: bool):
        return build(cls._typename, version, payload, str_keys)


_PENDING: dict[str, type] = {}


def pending_class(typename: str) -> type | None:
    """The stand-in class the reader instantiates for ``typename``, or None when it has no ``nn`` equivalent."""
    cls = _PENDING.get(typename)
    if cls is None and typename in NN_OF:
        name = "Pending" + typename.split(".", 1)[1]
        cls = _PENDING[typename] = type(name, (_Pending,), {"__slots__": (), "_typename": typename})
    return cls
