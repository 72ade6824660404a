"""The fused LSTM and GRU step kernels for CUDA (torch7/nn/functional/recurrent_cuda.py) against the NumPy path.

Without a GPU the kernel bodies run compiled by the host's C++ compiler behind ``StrictCupy``
(tests/cxx_kernels.py); with one, on CuPy. Whole-module CUDA checks of nn.LSTM are in test_nn_recurrent.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from device_env import needs_kernels

from torch7.nn.functional import recurrent as R
from torch7.nn.functional import recurrent_cuda

pytestmark = needs_kernels


def _data(dtype, n=3, tt=4, h=5, seed=0):
    rng = np.random.default_rng(seed)
    f = lambda *s: rng.standard_normal(s).astype(dtype)  # noqa: E731
    return {"gates": f(n, tt, 4 * h), "hh": f(n, 4 * h), "bias": f(4 * h), "c0": f(n, h), "cell": f(n, tt, h),
            "out": f(n, tt, h), "grad_out": f(n, tt, h), "dh": f(n, h), "dc": f(n, h), "grad_a": f(n, tt, 4 * h)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("t", [0, 2])
def test_forward_step_matches_numpy(cp, dtype, t):
    d = _data(dtype)
    dev = {k: cp.asarray(v) for k, v in d.items()}
    k = recurrent_cuda.lstm_kernels(dev["gates"])
    assert k is not None
    k.lstm_forward_step(dev["gates"], dev["hh"], dev["bias"], dev["c0"], dev["cell"], dev["out"], t)
    a = d["gates"][:, t]
    a += d["bias"]
    cp_ = d["c0"] if t == 0 else d["cell"][:, t - 1]
    R._lstm_step(a, d["hh"], cp_, d["cell"][:, t], d["out"][:, t])
    tol = 1e-6 if dtype == np.float32 else 1e-13
    for name in ("gates", "cell", "out"):
        np.testing.assert_allclose(dev[name].get(), d[name], rtol=tol, atol=tol, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("t", [0, 3])
def test_backward_step_matches_numpy(cp, dtype, t):
    d = _data(dtype, seed=1)
    d["gates"] = 1 / (1 + np.exp(-d["gates"]))  # activations, as the forward leaves them
    dev = {k: cp.asarray(v) for k, v in d.items()}
    k = recurrent_cuda.lstm_kernels(dev["gates"])
    k.lstm_backward_step(dev["gates"], dev["c0"], dev["cell"], dev["grad_out"], dev["dh"], dev["dc"],
                         dev["grad_a"], t)
    cp_ = d["c0"] if t == 0 else d["cell"][:, t - 1]
    dh = d["dh"].copy()
    R._lstm_back_step(d["gates"][:, t], d["cell"][:, t], cp_, d["grad_out"][:, t], dh, d["dc"], d["grad_a"][:, t],
                      np.empty_like(d["hh"]))
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(dev["grad_a"].get()[:, t], d["grad_a"][:, t], rtol=tol, atol=tol)
    np.testing.assert_allclose(dev["dc"].get(), d["dc"], rtol=tol, atol=tol)
    np.testing.assert_array_equal(dev["grad_a"].get()[:, t - 1], d["grad_a"][:, t - 1])  # other steps untouched


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("t", [0, 2])
def test_gru_steps_match_numpy(cp, dtype, t):
    rng = np.random.default_rng(2)
    n, tt, h = 3, 4, 5
    f = lambda *s: rng.standard_normal(s).astype(dtype)  # noqa: E731
    d = {"gates": f(n, tt, 4 * h), "hh": f(n, 3 * h), "bias": f(4 * h), "h0": f(n, h), "out": f(n, tt, h)}
    dev = {k: cp.asarray(v) for k, v in d.items()}
    k = recurrent_cuda.gru_kernels(dev["gates"])
    k.gru_forward_step(dev["gates"], dev["hh"], dev["bias"], dev["h0"], dev["out"], t)
    a = d["gates"][:, t]
    a[:, :3 * h] += d["bias"][:3 * h]
    hp = d["h0"] if t == 0 else d["out"][:, t - 1]
    R._gru_step(a, d["hh"], d["bias"][3 * h:], hp, d["out"][:, t])
    tol = 1e-6 if dtype == np.float32 else 1e-13
    for name in ("gates", "out"):
        np.testing.assert_allclose(dev[name].get(), d[name], rtol=tol, atol=tol, err_msg=name)
    # backward, from the activations just computed; dd is a strided view, as gru_backward passes it
    b = {"grad_out": f(n, tt, h), "dh": f(n, h), "scratch": f(n, 4 * h), "gx": f(n, tt, 3 * h), "gh": f(n, tt, 3 * h)}
    bd = {k: cp.asarray(v) for k, v in b.items()}
    k.gru_backward_step(dev["gates"], dev["h0"], dev["out"], bd["grad_out"], bd["dh"], bd["scratch"][:, :h],
                        bd["gx"], bd["gh"], t)
    dd = b["scratch"][:, :h]
    R._gru_back_step(d["gates"][:, t], hp, b["grad_out"][:, t], b["dh"], dd, b["gx"][:, t], b["gh"][:, t],
                     np.empty((n, 3 * h), dtype))
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(bd["gx"].get(), b["gx"], rtol=tol, atol=tol)
    np.testing.assert_allclose(bd["gh"].get(), b["gh"], rtol=tol, atol=tol)
    np.testing.assert_allclose(bd["scratch"].get(), b["scratch"], rtol=tol, atol=tol)


def test_kernels_only_for_float_device_arrays(cp):
    assert recurrent_cuda.lstm_kernels(np.zeros((2, 3), np.float32)) is None
    assert recurrent_cuda.lstm_kernels(cp.zeros((2, 3), np.float16)) is None
    a, b = recurrent_cuda.lstm_kernels(cp.zeros((2, 3), np.float32)), recurrent_cuda.lstm_kernels(cp.zeros(4))
    assert a.fwd is b.fwd and a.bwd is b.bwd  # compiled once per CuPy module


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_whole_sequence_kernels_match_the_host_loops(cp, dtype):
    rng = np.random.default_rng(3)
    n, tt, d, h = 3, 6, 4, 5
    f = lambda *s: (0.5 * rng.standard_normal(s)).astype(dtype)  # noqa: E731
    x, w, b, h0, c0 = f(n, tt, d), f(d + h, 4 * h), f(4 * h), f(n, h), f(n, h)
    host = {"out": np.empty((n, tt, h), dtype), "cell": np.empty((n, tt, h), dtype),
            "gates": np.empty((n, tt, 4 * h), dtype)}
    old = R.use_numba(False)  # the host reference is the NumPy loop
    try:
        R.lstm_forward(x, w, b, h0, c0, host["out"], host["cell"], host["gates"], np.empty((n, 4 * h), dtype))
        go = f(n, tt, h)
        hb = {"grad_a": np.empty((n, tt, 4 * h), dtype), "grad_x": np.empty((n, tt, d), dtype),
              "dh": np.empty((n, h), dtype), "dc": np.empty((n, h), dtype)}
        R.lstm_backward(x, w, c0, host["cell"], host["gates"], go, hb["grad_a"], hb["grad_x"], hb["dh"], hb["dc"],
                        np.empty((n, 4 * h), dtype), np.empty((4 * h, h), dtype))
    finally:
        R.use_numba(old)
    dev = {k: cp.empty(v.shape, dtype) for k, v in {**host, **hb}.items()}
    dx, dw, dc0 = cp.asarray(x), cp.asarray(w), cp.asarray(c0)
    assert recurrent_cuda.lstm_sequence(dx, h, dev["gates"], dw[d:]) is not None
    R.lstm_forward(dx, dw, cp.asarray(b), cp.asarray(h0), dc0, dev["out"], dev["cell"], dev["gates"],
                   cp.empty((n, 4 * h), dtype))
    R.lstm_backward(dx, dw, dc0, dev["cell"], dev["gates"], cp.asarray(go), dev["grad_a"], dev["grad_x"], dev["dh"],
                    dev["dc"], cp.empty((n, 4 * h), dtype), cp.empty((4 * h, h), dtype))
    tol = 2e-6 if dtype == np.float32 else 1e-13
    for name, want in {**host, **hb}.items():
        np.testing.assert_allclose(dev[name].get(), want, rtol=tol, atol=tol, err_msg=name)


def test_whole_sequence_kernels_only_where_they_fit(cp):
    a = cp.zeros((2, 3, 8), np.float32)
    assert recurrent_cuda.lstm_sequence(a, 2, a) is not None
    assert recurrent_cuda.lstm_sequence(a, recurrent_cuda.MAX_HIDDEN + 1, a) is None
    assert recurrent_cuda.lstm_sequence(a, 2, a[:, :, ::2]) is None  # strided: the per-step kernels run
    assert recurrent_cuda.lstm_sequence(a, 2, cp.zeros(3, np.float64)) is None
    assert recurrent_cuda.lstm_sequence(np.zeros((2, 3, 8), np.float32), 2) is None
