"""Field conversions between Torch7's stored nn fields and this library's, per class.

Torch7 stores dims, positions, offsets, class labels and index tensors 1-based; this library keeps
the same field names with 0-based values (see docs/porting.md, section "nn"). ``to_python`` turns
the fields read from a ``.t7`` file into the fields of our instance (shifting the 1-based values,
upgrading old layouts, filling the fields a file may lack); ``to_lua`` does the reverse for
``torch.save``.

The conversion kinds, per field:

* ``DIM``: a dim, position or offset. Torch7 ``n >= 1`` is ``n - 1`` here; negative values count
  from the end in both and stay as they are (Torch7's 0 is no valid dim and stays 0).
* ``LABEL``: a class label that may be a sentinel (``ignoreIndex``): Torch7 ``n >= 0`` is ``n - 1``
  here (so Torch7's "ignore target 0" becomes "ignore target -1"); other negatives (``-100``) stay.
* ``INDEX``: a tensor of 1-based indices: a shifted copy is made (the file's tensor is left alone).
* ``PAIRS``: a list of ``[d1, d2]`` dim pairs (``Transpose.permutations``).
* ``SPARSE``: an ``N x 3`` tensor of ``(sample, feature index, value)`` rows (``SparseLinear.formatted_input``):
  the first two columns are shifted.
* ``POOL_INDEX``: the ``indices`` buffer of a max pooling (THNN's 1-based flat positions in the input
  plane or volume): an integer tensor becomes a shifted LongTensor copy; a floating tensor (the layouts of
  nn versions before THNN, e.g. separate x/y planes of window offsets) becomes an empty LongTensor, which
  the next forward fills again.
* ``PAD``: an optional index where Torch7's 0 means "none" (``LookupTable.paddingValue``): Torch7 ``n >= 1``
  is ``n - 1`` here, Torch7's 0 is None here (and None is written as 0).

Old layouts are upgraded after the shift (``UPGRADES``, per class, following each Torch7 class's own
``read``/back-compatibility code): SpatialConvolution's ``padding`` and 2-D weights, pooling without
``ceil_mode``, BatchNormalization ``running_std`` (version < 2), and so on.

Fields not named in the table (including Torch7 fields this library does not use) are kept as they
are, so they are written back unchanged.
"""

from __future__ import annotations

import numbers

from .fieldtables import (  # noqa: F401  (re-exported: the kinds are part of this module's vocabulary)
    _PROTO_ARGS,
    DEFAULTS,
    DIM,
    FIELDS,
    INDEX,
    LABEL,
    PAD,
    PAIRS,
    POOL_INDEX,
    SPARSE,
    VERSIONS,
)

_protos: dict[type, dict | None] = {}


def _lookup(table: dict, cls: type) -> dict:
    """The merged entries of ``table`` for ``cls`` and its bases (the most derived class wins)."""
    out: dict = {}
    for base in reversed(cls.__mro__):
        name = base.__dict__.get("_typename")
        if name is not None and name in table:
            out.update(table[name])
    return out


def fields_of(cls: type) -> dict[str, str]:
    """The converted fields of ``cls`` (``{field: kind}``)."""
    return _lookup(FIELDS, cls)


def version_of(cls: type) -> int:
    """The serialization version written for ``cls`` (1 unless Torch7 declares another)."""
    for base in cls.__mro__:
        name = base.__dict__.get("_typename")
        if name in VERSIONS:
            return VERSIONS[name]
    return 1


# ---- scalar and tensor shifts ------------------------------------------------------------------------------

def _as_int(v):
    """``v`` as an int when it is an integral number (not a bool), else None."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    if isinstance(v, numbers.Integral):
        return int(v)
    return int(v) if float(v).is_integer() else None


def _shift_scalar(kind: str, v, to_lua: bool):
    n = _as_int(v)
    if n is None:
        return v  # None/nil, strings (SelectTable keys), non-integral numbers: unchanged
    if kind == DIM:
        if to_lua:
            return n + 1 if n >= 0 else n
        return n - 1 if n >= 1 else n
    # LABEL
    if to_lua:
        return n + 1 if n >= -1 else n
    return n - 1 if n >= 0 else n


def _shift_tensor(t, delta: int, memo: dict):
    import torch7 as torch

    if not torch.isTensor(t):
        return t
    key = id(t)
    if key not in memo:
        memo[key] = t.clone().add(delta) if t.nElement() else t.clone()
    return memo[key]


_INT_TENSORS = ("torch.LongTensor", "torch.IntTensor", "torch.ShortTensor", "torch.CharTensor", "torch.ByteTensor")


def _pool_index(t, to_lua: bool, memo: dict):
    import torch7 as torch

    if not torch.isTensor(t):
        return t
    key = id(t)
    if key not in memo:
        if t.type() not in _INT_TENSORS:
            memo[key] = torch.LongTensor()  # an older nn layout: no use to this library's backward
        else:
            c = t.long() if t.type() != "torch.LongTensor" else t.clone()
            memo[key] = c.add(1 if to_lua else -1) if c.nElement() else c
    return memo[key]


def _convert(kind: str, v, to_lua: bool, memo: dict):
    if kind in (DIM, LABEL):
        return _shift_scalar(kind, v, to_lua)
    if kind == INDEX:
        return _shift_tensor(v, 1 if to_lua else -1, memo)
    if kind == SPARSE:
        import torch7 as torch

        if not torch.isTensor(v) or v.dim() != 2 or v.size(1) != 3 or id(v) in memo:
            return memo.get(id(v), v)
        c = v.clone()
        c._a[:, :2] += 1 if to_lua else -1
        memo[id(v)] = c
        return c
    if kind == POOL_INDEX:
        return _pool_index(v, to_lua, memo)
    if kind == PAD:
        n = _as_int(v)
        if to_lua:
            return 0 if v is None else (n + 1 if n is not None and n >= 0 else v)
        return None if n is not None and n <= 0 else (n - 1 if n is not None else v)
    if kind == PAIRS:
        if isinstance(v, dict):  # a Lua table that did not come back as a list
            return {k: _convert(PAIRS, p, to_lua, memo) for k, p in v.items()}
        if isinstance(v, (list, tuple)):
            return [_convert(PAIRS, p, to_lua, memo) if isinstance(p, (list, tuple, dict))
                    else _shift_scalar(DIM, p, to_lua) for p in v]
        return v
    raise ValueError(f"unknown conversion kind {kind!r}")


# ---- load ---------------------------------------------------------------------------------------------------

def _is_empty_default(v) -> bool:
    import torch7 as torch

    if v is None or isinstance(v, (bool, str)):
        return True
    if isinstance(v, (list, dict, tuple)):
        return len(v) == 0
    if torch.isTensor(v):
        return v.nElement() == 0
    if torch.isStorage(v):
        return v.size() == 0
    return False


def _prototype(cls: type) -> dict | None:
    """The empty fields of a small instance of ``cls`` (cached), or None when it cannot be built."""
    if cls in _protos:
        return _protos[cls]
    import warnings

    import torch7 as torch
    from torch7 import nn

    make = _PROTO_ARGS.get(cls.__dict__.get("_typename", ""))
    proto = None
    rng = torch.getRNGState()  # building the prototype (random init) must not move the user's random stream
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inst = cls(*(make(nn) if make else ()))
        proto = {k: v for k, v in vars(inst).items() if _is_empty_default(v)}
    except Exception:  # noqa: BLE001 - a class that needs arguments we do not know: no prototype
        proto = None
    finally:
        torch.setRNGState(rng)
    _protos[cls] = proto
    return proto


def _fresh(v, float_type: str | None):
    """A new object like the empty default ``v`` (tensors follow the module's floating type)."""
    import torch7 as torch
    from torch7._core import types as T

    if torch.isTensor(v):
        if float_type and v.type() == "torch.DoubleTensor" and float_type != v.type():
            try:
                return T.tensor_class(float_type)()
            except Exception:  # noqa: BLE001 - an unknown type name in the file: keep a DoubleTensor
                pass
        return type(v)()
    if torch.isStorage(v):
        return type(v)()
    if isinstance(v, list):
        return []
    if isinstance(v, dict):
        return {}
    return v


def _module_type(fields: dict) -> str | None:
    t = fields.get("_type")
    if type(t) is bytes:
        t = t.decode("latin-1")
    if type(t) is str and t.startswith("torch.") and t.endswith("Tensor"):
        return _CUDA_HOST.get(t, t)
    from torch7._core.tensor import Tensor

    for k in ("weight", "output", "bias"):
        v = fields.get(k)
        if isinstance(v, Tensor):
            return v.type()
    return None


_CUDA_HOST = {"torch.CudaTensor": "torch.FloatTensor", "torch.CudaDoubleTensor": "torch.DoubleTensor",
              "torch.CudaHalfTensor": "torch.FloatTensor", "torch.CudaLongTensor": "torch.LongTensor",
              "torch.CudaIntTensor": "torch.IntTensor", "torch.CudaByteTensor": "torch.ByteTensor",
              "torch.CudaCharTensor": "torch.CharTensor", "torch.CudaShortTensor": "torch.ShortTensor"}


def _host_type(t: str) -> str:
    """The CPU type of a module type name (CUDA tensors load as CPU tensors, and so do modules)."""
    return _CUDA_HOST.get(t, t)


_plans: dict[type, tuple] = {}


def _plan(cls: type) -> tuple:
    """What ``to_python`` needs of ``cls``, computed once per class: (converted fields, defaults, is a Module,
    the upgrade function when some base class of ``cls`` has old layouts to upgrade, else None, and for a
    module with none of these: the fields a payload must have for ``to_python`` to have nothing to do)."""
    plan = _plans.get(cls)
    if plan is None:
        from torch7.nn.Module import Module

        from . import upgrades  # here, not at the top: upgrades.py imports this module

        conv, defaults, is_module = fields_of(cls), tuple(_lookup(DEFAULTS, cls).items()), issubclass(cls, Module)
        upgrade = upgrades.upgrade if upgrades._plan(cls)[0] else None
        proto = _protos[cls] if cls in _protos else _prototype(cls)
        need = None
        if not conv and not defaults and upgrade is None and is_module and proto is not None:
            need = frozenset(proto) | {"output", "gradInput", "_type"}
        plan = _plans[cls] = (conv, defaults, is_module, upgrade, need)
    return plan


# The module types to_python keeps as they are (any other one, CUDA types included, takes the long way).
_CPU_TYPES = frozenset(f"torch.{t}Tensor" for t in ("Double", "Float", "Half", "Long", "Int", "Short", "Char",
                                                      "Byte"))


def to_python(cls: type, version: int, payload: dict) -> dict:
    """The fields of a new ``cls`` instance from the fields read from a file (a new dict)."""
    conv, defaults, is_module, upgrade, need = _plans.get(cls) or _plan(cls)
    if need is not None:  # the common case (a module whose file has all its fields): a plain copy
        t = payload.get("_type")
        if type(t) is str and t in _CPU_TYPES and need <= payload.keys():
            return dict(payload)
    if conv and not conv.keys().isdisjoint(payload):
        memo: dict = {}
        fields = {k: v if (kind := conv.get(k)) is None else _convert(kind, v, False, memo)
                  for k, v in payload.items()}
    else:
        fields = dict(payload)
    if upgrade is not None:
        upgrade(cls, fields, version)
    for k, v in defaults:
        if k not in fields:
            fields[k] = v
    t = fields.get("_type")
    ftype = _CUDA_HOST.get(t, t) if type(t) is str and t.startswith("torch.") and t.endswith("Tensor") else (
        _module_type(fields))
    if is_module and (t is None or ftype is not None):
        fields["_type"] = ftype or "torch.DoubleTensor"
    proto = _protos[cls] if cls in _protos else _prototype(cls)
    if proto is not None:
        for k, v in proto.items():
            if k not in fields:
                fields[k] = _fresh(v, ftype)
    for k in ("output", "gradInput"):  # the base fields, also when no prototype could be built
        if k not in fields:
            fields[k] = _fresh(_empty_tensor(), ftype) if is_module or k == "gradInput" else 0
    return fields


def _empty_tensor():
    import torch7 as torch

    return torch.DoubleTensor()


# ---- save ---------------------------------------------------------------------------------------------------

def to_lua(obj, memo: dict | None = None) -> dict:
    """The fields to write for ``obj`` (a new dict; ``None`` fields are left out, as Lua has no nil fields).

    ``memo`` (id of a tensor -> its converted copy) is shared by the writer across the objects of one file, so
    that a tensor two modules share (a max pooling's ``indices`` and its unpooling's) is one tensor in the file.
    """
    conv = fields_of(type(obj))
    memo = {} if memo is None else memo
    out = {}
    items = vars(obj)
    if "modules" in items:
        # Children first: a reader that builds the net from the first occurrence of each module (OpenCV's
        # importer) must meet a child inside ``modules``, not in another field that refers to it
        # (Inception.pool, SpatialMaxUnpooling.pooling).
        items = {"modules": items["modules"], **items}
    for k, v in items.items():
        kind = conv.get(k) if isinstance(k, str) else None
        if kind is not None:
            v = _convert(kind, v, True, memo)
        if v is not None:
            out[k] = v
    return out
