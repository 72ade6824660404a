"""``cupy.ElementwiseKernel`` for tests without a GPU: the kernel body compiled by the host's C++ compiler.

Only the form torch7's kernels use is accepted: every array parameter ``raw`` (indexed by its C-order
position, through its strides, as CuPy's CArray does), the other parameters scalars (``int32``,
``int64``, ``float32``, ``float64``), and ``size=`` given at the call. The body runs in a loop over ``i``
with the type placeholder (one capital letter) bound to the arrays' dtype, ``__device__`` erased,
``atomicAdd`` a plain add, and ``tanh``/``isnan``/... from ``<cmath>``. Arrays are
:class:`strict_cupy.DevArray` (host memory behind a device pointer). ``available()`` says whether a
compiler is there; without one ``StrictCupy`` offers no ElementwiseKernel and torch7 falls back to its
NumPy-path kernels, as it would on a CuPy without one.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile

import numpy as np

_CXX = shutil.which(os.environ.get("CXX", "g++")) or shutil.which("c++")
_SCALARS = {"int32": (ctypes.c_int32, "int32_t"), "int64": (ctypes.c_int64, "int64_t"),
            "float32": (ctypes.c_float, "float"), "float64": (ctypes.c_double, "double")}
_CTYPE = {np.dtype(np.float32): "float", np.dtype(np.float64): "double"}
_DIR = tempfile.mkdtemp(prefix="t7cxx")
_LIBS: dict = {}
# What CUDA offers that C++ lacks: __device__ erased; atomicAdd a plain add (the loop is serial); Raw<T> is
# CuPy's CArray for ``raw`` parameters: x[i] is the element at C-order position i, whatever the strides.
_HEADER = r"""#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#define __device__
using namespace std;
template <typename F> inline F atomicAdd(F* p, F v) { F o = *p; *p += v; return o; }
template <typename T> struct Raw {
    T* p; int nd; const int64_t* shape; const int64_t* strides;
    T& operator[](ptrdiff_t i) const {
        ptrdiff_t off = 0;
        for (int k = nd - 1; k >= 0; --k) { const ptrdiff_t q = i % shape[k]; i /= shape[k]; off += q * strides[k]; }
        return *(T*)((char*)p + off);
    }
};
"""


def available() -> bool:
    return _CXX is not None


def _params(text: str) -> list[tuple[bool, str, str]]:
    out = []
    for p in filter(None, (q.strip() for q in text.split(","))):
        words = p.split()
        raw = words[0] == "raw"
        typ, name = words[-2], words[-1]
        if not raw and typ not in _SCALARS:
            raise NotImplementedError(f"cxx_kernels: only raw arrays and scalars are emulated, got {p!r}")
        out.append((raw, typ, name))
    return out


class ElementwiseKernel:
    def __init__(self, in_params: str, out_params: str, operation: str, name: str = "kernel",
                 preamble: str = "", **kwargs) -> None:
        self.params = _params(in_params) + _params(out_params)
        self.operation, self.name, self.preamble = operation, name, preamble

    def _lib(self, ctype: str, placeholder: str):
        args, unpack = [], []
        for raw, t, n in self.params:
            ct = placeholder if t == placeholder else _SCALARS[t][1]
            if raw:
                args.append(f"{ct}* {n}_p, int {n}_nd, const int64_t* {n}_shape, const int64_t* {n}_strides")
                unpack.append(f"  const Raw<{ct}> {n}{{{n}_p, {n}_nd, {n}_shape, {n}_strides}};\n")
            else:
                args.append(f"{ct} {n}")
        src = (_HEADER + f"typedef {ctype} {placeholder};\n{self.preamble}\n"
               f'extern "C" void {self.name}({", ".join(args)}, ptrdiff_t _size) {{\n{"".join(unpack)}'
               f"  for (ptrdiff_t i = 0; i < _size; ++i) {{\n{self.operation}\n  }}\n}}\n")
        key = hashlib.sha1(src.encode()).hexdigest()[:16]
        lib = _LIBS.get(key)
        if lib is None:
            cpp, so = os.path.join(_DIR, key + ".cpp"), os.path.join(_DIR, key + ".so")
            with open(cpp, "w") as f:
                f.write(src)
            subprocess.run([_CXX, "-O1", "-shared", "-fPIC", "-o", so, cpp], check=True, capture_output=True)
            lib = _LIBS[key] = ctypes.CDLL(so)
        return getattr(lib, self.name)

    def __call__(self, *args, size: int):
        if len(args) != len(self.params):
            raise TypeError(f"{self.name}: {len(self.params)} arguments expected, got {len(args)}")
        placeholder = next(t for raw, t, _ in self.params if raw and t not in _SCALARS)
        dtypes = {a.dtype for (raw, t, _), a in zip(self.params, args) if raw and t == placeholder}
        if len(dtypes) != 1:
            raise TypeError(f"{self.name}: the {placeholder} arrays have different dtypes {dtypes}")
        dt = np.dtype(dtypes.pop())
        cargs = []
        for (raw, t, n), a in zip(self.params, args):
            if raw:
                if type(a).__name__ != "DevArray":
                    raise TypeError(f"{self.name}: {n} must be a device array, got {type(a).__name__}")
                if t != placeholder and np.dtype(a.dtype) != np.dtype(t):
                    raise TypeError(f"{self.name}: {n} must be {t}, got {a.dtype}")
                dims = (ctypes.c_int64 * max(a.ndim, 1))(*a.shape)
                steps = (ctypes.c_int64 * max(a.ndim, 1))(*a.strides)
                cargs += [ctypes.c_void_p(a.data.ptr), ctypes.c_int(a.ndim), dims, steps]
            else:
                cargs.append(_SCALARS[t][0](a))
        self._lib(_CTYPE[dt], placeholder)(*cargs, ctypes.c_ssize_t(size))
