"""copy.deepcopy of tensors and storages that keeps the sharing topology (used by Module.clone)."""

from __future__ import annotations

from .backend import strided
from .storage import Storage
from .tensor import Tensor


def _deepcopy_tensor(self: Tensor, memo: dict) -> Tensor:
    """Deep copy keeping the storage topology: views of one storage stay views of one copy."""
    if self._s is None:
        return type(self)._new(self._a.copy())
    st = memo.get(id(self._s))
    if st is None:
        st = memo[id(self._s)] = type(self._s)._from_array(self._s._a.copy())
    t = type(self)()
    if self._a.size == 0:
        t._a, t._s = st._a[0:0], st
        return t
    isz = self._a.itemsize
    t._a = strided(st._a, self._dtype, self._a.shape, tuple(s // isz for s in self._a.strides),
                   self.storageOffset())
    t._s = st
    return t


def _deepcopy_storage(self: Storage, memo: dict) -> Storage:
    st = memo.get(id(self))
    if st is None:
        st = memo[id(self)] = type(self)._from_array(self._a.copy())
    return st


Tensor.__deepcopy__ = _deepcopy_tensor
Storage.__deepcopy__ = _deepcopy_storage
