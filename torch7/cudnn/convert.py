"""cudnn.convert: swap a network's nn convolutions for cuDNN ones (or back), sharing their tensors."""

from __future__ import annotations

import warnings

from torch7 import nn

from .SpatialConvolution import SpatialConvolution
from .VolumetricConvolution import VolumetricConvolution

# nn class -> cudnn class. The modules not listed keep their nn class and run on CUDA through nn's kernels.
_TO_CUDNN = {nn.SpatialConvolution: SpatialConvolution, nn.SpatialConvolutionMM: SpatialConvolution,
             nn.VolumetricConvolution: VolumetricConvolution}
_TO_NN = {SpatialConvolution: nn.SpatialConvolution, VolumetricConvolution: nn.VolumetricConvolution}


def _target(dst) -> str:
    name = getattr(dst, "__name__", dst)
    if name in ("cudnn", "torch7.cudnn"):
        return "cudnn"
    if name in ("nn", "torch7.nn"):
        return "nn"
    raise ValueError(f"cudnn.convert: the destination must be cudnn or nn, got {dst!r}")


def _to_cudnn(m) -> None:
    cls = _TO_CUDNN[type(m)]
    if isinstance(m, nn.SpatialConvolutionMM):  # MM keeps a 2-D weight: view it as the 4-D kernel, no copy
        for k in ("weight", "gradWeight"):
            t = getattr(m, k, None)
            if t is not None and t.nDimension() == 2:
                setattr(m, k, t.view(m.nOutputPlane, m.nInputPlane, m.kH, m.kW))
    m.__class__ = cls
    if cls is SpatialConvolution:
        m.groups = 1


def _to_nn(m) -> None:
    if getattr(m, "groups", 1) != 1:
        raise ValueError(f"cudnn.convert: {m!r} has {m.groups} groups, which nn.SpatialConvolution cannot do")
    m.__class__ = _TO_NN[type(m)]
    vars(m).pop("groups", None)
    vars(m).pop("fastest_mode", None)


def convert(net, dst, exclusion_fn=None):
    """Swap the convolutions of ``net`` in place between ``nn`` and ``cudnn`` (cudnn.torch's ``convert``).

    The modules keep their tensors (only their class changes, as cudnn.torch swaps metatables).
    nn.SpatialConvolution, nn.SpatialConvolutionMM and nn.VolumetricConvolution become the cudnn
    classes and back; the other modules stay nn modules (on CUDA they run nn's kernels). A module
    for which ``exclusion_fn(module)`` is true is left alone; an nngraph gModule is left alone with
    a warning, as in cudnn.torch.

    Args:
        net: a module or container.
        dst: ``torch7.cudnn`` or ``torch7.nn`` (the module objects, or the names ``"cudnn"`` / ``"nn"``).
        exclusion_fn: optional predicate on a module: true keeps it as it is.

    Returns:
        ``net``.
    """
    to = _target(dst)
    table = _TO_CUDNN if to == "cudnn" else _TO_NN

    def swap(m):
        if getattr(m, "_typename", "") == "nn.gModule":
            warnings.warn("cudnn.convert: nn.gModule is left as it is (convert its modules before building the graph)",
                          stacklevel=3)
            return m
        if exclusion_fn is not None and exclusion_fn(m):
            return m
        if type(m) in table:
            (_to_cudnn if to == "cudnn" else _to_nn)(m)
        return m

    return net.replace(swap)
