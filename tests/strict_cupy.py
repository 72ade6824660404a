"""``StrictCupy``: NumPy dressed as CuPy, as unforgiving as CuPy about where memory lives (CI has no GPU).

``cuda_fakes.EmuCupy`` hands out plain NumPy arrays, so a layer that builds a host array
(``np.zeros``, ``np.arange``) and mixes it with a device array passes there and fails on a GPU.
Here a device array is a :class:`DevArray`, which is *not* a ``numpy.ndarray`` and behaves as
``cupy.ndarray`` does where that matters:

- a NumPy array meeting a device array in a ufunc, a NumPy function, an index or an assignment
  raises ``TypeError`` (CuPy: "Unsupported type <class 'numpy.ndarray'>");
- ``numpy.asarray(device_array)`` raises ``TypeError`` (CuPy: "Implicit conversion to a NumPy array
  is not allowed"); ``.get()`` and ``cupy.asnumpy`` copy to the host, ``cupy.asarray`` copies up;
- reductions and integer indexing give 0-d device arrays, not NumPy scalars;
- ufuncs take no ``order=`` or ``where=``, ``take`` no ``mode=`` (CuPy 14's signatures);
- ``a.data`` is a memory pointer and ``cupy.ndarray(shape, dtype, memptr=, strides=)`` views it.

The arithmetic is NumPy's, so results equal the host path exactly: what this finds is code that
would not run on a device at all, not rounding differences (the ``gpu`` tests see those).

Stream capture (``Stream.begin_capture``/``end_capture``, tests/cuda_fakes.py) is emulated too: cuBLAS
through CuPy and anything that synchronises with the host (``.get()``, ``float(a)``, an upload from host
memory, results sized by device data) are refused as CUDA refuses them, and every device operation made
while capturing is recorded, so that launching the graph computes it again on the same memory. As on a
GPU, a capture leaves the memory that existed before it as it was: the operations run (NumPy needs their
results' shapes) and that memory is then restored.
"""

from __future__ import annotations

import types
import weakref

import cxx_kernels
import numpy as np
from cuda_fakes import FakeCupy
from numpy.lib.mixins import NDArrayOperatorsMixin

_NO_UFUNC_KW = ("order", "where", "subok")
# Keyword arguments NumPy's functions take and CuPy 14's do not (checked against its signatures).
_NO_KW = {"einsum": ("out", "order", "casting"), "take": ("mode",), "sum": ("where", "initial"),
          "prod": ("where", "initial"), "max": ("where", "initial"), "min": ("where", "initial"),
          "amax": ("where", "initial"), "amin": ("where", "initial"), "mean": ("where",)}


def _mixed(who: str, a) -> TypeError:
    return TypeError(f"{who}: Unsupported type {type(a)} (shape {a.shape}): a host NumPy array met a device "
                     "array (CuPy refuses this; build the array with the device engine)")


def _host(x, who: str):
    """``x`` with device arrays unwrapped; a NumPy array, or an array of another device, is refused."""
    if isinstance(x, DevArray):
        if x._dev != _RUNTIME.dev:
            raise ValueError(f"{who}: the array is on device {x._dev} but the current device is {_RUNTIME.dev}")
        return x._h
    if isinstance(x, np.ndarray) and x.ndim:  # 0-d ones pass as scalars, as in CuPy
        raise _mixed(who, x)
    if isinstance(x, (list, tuple)):
        return type(x)(_host(v, who) for v in x)
    return x


def _dev(x):
    """Results as device arrays (NumPy scalars become 0-d arrays, as CuPy returns them)."""
    if isinstance(x, np.ndarray):
        return DevArray._wrap(x)
    if isinstance(x, np.generic):
        return DevArray._wrap(np.asarray(x))
    if isinstance(x, tuple):
        return tuple(_dev(v) for v in x)
    if isinstance(x, list):
        return [_dev(v) for v in x]
    return x


_CUBLAS = ("matmul", "dot", "tensordot", "einsum", "inner", "vdot")  # what CuPy computes with cuBLAS


def _no_cublas_in_capture(who: str) -> None:
    if _RUNTIME_CAPTURING() and who.rpartition(".")[2] in _CUBLAS:
        raise NotImplementedError("calling cuBLAS API during stream capture is currently unsupported")


def _RUNTIME_CAPTURING():  # noqa: N802 - reads like the flag it is
    return getattr(_RUNTIME, "capturing", None) is not None


def _sync(what: str) -> None:
    """A host synchronisation: refused while a stream captures, as CUDA refuses it."""
    if _RUNTIME_CAPTURING():
        _RUNTIME.refuse_during_capture(what)


# ---- stream capture: every device operation made while a stream captures is recorded as a function that
# computes it again on the same memory (a result it allocated is refilled in place), and the fake graph runs
# them in order at each launch. Unlike CUDA, the operations also run at capture.
def _record(op) -> None:
    if _RUNTIME_CAPTURING():
        _RUNTIME.capturing.log.append(op)


def _refill(made, fresh) -> None:
    """Write a re-computed result ``fresh`` into the arrays ``made`` that the first run returned (a view is
    the same memory again: nothing to write)."""
    if isinstance(made, np.ndarray):
        if not (isinstance(fresh, np.ndarray) and np.may_share_memory(made, fresh)):
            made[...] = fresh
    elif isinstance(made, tuple | list) and isinstance(fresh, tuple | list):
        for m, f in zip(made, fresh):
            _refill(m, f)


def _arrays(res):
    """NumPy scalars as 0-d arrays: the device results are arrays, which a replay can refill."""
    if isinstance(res, np.generic):
        return np.asarray(res)
    if isinstance(res, tuple | list):
        return type(res)(_arrays(r) for r in res)
    return res


def _run(fn, args, kwargs):
    """``fn`` on host arrays, recorded when a stream captures."""
    res = _arrays(fn(*args, **kwargs))
    if _RUNTIME_CAPTURING():
        made = res if "out" not in kwargs else None
        _record(lambda: _refill(made, fn(*args, **kwargs)) if made is not None else fn(*args, **kwargs))
    return res


# CuPy functions whose result size (or value) the host must read from the device first
_SIZED_BY_DATA = ("nonzero", "argwhere", "flatnonzero", "unique", "compress", "extract", "item", "tolist")


def _call(fn, who, args, kwargs):
    _no_cublas_in_capture(who)
    name = who.rpartition(".")[2]
    if name in _SIZED_BY_DATA or (name == "where" and len(args) == 1):
        _sync(who)
    if who.endswith("repeat") and len(args) > 1 and isinstance(args[1], DevArray):
        raise TypeError(f"{who}: cupy.ndarray cannot be specified as `repeats` argument")
    for k in _NO_KW.get(who.rpartition(".")[2], ()):
        if k in kwargs:
            raise TypeError(f"{who}: CuPy's {who.rpartition('.')[2]} takes no {k}= argument")
    out = kwargs.get("out")
    res = _run(fn, _host(args, who), {k: _host(v, who) for k, v in kwargs.items()})
    return out if isinstance(out, DevArray) else _dev(res)


def _root(h: np.ndarray) -> np.ndarray:
    while isinstance(h.base, np.ndarray):
        h = h.base
    return h


def _address(h: np.ndarray) -> int:
    return h.__array_interface__["data"][0]


class MemoryPointer:
    """``cupy.cuda.MemoryPointer``: an allocation and a byte offset into it."""

    def __init__(self, root: np.ndarray, off: int) -> None:
        self._root, self._off = root, off

    @property
    def ptr(self) -> int:
        return _address(self._root) + self._off

    def __add__(self, n: int) -> MemoryPointer:
        return MemoryPointer(self._root, self._off + int(n))


_RUNTIME = types.SimpleNamespace(dev=0)  # the current device: the runtime of the last StrictCupy made
_MEMORY: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # id -> every device allocation alive
_SNAPSHOT: list = []  # (allocation, its bytes) taken when a capture begins
_STRICT: list = []  # that StrictCupy, whose replaced functions (cupy.matmul = f) its arrays dispatch to


class DevArray(NDArrayOperatorsMixin):
    """``cupy.ndarray`` on host memory: see the module docstring for what it refuses."""

    __slots__ = ("_h", "_dev")
    __hash__ = None

    def __init__(self, shape, dtype=float, memptr: MemoryPointer | None = None, strides=None, order="C") -> None:
        self._dev = _RUNTIME.dev
        if memptr is None:
            self._h = np.empty(shape, dtype, order=order)
            _MEMORY[id(self._h)] = self._h
        else:
            buf = memptr._root.ravel(order="K")
            self._h = np.ndarray(shape, dtype, buffer=buf, offset=memptr._off, strides=strides)

    @classmethod
    def _wrap(cls, h: np.ndarray) -> DevArray:
        d = object.__new__(cls)
        d._h, d._dev = h, _RUNTIME.dev
        root = _root(h)
        _MEMORY[id(root)] = root
        return d

    # -- what CuPy offers beyond NumPy, and what it refuses --------------------------------------
    @property
    def data(self) -> MemoryPointer:
        root = _root(self._h)
        return MemoryPointer(root, _address(self._h) - _address(root))

    @property
    def __cuda_array_interface__(self) -> dict:
        return dict(self._h.__array_interface__, version=3)

    @property
    def device(self):
        return types.SimpleNamespace(id=self._dev)

    def get(self) -> np.ndarray:
        _sync("ndarray.get")
        return self._h.copy()

    def __array__(self, dtype=None, copy=None):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct "
                        "a NumPy array explicitly.")

    def take(self, indices, axis=None, out=None):
        return _call(self._h.take, "ndarray.take", (indices, axis), {} if out is None else {"out": out})

    # -- NumPy's protocols: only device arrays (and Python or NumPy scalars) may take part ----------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # CuPy looks the ufunc up on the cupy module at each call (so a replaced cupy.matmul is what runs)
        mine = vars(_STRICT[0]).get(ufunc.__name__) if _STRICT and ufunc.__name__ in _CUBLAS else None
        if mine is not None and method == "__call__":
            if "out" in kwargs:
                kwargs["out"] = kwargs["out"][0]
            return mine(*inputs, **kwargs)
        return _apply_ufunc(ufunc, method, inputs, kwargs)

    # ``a @ b`` is CuPy's own product, not a lookup of ``cupy.matmul`` (unlike ``numpy.matmul(a, b)``)
    def __matmul__(self, other):
        return _apply_ufunc(np.matmul, "__call__", (self, other), {})

    def __rmatmul__(self, other):
        return _apply_ufunc(np.matmul, "__call__", (other, self), {})

    def __array_function__(self, func, types_, args, kwargs):
        mine = vars(_STRICT[0]).get(func.__name__) if _STRICT and func.__name__ in _CUBLAS else None
        if mine is not None:
            return mine(*args, **kwargs)
        return _call(func, func.__name__, args, kwargs)

    # -- the array itself ---------------------------------------------------------------------------
    def __getattr__(self, name):
        if name.startswith("__") or name in ("ctypes", "base"):  # NumPy's array protocols: CuPy has none
            raise AttributeError(f"'cupy.ndarray' object has no attribute '{name}'")
        v = getattr(self._h, name)
        if callable(v):
            return lambda *a, **k: _call(v, f"ndarray.{name}", a, k)
        return _dev(v)

    def __getitem__(self, key):
        if any(isinstance(k, DevArray) and k._h.dtype == bool for k in (key if isinstance(key, tuple) else (key,))):
            _sync("ndarray.__getitem__ with a boolean mask")  # the result's size is the mask's count
        return _dev(_run(self._h.__getitem__, (_host(key, "ndarray.__getitem__"),), {}))

    def __setitem__(self, key, value) -> None:
        _run(self._h.__setitem__, (_host(key, "ndarray.__setitem__"), _host(value, "ndarray.__setitem__")), {})

    def __len__(self) -> int:
        return len(self._h)

    def __iter__(self):
        return (_dev(v) for v in self._h)

    def __float__(self) -> float:
        _sync("ndarray.float")
        return float(self._h)

    def __int__(self) -> int:
        _sync("ndarray.int")
        return int(self._h)

    def __bool__(self) -> bool:
        _sync("ndarray.bool")
        return bool(self._h)

    def __copy__(self) -> DevArray:
        return DevArray._wrap(_run(self._h.copy, (), {}))

    def __deepcopy__(self, memo) -> DevArray:
        return self.__copy__()

    def __repr__(self) -> str:
        return repr(self._h)


def _apply_ufunc(ufunc, method, inputs, kwargs):
    """CuPy's own ufunc (``cupy.add``, ``cupy.matmul``): NumPy's on the host memory, strict about arrays."""
    who = f"{ufunc.__name__}.{method}"
    _no_cublas_in_capture(ufunc.__name__)
    bad = [k for k in _NO_UFUNC_KW if k in kwargs]
    if bad:
        raise TypeError(f"{who}: CuPy's ufuncs take no {bad[0]}= argument")
    out = kwargs.pop("out", None)
    if out is not None:
        kwargs["out"] = tuple(_host(o, who) for o in out)
    res = _run(getattr(ufunc, method), _host(inputs, who), kwargs)
    if out is not None:
        return out[0] if len(out) == 1 else out
    return _dev(res)


class _Namespace(types.ModuleType):
    """A CuPy sub-module (``cupy.linalg``, ``cupy.lib.stride_tricks``): NumPy's, strict about arrays."""

    def __init__(self, name: str, mod) -> None:
        super().__init__(name)
        self._mod = mod

    def __getattr__(self, name):
        v = getattr(self._mod, name)
        if isinstance(v, types.ModuleType):
            return _Namespace(f"{self.__name__}.{name}", v)
        if isinstance(v, type) or not callable(v):
            return v
        return lambda *a, **k: _call(v, f"cupy.{name}", a, k)


def _upload(fn):
    def up(a, *args, **kwargs):
        if isinstance(a, DevArray):
            return _call(fn, fn.__name__, (a, *args), kwargs)
        _sync(f"cupy.{fn.__name__} from the host")  # a copy from pageable host memory
        if isinstance(a, (list, tuple)):
            a = _host(a, f"cupy.{fn.__name__}")
        return DevArray._wrap(np.array(fn(a, *args, **kwargs), copy=True))  # a copy: device memory is separate
    return up


def _capture_memory(event: str) -> None:
    """A capture begins: remember every allocation's bytes; it ends: put them back (a capture computes nothing)."""
    if event == "begin":
        _SNAPSHOT[:] = [(a, a.copy()) for a in list(_MEMORY.values()) if a.flags.writeable]
    else:
        for a, kept in _SNAPSHOT:
            np.copyto(a, kept)
        _SNAPSHOT.clear()


def _drawn(h: np.ndarray) -> DevArray:
    """Random numbers on the device; a captured draw replays the numbers drawn at capture (as cuRAND's does)."""
    kept = h.copy()
    _record(lambda: np.copyto(h, kept))
    return _dev(h)


class StrictCupy(FakeCupy):
    """``cupy`` whose arrays are :class:`DevArray`, on ``n`` devices (one by default), with NumPy's arithmetic.

    Arrays remember the device that was current when they were made; using one while another device is
    current raises, as CuPy does without peer access, except in ``cupy.copy`` (a copy to the current device).
    """

    ndarray = DevArray
    if cxx_kernels.available():  # kernel bodies compiled for the host; else torch7 takes its NumPy path
        ElementwiseKernel = cxx_kernels.ElementwiseKernel
        RawModule = cxx_kernels.RawModule

    def __init__(self, n: int = 1) -> None:
        global _RUNTIME
        super().__init__(n)
        _RUNTIME = self.cuda.runtime
        _STRICT[:] = [self]
        cxx_kernels.recorder = _record
        self.cuda.runtime.capture_hooks.append(_capture_memory)
        self.__version__ = "14.2.0-strict-emulation"
        gen = np.random.default_rng(0)
        self.random = types.SimpleNamespace(
            seed=lambda s: self.seeds.append((0, s)),
            uniform=lambda a, b, size, dtype=float: _drawn(gen.uniform(a, b, size).astype(dtype)),
            normal=lambda m, s, size, dtype=float: _drawn(gen.normal(m, s, size).astype(dtype)),
            random_sample=lambda size, dtype=float: _drawn(gen.random(size).astype(dtype)))
        self.lib = _Namespace("cupy.lib", np.lib)
        self.linalg = _Namespace("cupy.linalg", np.linalg)
        for name in ("asarray", "array", "ascontiguousarray", "asanyarray"):
            setattr(self, name, _upload(getattr(np, name)))

    def copy(self, a) -> DevArray:
        return a.__copy__()

    def asnumpy(self, a) -> np.ndarray:
        return a.get() if isinstance(a, DevArray) else np.asarray(a)

    def empty(self, shape, dtype=float, order="C") -> DevArray:
        """``cupy.empty``: its bytes come through the current allocator (``cupy.cuda.using_allocator``)."""
        a = DevArray(shape, dtype, order=order)
        self.allocator(a._h.nbytes)
        return a

    def get_array_module(self, a):
        return self

    def __getattr__(self, name):
        v = getattr(np, name)
        if isinstance(v, type) or not callable(v):
            return v
        return _Ufunc(v) if isinstance(v, np.ufunc) else (lambda *a, **k: _call(v, f"cupy.{name}", a, k))


class _Ufunc:
    """A CuPy ufunc: NumPy's, refusing host arrays and returning device arrays."""

    def __init__(self, uf: np.ufunc) -> None:
        self._uf = uf
        self.__name__ = uf.__name__

    def __call__(self, *args, **kwargs):
        if any(isinstance(a, DevArray) for a in args):
            if "out" in kwargs and not isinstance(kwargs["out"], tuple):
                kwargs["out"] = (kwargs["out"],)
            return _apply_ufunc(self._uf, "__call__", args, kwargs)  # checks the rest
        return _call(self._uf, self.__name__, args, kwargs)

    def __getattr__(self, name):
        v = getattr(self._uf, name)
        return (lambda *a, **k: v(*a, **k)) if callable(v) else v
