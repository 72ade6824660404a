"""A stand-in ``libcublas`` for tests without a GPU, built from C++ by the host compiler.

It exports the six entry points ``torch7.cutorch.cublas`` binds, with cuBLAS's signatures and meaning
(column-major GEMM, ``op`` 0 = N and 1 = T, alpha and beta by host pointer, ``beta == 0`` ignoring what C
held), computed plainly on host memory: ``StrictCupy``'s device arrays are host memory behind device
pointers.  It also counts the calls and remembers the last stream and workspace, so the tests can see
what torch7 asked for.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess

import cxx_kernels

_SOURCE = r"""
#include <cstddef>
#include <cstdint>
static long long n_gemm = 0, n_create = 0;
static void* last_stream = (void*)-1;
static size_t last_workspace = 0;
template <typename F>
static int gemm(int ta, int tb, int m, int n, int k, const F* alpha, const F* A, int lda, const F* B, int ldb,
                const F* beta, F* C, int ldc) {
    if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m || lda < 1 || ldb < 1 || ldc < 1) return 7;
    ++n_gemm;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < m; ++i) {
            F s = 0;
            for (int p = 0; p < k; ++p)
                s += (ta ? A[p + (ptrdiff_t)i * lda] : A[i + (ptrdiff_t)p * lda]) *
                     (tb ? B[j + (ptrdiff_t)p * ldb] : B[p + (ptrdiff_t)j * ldb]);
            F& c = C[i + (ptrdiff_t)j * ldc];
            c = *beta == F(0) ? *alpha * s : *alpha * s + *beta * c;
        }
    return 0;
}
extern "C" {
long long fake_gemm_calls() { return n_gemm; }
long long fake_create_calls() { return n_create; }
void* fake_last_stream() { return last_stream; }
size_t fake_last_workspace() { return last_workspace; }
int cublasCreate_v2(void** h) { ++n_create; *h = new int(7); return 0; }
int cublasSetStream_v2(void* h, void* s) { last_stream = s; return h ? 0 : 1; }
int cublasSetWorkspace_v2(void* h, void* w, size_t n) { last_workspace = n; return h && w ? 0 : 1; }
int cublasSgemm_v2(void* h, int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda,
                   const float* B, int ldb, const float* beta, float* C, int ldc) {
    return h ? gemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) : 1;
}
int cublasDgemm_v2(void* h, int ta, int tb, int m, int n, int k, const double* alpha, const double* A, int lda,
                   const double* B, int ldb, const double* beta, double* C, int ldc) {
    return h ? gemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) : 1;
}
}
"""


def build() -> str:
    """The path of the compiled library (built once per source)."""
    key = hashlib.sha1(_SOURCE.encode()).hexdigest()[:16]
    so = os.path.join(cxx_kernels._DIR, f"fakecublas_{key}.so")
    if not os.path.exists(so):
        cpp = so[:-3] + ".cpp"
        with open(cpp, "w") as f:
            f.write(_SOURCE)
        subprocess.run([cxx_kernels._CXX, "-O1", "-shared", "-fPIC", "-o", so, cpp], check=True, capture_output=True)
    return so


def record_gemms(lib: ctypes.CDLL, record) -> None:
    """Make the GEMMs of ``lib`` (the stand-in, as bound by torch7) report each call to ``record`` as a function
    that repeats it, for a graph replay; alpha and beta are read now, as cuBLAS reads host scalars at capture."""
    for name, real in (("cublasSgemm_v2", ctypes.c_float), ("cublasDgemm_v2", ctypes.c_double)):
        fn = getattr(lib, name)

        def call(*a, fn=fn, real=real):
            status = fn(*a)
            kept = (real(real.from_address(a[6]).value), real(real.from_address(a[11]).value))
            again = (*a[:6], ctypes.addressof(kept[0]), *a[7:11], ctypes.addressof(kept[1]), *a[12:])
            record(lambda: (kept, fn(*again)))
            return status

        setattr(lib, name, call)


class Counters:
    """What the stand-in library saw."""

    def __init__(self, path: str) -> None:
        self._lib = ctypes.CDLL(path)
        self._lib.fake_last_stream.restype = ctypes.c_void_p
        self._lib.fake_last_workspace.restype = ctypes.c_size_t
        self._lib.fake_gemm_calls.restype = self._lib.fake_create_calls.restype = ctypes.c_longlong

    @property
    def gemms(self) -> int:
        return self._lib.fake_gemm_calls()

    @property
    def handles(self) -> int:
        return self._lib.fake_create_calls()

    @property
    def stream(self) -> int:
        return self._lib.fake_last_stream() or 0

    @property
    def workspace(self) -> int:
        return self._lib.fake_last_workspace()
