"""Upgrades of old ``.t7`` field layouts, per class, following each Torch7 class's read/back-compatibility code.

Applied by ``convert.to_python`` after the 1-based shift: SpatialConvolution's ``padding`` and 2-D
weights, pooling without ``ceil_mode``, BatchNormalization ``running_std`` (version < 2), and so on.
"""

from __future__ import annotations

import numbers

from .convert import _PROTO_ARGS, _as_int

_names: dict[type, tuple] = {}


def upgrade(cls: type, fields: dict, version: int) -> None:
    """Old field layouts, upgraded in place (after the 1-based shift)."""
    names, fns = _names.get(cls) or _plan(cls)
    if not names:
        return
    if "nn.Dropout" in names and "v2" not in fields:
        fields["v2"] = False  # files written before v2 existed behave as v1 (scaled at test time)
    if "nn.Sum" in names and "squeeze" not in fields:
        fields["squeeze"] = True  # old Sum always squeezed the summed dimension
    if "nn.GradientReversal" in names and version < 2 and "lambda" not in fields:
        fields["lambda"] = 1
    for fn in fns:  # base classes first
        fn(cls, fields, version)


_SPECIAL = frozenset(("nn.Dropout", "nn.Sum", "nn.GradientReversal"))


def _plan(cls: type) -> tuple:
    """(the typenames along the MRO that need an upgrade, their upgrade functions, base classes first), cached."""
    names = [b.__dict__.get("_typename") for b in reversed(cls.__mro__)]
    fns = tuple(UPGRADES[n] for n in names if n in UPGRADES)
    plan = _names[cls] = (frozenset(n for n in names if n in _SPECIAL or n in UPGRADES), fns)
    return plan


def _view_weight(fields: dict, shape: tuple) -> None:
    """View ``weight`` and ``gradWeight`` to ``shape`` where they hold that many elements in another shape."""
    import torch7 as torch

    if any(not isinstance(n, numbers.Integral) or isinstance(n, bool) for n in shape):
        return
    numel = 1
    for n in shape:
        numel *= int(n)
    for k in ("weight", "gradWeight"):
        w = fields.get(k)
        if torch.isTensor(w) and w.nElement() == numel and numel and tuple(w.size()) != tuple(shape):
            fields[k] = (w if w.isContiguous() else w.contiguous()).view(*[int(n) for n in shape])


def _dims(fields: dict, *names: str):
    """The integer values of ``names`` in ``fields``, or None when one is missing."""
    out = [_as_int(fields.get(n)) for n in names]
    return None if any(v is None for v in out) else tuple(out)


def _conv_padding(fields: dict) -> None:
    """Torch7's first SpatialConvolution(MM) stored one ``padding`` for both sides (``backCompatibility``),
    or none at all, and the first SpatialConvolutionMM no stride."""
    if "padding" in fields:
        pad = fields.pop("padding")
        fields["padW"] = pad
        fields["padH"] = pad
    fields.setdefault("padW", 0)
    fields.setdefault("padH", 0)
    fields.setdefault("dW", 1)  # the first SpatialConvolutionMM had no stride
    fields.setdefault("dH", 1)


def _up_spatial_convolution(cls: type, fields: dict, version: int) -> None:
    _conv_padding(fields)
    # files written by SpatialConvolution versions that kept the weight 2-D (nOut x nIn*kH*kW)
    d = _dims(fields, "nOutputPlane", "nInputPlane", "kH", "kW")
    if d is not None and _weight_dim(cls) == 4:
        _view_weight(fields, d)


def _up_spatial_convolution_mm(cls: type, fields: dict, version: int) -> None:
    _conv_padding(fields)
    d = _dims(fields, "nOutputPlane", "nInputPlane", "kH", "kW")
    if d is not None:
        want = _weight_dim(cls)
        if want == 2:
            _view_weight(fields, (d[0], d[1] * d[2] * d[3]))
        elif want == 4:
            _view_weight(fields, d)


def _up_max_pooling(cls: type, fields: dict, version: int) -> None:
    fields.setdefault("ceil_mode", False)  # added with padding; older files floor
    fields.setdefault("padW", 0)
    fields.setdefault("padH", 0)


def _up_average_pooling(cls: type, fields: dict, version: int) -> None:
    if "ceil_mode" not in fields:  # written before padding and ceil mode existed
        fields["ceil_mode"] = False
        fields["count_include_pad"] = True
        fields["padW"] = 0
        fields["padH"] = 0
    fields.setdefault("count_include_pad", True)
    # Torch7 multiplies the output by kW*kH when ``divide`` is missing (files from before it was added)
    fields.setdefault("divide", False)


def _up_full_convolution(cls: type, fields: dict, version: int) -> None:
    for k in ("padW", "padH", "adjW", "adjH"):
        fields.setdefault(k, 0)


def _up_volumetric_full_convolution(cls: type, fields: dict, version: int) -> None:
    for k in ("padT", "padW", "padH", "adjT", "adjW", "adjH"):
        fields.setdefault(k, 0)


def _up_volumetric_max_pooling(cls: type, fields: dict, version: int) -> None:
    if version < 2:
        fields["ceil_mode"] = False  # VolumetricMaxPooling:read
    fields.setdefault("ceil_mode", False)
    for k in ("padT", "padW", "padH"):
        fields.setdefault(k, 0)


def _up_volumetric_average_pooling(cls: type, fields: dict, version: int) -> None:
    # padding, ceil mode and count_include_pad came after the first VolumetricAveragePooling
    for k in ("padT", "padW", "padH"):
        fields.setdefault(k, 0)
    fields.setdefault("ceil_mode", False)
    fields.setdefault("count_include_pad", True)


def _up_volumetric_convolution(cls: type, fields: dict, version: int) -> None:
    for k in ("padT", "padW", "padH"):  # the first VolumetricConvolution had no padding
        fields.setdefault(k, 0)


def _up_batch_normalization(cls: type, fields: dict, version: int) -> None:
    import torch7 as torch

    std = fields.get("running_std")
    if version < 2 and torch.isTensor(std):  # BN:read: running_var = running_std^-2 - eps
        eps = fields.get("eps", 1e-5)
        fields["running_var"] = std.clone().pow(-2).add(-eps)
        del fields["running_std"]


def _up_max_unpooling(cls: type, fields: dict, version: int) -> None:
    from torch7.nn.Module import Module

    pool = fields.get("pooling")
    if isinstance(pool, Module) and "indices" in vars(pool):
        fields["indices"] = pool.indices  # the unpooling uses its pooling module's indices


def _up_lookup_table(cls: type, fields: dict, version: int) -> None:
    fields.setdefault("shouldScaleGradByFreq", False)
    fields.setdefault("paddingValue", None)


# typename -> upgrade(cls, fields, version), applied along the MRO (base classes first).
UPGRADES: dict = {
    "nn.SpatialConvolution": _up_spatial_convolution,
    "nn.SpatialConvolutionMM": _up_spatial_convolution_mm,
    "nn.SpatialMaxPooling": _up_max_pooling,
    "nn.SpatialAveragePooling": _up_average_pooling,
    "nn.SpatialFullConvolution": _up_full_convolution,
    "nn.VolumetricFullConvolution": _up_volumetric_full_convolution,
    "nn.VolumetricMaxPooling": _up_volumetric_max_pooling,
    "nn.VolumetricAveragePooling": _up_volumetric_average_pooling,
    "nn.VolumetricConvolution": _up_volumetric_convolution,
    "nn.BatchNormalization": _up_batch_normalization,
    "nn.SpatialMaxUnpooling": _up_max_unpooling,
    "nn.VolumetricMaxUnpooling": _up_max_unpooling,
    "nn.LookupTable": _up_lookup_table,
}

_weight_dims: dict[type, int | None] = {}


def _weight_dim(cls: type) -> int | None:
    """The number of dims of the weight of a small instance of ``cls`` (cached), or None."""
    if cls not in _weight_dims:
        import warnings

        import torch7 as torch
        from torch7 import nn

        make = _PROTO_ARGS.get(cls.__dict__.get("_typename", ""))
        rng = torch.getRNGState()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                w = getattr(cls(*(make(nn) if make else ())), "weight", None)
            _weight_dims[cls] = w.dim() if torch.isTensor(w) else None
        except Exception:  # noqa: BLE001 - a class that needs arguments we do not know
            _weight_dims[cls] = None
        finally:
            torch.setRNGState(rng)
    return _weight_dims[cls]
