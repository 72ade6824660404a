"""``torch.load(..., map_location='cuda')``: every tensor and storage of a loaded object moved to the GPU.

Each keeps its element type (a FloatTensor becomes a CudaTensor, a LongTensor a CudaLongTensor) and
tensors that shared a storage in the file share one device storage.  Modules, criteria and plain
tables are walked field by field; a module's recorded type follows its parameters.
"""

from __future__ import annotations

from torch7._core import types as T
from torch7._core.storage import Storage
from torch7._core.tensor import Tensor


def _cuda_name(cls, kind: str) -> str:
    short = cls._typename[6:-len(kind)]
    return f"torch.{T.CUDA_PREFIX[short]}{kind}"


def to_device(obj, cache: dict | None = None, seen: set | None = None):
    """``obj`` with its tensors and storages on the current GPU (in place for containers)."""
    from torch7.nn.utils import _cast_tensor

    cache = {} if cache is None else cache
    seen = set() if seen is None else seen
    if isinstance(obj, Tensor):
        return obj if obj._is_cuda else _cast_tensor(obj, _cuda_name(type(obj), "Tensor"), cache)
    if isinstance(obj, Storage):
        if obj._is_cuda:
            return obj
        key = ("storage", id(obj))
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = (obj, obj.type(_cuda_name(type(obj), "Storage")))
        return hit[1]
    if id(obj) in seen:
        return obj
    if isinstance(obj, list):
        seen.add(id(obj))
        obj[:] = [to_device(v, cache, seen) for v in obj]
    elif isinstance(obj, dict):
        seen.add(id(obj))
        for k in list(obj):
            obj[k] = to_device(obj[k], cache, seen)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        seen.add(id(obj))
        for k, v in list(vars(obj).items()):
            setattr(obj, k, to_device(v, cache, seen))
        if isinstance(getattr(obj, "_type", None), str) and obj._type.startswith("torch.") \
                and not obj._type.startswith("torch.Cuda"):
            obj._type = _cuda_name(T.tensor_class(obj._type), "Tensor")
    return obj
