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
import re
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
# Set by strict_cupy: called with a launch (a function of no arguments) after it ran, so a stream capture can
# record it and a graph replay run it again.
recorder = None


def _launched(fn, *cargs) -> None:
    fn(*cargs)
    if recorder is not None:
        recorder(lambda: fn(*cargs))
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
        _launched(self._lib(_CTYPE[dt], placeholder), *cargs, ctypes.c_ssize_t(size))


# ---- RawModule: CUDA C++ kernels run with one host thread per CUDA thread --------------------------------------
_RAW_HEADER = r"""#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>
using namespace std;
struct t7_dim3 { unsigned x = 1, y = 1, z = 1; };
thread_local t7_dim3 threadIdx, blockIdx;
t7_dim3 blockDim, gridDim;
static std::barrier<>* t7_bar = nullptr;
inline void __syncthreads() { t7_bar->arrive_and_wait(); }
#define __global__
#define __device__
#define __shared__ static
"""
_SIG = re.compile(r'extern\s+"C"\s+__global__\s+void\s+(\w+)\s*\(([^)]*)\)')
_CSCALAR = {"int": ctypes.c_int, "unsigned": ctypes.c_uint, "long long": ctypes.c_longlong,
            "ptrdiff_t": ctypes.c_ssize_t, "float": ctypes.c_float, "double": ctypes.c_double}


class RawModule:
    """``cupy.RawModule(code=...)``: each kernel runs its blocks one after another, the threads of a block as
    host threads (``__syncthreads`` is a barrier; ``__shared__`` arrays are statics, shared by the block).
    1-D grids and blocks; array arguments must be C-contiguous device arrays (the kernels do pointer
    arithmetic), scalars NumPy scalars of the parameter's type."""

    def __init__(self, code: str, **kwargs) -> None:
        self.code = code
        self.kernels = {m.group(1): [p.strip() for p in m.group(2).split(",")] for m in _SIG.finditer(code)}
        launchers = []
        for name, params in self.kernels.items():
            names = ", ".join(p.split()[-1].lstrip("*") for p in params)
            launchers.append(
                f'extern "C" void t7_launch_{name}(unsigned gx, unsigned bx, {", ".join(params)}) {{\n'
                f"  gridDim.x = gx; blockDim.x = bx;\n"
                f"  for (unsigned b = 0; b < gx; ++b) {{\n"
                f"    std::barrier<> bar(bx); t7_bar = &bar; std::vector<std::thread> ts;\n"
                f"    for (unsigned t = 0; t < bx; ++t)\n"
                f"      ts.emplace_back([=] {{ threadIdx.x = t; blockIdx.x = b; {name}({names}); }});\n"
                f"    for (auto& th : ts) th.join();\n  }}\n}}\n")
        src = _RAW_HEADER + code + "\n" + "".join(launchers)
        key = hashlib.sha1(src.encode()).hexdigest()[:16]
        self.lib = _LIBS.get(key)
        if self.lib is None:
            cpp, so = os.path.join(_DIR, key + ".cpp"), os.path.join(_DIR, key + ".so")
            with open(cpp, "w") as f:
                f.write(src)
            subprocess.run([_CXX, "-std=c++20", "-O1", "-pthread", "-shared", "-fPIC", "-o", so, cpp], check=True,
                           capture_output=True)
            self.lib = _LIBS[key] = ctypes.CDLL(so)

    def get_function(self, name: str):
        params = self.kernels[name]
        fn = getattr(self.lib, f"t7_launch_{name}")

        def launch(grid, block, args, shared_mem: int = 0):
            if len(args) != len(params):
                raise TypeError(f"{name}: {len(params)} arguments expected, got {len(args)}")
            cargs = [ctypes.c_uint(grid[0]), ctypes.c_uint(block[0])]
            for p, a in zip(params, args):
                if "*" in p:
                    if type(a).__name__ != "DevArray" or not a._h.flags.c_contiguous:
                        raise TypeError(f"{name}: {p} needs a C-contiguous device array")
                    cargs.append(ctypes.c_void_p(a.data.ptr))
                else:
                    typ = " ".join(p.split()[:-1]).replace("const ", "")
                    if not isinstance(a, np.generic):
                        raise TypeError(f"{name}: pass {p} as a NumPy scalar (CuPy would guess its width)")
                    cargs.append(_CSCALAR[typ](a.item()))
            _launched(fn, *cargs)

        return launch
