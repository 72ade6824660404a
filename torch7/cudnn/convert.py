"""cudnn.convert: swap a network's nn layers for their torch7.cudnn twins (or back), sharing their tensors."""

from __future__ import annotations

import sys
import warnings

from torch7 import nn


def _tables() -> tuple[dict, dict]:
    """(nn class -> cudnn class, cudnn class -> nn class) over the classes that declare ``_convertible``."""
    pkg = sys.modules["torch7.cudnn"]
    to_cudnn, to_nn = {}, {}
    for v in vars(pkg).values():
        if isinstance(v, type) and vars(v).get("_convertible") and getattr(v, "_nn_twin", None) is not None:
            to_cudnn[v._nn_twin] = v
            to_nn[v] = v._nn_twin
    to_cudnn[nn.SpatialConvolutionMM] = pkg.SpatialConvolution  # as cudnn.torch does
    return to_cudnn, to_nn


def _target(dst) -> str:
    name = getattr(dst, "__name__", dst)
    if name in ("cudnn", "torch7.cudnn"):
        return "cudnn"
    if name in ("nn", "torch7.nn"):
        return "nn"
    raise ValueError(f"cudnn.convert: the destination must be cudnn or nn, got {dst!r}")


def _to_cudnn(m, cls) -> None:
    if isinstance(m, nn.SpatialConvolutionMM):  # MM keeps a 2-D weight: view it as the 4-D kernel, no copy
        for k in ("weight", "gradWeight"):
            t = getattr(m, k, None)
            if t is not None and t.nDimension() == 2:
                setattr(m, k, t.view(m.nOutputPlane, m.nInputPlane, m.kH, m.kW))
    m.__class__ = cls
    for k, v in getattr(cls, "_cudnn_defaults", {}).items():
        vars(m).setdefault(k, v)


def _to_nn(m, cls) -> None:
    check = getattr(m, "_check_nn_twin", None)
    if check is not None:
        check()  # e.g. a grouped convolution has no nn twin
    for k in getattr(type(m), "_cudnn_defaults", {}):
        vars(m).pop(k, None)
    vars(m).pop("fastest_mode", None)
    m.__class__ = cls


def convert(net, dst, exclusion_fn=None):
    """Swap the layers of ``net`` in place between ``nn`` and ``cudnn`` (cudnn.torch's ``convert``).

    The modules keep their tensors (only their class changes, as cudnn.torch swaps metatables). The
    classes swapped are those of cudnn.torch's list that torch7.cudnn has (each declares its nn twin),
    plus nn.SpatialConvolutionMM, which becomes cudnn.SpatialConvolution. A module for which
    ``exclusion_fn(module)`` is true is left alone; an nngraph gModule is left alone with a warning, as
    in cudnn.torch.

    Args:
        net: a module or container.
        dst: ``torch7.cudnn`` or ``torch7.nn`` (the module objects, or the names ``"cudnn"`` / ``"nn"``).
        exclusion_fn: optional predicate on a module: true keeps it as it is.

    Returns:
        ``net``.
    """
    to = _target(dst)
    to_cudnn, to_nn = _tables()
    table = to_cudnn if to == "cudnn" else to_nn

    def swap(m):
        if getattr(m, "_typename", "") == "nn.gModule":
            warnings.warn("cudnn.convert: nn.gModule is left as it is (convert its modules before building the graph)",
                          stacklevel=3)
            return m
        if exclusion_fn is not None and exclusion_fn(m):
            return m
        cls = table.get(type(m))
        if cls is not None:
            (_to_cudnn if to == "cudnn" else _to_nn)(m, cls)
        return m

    return net.replace(swap)
