"""Fused CUDA kernels for one LSTM or GRU time step (forward and backward), as CuPy ElementwiseKernels.

On CUDA arrays the NumPy-path step of ``recurrent.py`` is ~13 CuPy launches forward and ~20 backward per
time step, which is what bounds a char-rnn iteration on a GPU (benchmarks/RESULTS.md, "gpu"). These two
kernels do a step's gate math in one launch each (the recurrent GEMM stays a cuBLAS call), with the
formulas of the Numba CPU kernels (``recurrent_numba.py``): same arguments, same results.

The bodies are plain C++ on pointers and scalars (CuPy's ``raw`` arrays, indexed by the logical C-order
position), so the tests also compile them with the host's C++ compiler (``tests/cxx_kernels.py``) and
compare them with the NumPy path; CuPy compiles them with NVRTC on first use.
"""

from __future__ import annotations

import numpy as np

from . import cuda_kernels

PREAMBLE = r"""
template <typename F> __device__ inline F t7_sigmoid(F x) { return F(0.5) + F(0.5) * tanh(F(0.5) * x); }
"""

# One thread per (n, j), n < N, j < H. gates: (N, TT, 4H) pre-activations without bias on entry (x W_x),
# activations i, f, o, g on exit; hh: (N, 4H) = h_{t-1} W_h; cell, out: (N, TT, H).
FORWARD = (
    "raw X hh, raw X bias, raw X c0, int32 H, int32 TT, int32 t",
    "raw X gates, raw X cell, raw X out",
    r"""
    const ptrdiff_t n = i / H, j = i % H;
    const ptrdiff_t g = (n * TT + t) * 4 * H, r = n * 4 * H, c = (n * TT + t) * H;
    const X gi = t7_sigmoid(X(gates[g + j] + hh[r + j] + bias[j]));
    const X gf = t7_sigmoid(X(gates[g + H + j] + hh[r + H + j] + bias[H + j]));
    const X go = t7_sigmoid(X(gates[g + 2 * H + j] + hh[r + 2 * H + j] + bias[2 * H + j]));
    const X gg = tanh(X(gates[g + 3 * H + j] + hh[r + 3 * H + j] + bias[3 * H + j]));
    gates[g + j] = gi;
    gates[g + H + j] = gf;
    gates[g + 2 * H + j] = go;
    gates[g + 3 * H + j] = gg;
    const X cp = t == 0 ? c0[n * H + j] : cell[c - H + j];
    const X cn = gf * cp + gi * gg;
    cell[c + j] = cn;
    out[c + j] = go * tanh(cn);
    """,
)

# dh: (N, H) gradient of h_t from step t+1 (read); dc: (N, H) gradient of c_t from step t+1, left holding
# the gradient of c_{t-1}; grad_a: (N, TT, 4H) written with the pre-activation gradients of step t.
BACKWARD = (
    "raw X gates, raw X c0, raw X cell, raw X grad_out, raw X dh, int32 H, int32 TT, int32 t",
    "raw X grad_a, raw X dc",
    r"""
    const ptrdiff_t n = i / H, j = i % H;
    const ptrdiff_t g = (n * TT + t) * 4 * H, c = (n * TT + t) * H, s = n * H + j;
    const X gi = gates[g + j], gf = gates[g + H + j], go = gates[g + 2 * H + j], gg = gates[g + 3 * H + j];
    const X tc = tanh(X(cell[c + j]));
    const X d_h = dh[s] + grad_out[c + j];
    const X d_c = dc[s] + d_h * go * (X(1) - tc * tc);
    const X cp = t == 0 ? c0[s] : cell[c - H + j];
    grad_a[g + j] = d_c * gg * gi * (X(1) - gi);
    grad_a[g + H + j] = d_c * cp * gf * (X(1) - gf);
    grad_a[g + 2 * H + j] = d_h * tc * go * (X(1) - go);
    grad_a[g + 3 * H + j] = d_c * gi * (X(1) - gg * gg);
    dc[s] = d_c * gf;
    """,
)


# GRU (PyTorch's formula). gates: (N, TT, 4H): x W_x (r, z, n; no bias) on entry, r, z, n and
# h W_hn + b_hn on exit; hh: (N, 3H) = h_{t-1} W_h; bias: (4H,) = b_r, b_z, b_xn, b_hn; out: (N, TT, H).
GRU_FORWARD = (
    "raw X hh, raw X bias, raw X h0, int32 H, int32 TT, int32 t",
    "raw X gates, raw X out",
    r"""
    const ptrdiff_t n = i / H, j = i % H;
    const ptrdiff_t g = (n * TT + t) * 4 * H, r = n * 3 * H, c = (n * TT + t) * H;
    const X gr = t7_sigmoid(X(gates[g + j] + hh[r + j] + bias[j]));
    const X gz = t7_sigmoid(X(gates[g + H + j] + hh[r + H + j] + bias[H + j]));
    const X nh = hh[r + 2 * H + j] + bias[3 * H + j];
    const X gn = tanh(X(gates[g + 2 * H + j] + bias[2 * H + j] + gr * nh));
    gates[g + j] = gr;
    gates[g + H + j] = gz;
    gates[g + 2 * H + j] = gn;
    gates[g + 3 * H + j] = nh;
    const X hp = t == 0 ? h0[n * H + j] : out[c - H + j];
    out[c + j] = gn + gz * (hp - gn);
    """,
)

# dh: (N, H) = grad_ah[:, t+1] W_h^T (read); dd: (N, H) the direct path z * dh_{t+1}, replaced by this
# step's; grad_ax, grad_ah: (N, TT, 3H) written for step t.
GRU_BACKWARD = (
    "raw X gates, raw X h0, raw X out, raw X grad_out, raw X dh, int32 H, int32 TT, int32 t",
    "raw X grad_ax, raw X grad_ah, raw X dd",
    r"""
    const ptrdiff_t n = i / H, j = i % H;
    const ptrdiff_t g = (n * TT + t) * 4 * H, c = (n * TT + t) * H, s = n * H + j, a = (n * TT + t) * 3 * H;
    const X gr = gates[g + j], gz = gates[g + H + j], gn = gates[g + 2 * H + j], nh = gates[g + 3 * H + j];
    const X hp = t == 0 ? h0[s] : out[c - H + j];
    const X d_h = dh[s] + dd[s] + grad_out[c + j];
    const X xn = d_h * (X(1) - gz) * (X(1) - gn * gn);
    const X xz = d_h * (hp - gn) * gz * (X(1) - gz);
    const X xr = xn * nh * gr * (X(1) - gr);
    grad_ax[a + j] = xr;
    grad_ax[a + H + j] = xz;
    grad_ax[a + 2 * H + j] = xn;
    grad_ah[a + j] = xr;
    grad_ah[a + H + j] = xz;
    grad_ah[a + 2 * H + j] = xn * gr;
    dd[s] = d_h * gz;
    """,
)


class _GRUKernels:
    """The GRU step kernels of one CuPy module, with the Numba kernels' signatures."""

    def __init__(self, cp) -> None:
        self.fwd = cuda_kernels.get(cp, "torch7_gru_forward_step", GRU_FORWARD, PREAMBLE)
        self.bwd = cuda_kernels.get(cp, "torch7_gru_backward_step", GRU_BACKWARD, PREAMBLE)

    def gru_forward_step(self, gates, hh, bias, h0, out, t: int) -> None:
        n, tt, h = out.shape
        self.fwd(hh, bias, h0, h, tt, t, gates, out, size=n * h)

    def gru_backward_step(self, gates, h0, out, grad_out, dh, dd, grad_ax, grad_ah, t: int) -> None:
        n, tt, h = out.shape
        self.bwd(gates, h0, out, grad_out, dh, h, tt, t, grad_ax, grad_ah, dd, size=n * h)


def gru_kernels(a) -> _GRUKernels | None:
    """The fused GRU step kernels for the device array ``a``, or None (see :func:`lstm_kernels`)."""
    cp = cuda_kernels.engine_for(a)
    return None if cp is None else _GRUKernels(cp)


class _LSTMKernels:
    """The two step kernels of one CuPy module, with the Numba kernels' signatures."""

    def __init__(self, cp) -> None:
        self.fwd = cuda_kernels.get(cp, "torch7_lstm_forward_step", FORWARD, PREAMBLE)
        self.bwd = cuda_kernels.get(cp, "torch7_lstm_backward_step", BACKWARD, PREAMBLE)

    def lstm_forward_step(self, gates, hh, bias, c0, cell, out, t: int) -> None:
        n, tt, h = cell.shape
        self.fwd(hh, bias, c0, h, tt, t, gates, cell, out, size=n * h)

    def lstm_backward_step(self, gates, c0, cell, grad_out, dh, dc, grad_a, t: int) -> None:
        n, tt, h = cell.shape
        self.bwd(gates, c0, cell, grad_out, dh, h, tt, t, grad_a, dc, size=n * h)


def lstm_kernels(a) -> _LSTMKernels | None:
    """The fused step kernels for the device array ``a`` (float32/float64), or None (host array, or an
    engine without ElementwiseKernel: the NumPy path runs)."""
    cp = cuda_kernels.engine_for(a)
    return None if cp is None else _LSTMKernels(cp)


# ---- whole sequences in one launch -----------------------------------------------------------------------------
# One block per sequence (batch row), one thread per hidden unit j: the thread computes the four gate columns
# j, H+j, 2H+j, 3H+j of its row at every step, the recurrent product included (h_{t-1} is in shared memory),
# so a layer's time loop is one launch instead of a GEMM and a kernel per step. Rows are independent, so
# blocks never wait for each other.
SEQUENCE = r"""
template <typename F> __device__ inline F t7_sigmoid(F x) { return F(0.5) + F(0.5) * tanh(F(0.5) * x); }

extern "C" __global__ void t7_lstm_seq_forward(X* gates, const X* wh, const X* bias, const X* h0, const X* c0,
                                               X* cell, X* out, int H, int TT) {
    __shared__ X hs[1024];
    const int n = blockIdx.x, j = threadIdx.x;
    X c = c0[n * H + j];
    hs[j] = h0[n * H + j];
    __syncthreads();
    for (int t = 0; t < TT; ++t) {
        X* g = gates + ((long long)n * TT + t) * 4 * H;
        X ai = g[j] + bias[j], af = g[H + j] + bias[H + j];
        X ao = g[2 * H + j] + bias[2 * H + j], ag = g[3 * H + j] + bias[3 * H + j];
        for (int m = 0; m < H; ++m) {
            const X hv = hs[m];
            const X* w = wh + (long long)m * 4 * H;
            ai += hv * w[j];
            af += hv * w[H + j];
            ao += hv * w[2 * H + j];
            ag += hv * w[3 * H + j];
        }
        const X gi = t7_sigmoid(ai), gf = t7_sigmoid(af), go = t7_sigmoid(ao), gg = tanh(ag);
        g[j] = gi;
        g[H + j] = gf;
        g[2 * H + j] = go;
        g[3 * H + j] = gg;
        c = gf * c + gi * gg;
        const X h = go * tanh(c);
        const long long o = ((long long)n * TT + t) * H + j;
        cell[o] = c;
        out[o] = h;
        __syncthreads();  // every thread has read h_{t-1}
        hs[j] = h;
        __syncthreads();
    }
}

extern "C" __global__ void t7_lstm_seq_backward(const X* gates, const X* cell, const X* c0, const X* grad_out,
                                                const X* whT, X* grad_a, X* dh_out, X* dc_out, int H, int TT) {
    __shared__ X ga[4096];
    const int n = blockIdx.x, j = threadIdx.x;
    X dc = 0, dh = 0;
    for (int t = TT - 1; t >= 0; --t) {
        const X* g = gates + ((long long)n * TT + t) * 4 * H;
        const long long o = ((long long)n * TT + t) * H + j;
        const X gi = g[j], gf = g[H + j], go = g[2 * H + j], gg = g[3 * H + j];
        const X tc = tanh(cell[o]);
        const X d_h = dh + grad_out[o];
        dc += d_h * go * (X(1) - tc * tc);
        const X cp = t == 0 ? c0[n * H + j] : cell[o - H];
        const X vi = dc * gg * gi * (X(1) - gi), vf = dc * cp * gf * (X(1) - gf);
        const X vo = d_h * tc * go * (X(1) - go), vg = dc * gi * (X(1) - gg * gg);
        X* a = grad_a + ((long long)n * TT + t) * 4 * H;
        a[j] = vi;
        a[H + j] = vf;
        a[2 * H + j] = vo;
        a[3 * H + j] = vg;
        ga[j] = vi;
        ga[H + j] = vf;
        ga[2 * H + j] = vo;
        ga[3 * H + j] = vg;
        dc *= gf;
        __syncthreads();
        X s = 0;
        for (int k = 0; k < 4 * H; ++k) s += ga[k] * whT[(long long)k * H + j];
        dh = s;
        __syncthreads();  // ga is rewritten at the next step
    }
    dh_out[n * H + j] = dh;
    dc_out[n * H + j] = dc;
}
"""

MAX_HIDDEN = 1024  # one thread per hidden unit, and the shared arrays above


class _LSTMSequence:
    """A layer's whole forward or backward time loop in one launch (float32 or float64)."""

    def __init__(self, cp, dtype) -> None:
        ctype = "float" if np.dtype(dtype) == np.float32 else "double"
        mod = cuda_kernels.raw_module(cp, f"typedef {ctype} X;\n" + SEQUENCE)
        self.fwd = mod.get_function("t7_lstm_seq_forward")
        self.bwd = mod.get_function("t7_lstm_seq_backward")

    def forward(self, gates, wh, bias, h0, c0, cell, out) -> None:
        n, tt, h = cell.shape
        self.fwd((n,), (h,), (gates, wh, bias, h0, c0, cell, out, np.int32(h), np.int32(tt)))

    def backward(self, gates, cell, c0, grad_out, whT, grad_a, dh, dc) -> None:
        n, tt, h = cell.shape
        self.bwd((n,), (h,), (gates, cell, c0, grad_out, whT, grad_a, dh, dc, np.int32(h), np.int32(tt)))


def lstm_sequence(a, hidden: int, *arrays) -> _LSTMSequence | None:
    """The one-launch LSTM loops for device arrays of ``a``'s type, when every array is C-contiguous and
    ``hidden`` fits one block; else None (the per-step kernels run)."""
    cp = cuda_kernels.engine_for(a)
    if cp is None or getattr(cp, "RawModule", None) is None or not 0 < hidden <= MAX_HIDDEN:
        return None
    if any(not x.flags.c_contiguous or x.dtype != a.dtype for x in arrays):
        return None
    key = (id(cp), a.dtype.name)
    hit = _SEQUENCES.get(key)
    if hit is None or hit[0] is not cp:
        hit = _SEQUENCES[key] = (cp, _LSTMSequence(cp, a.dtype))
    return hit[1]


_SEQUENCES: dict = {}
