"""Whole-sequence recurrent modules: nn.LSTM, nn.GRU, nn.RNN, nn.VanillaRNN, nn.TemporalAdapter and
nn.TemporalCrossEntropyCriterion — Jacobians, PyTorch comparisons (float64 to 1e-6, float32 close),
remembered states, the Numba path against the NumPy path, fields and errors."""

from __future__ import annotations

import numpy as np
import pytest
from nn_checks import check_module, jacobian_input

import torch7 as torch
from torch7 import nn
from torch7.nn.functional import recurrent as R

pt = pytest.importorskip("torch")

N, T, D, H = 3, 4, 5, 6
KINDS = ("lstm", "gru", "rnn")
CLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
LSTM_PERM = np.r_[0:H, H:2 * H, 3 * H:4 * H, 2 * H:3 * H]  # PyTorch's i, f, g, o blocks from ours i, f, o, g


@pytest.fixture(params=[False, True], ids=["numpy", "numba"])
def fused(request):
    """Run the test on the NumPy path and on the Numba path (skipped only when numba is not installed)."""
    old = R.use_numba(request.param)
    if request.param and not R.use_numba():
        R.use_numba(old)
        pytest.skip("numba is not installed")
    yield request.param
    R.use_numba(old)


def _np(t) -> np.ndarray:
    return np.array(t.numpy(), dtype=np.float64)


def _pt(t):
    return pt.from_numpy(_np(t))


def _module(kind: str, **kw):
    torch.manualSeed(7)
    m = CLS[kind](D, H, **kw)
    m.weight.normal(0, 0.5)
    m.bias.uniform(-0.5, 0.5)
    return m


def _reference(m, kind: str):
    """The PyTorch module computing the same function (float64), weights copied with the layout mapped."""
    w, b, z = _np(m.weight), _np(m.bias), np.zeros
    if kind == "lstm":
        ref = pt.nn.LSTM(D, H, batch_first=True)
        w_ih, w_hh, b_ih, b_hh = w[:D][:, LSTM_PERM].T, w[D:][:, LSTM_PERM].T, b[LSTM_PERM], z(4 * H)
    elif kind == "gru":
        ref = pt.nn.GRU(D, H, batch_first=True)
        w_ih, w_hh, b_ih, b_hh = w[:D].T, w[D:].T, b[:3 * H], np.r_[z(2 * H), b[3 * H:]]
    else:
        ref = pt.nn.RNN(D, H, batch_first=True, nonlinearity="tanh")
        w_ih, w_hh, b_ih, b_hh = w[:D].T, w[D:].T, b, z(H)
    ref = ref.double()
    with pt.no_grad():
        for p, v in zip((ref.weight_ih_l0, ref.weight_hh_l0, ref.bias_ih_l0, ref.bias_hh_l0), (w_ih, w_hh, b_ih, b_hh)):
            p.copy_(pt.from_numpy(np.ascontiguousarray(v)))
    return ref


def _ref_grads(ref, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's parameter gradients in our (D+H) x kH weight and bias layout."""
    gi, gh = ref.weight_ih_l0.grad.numpy().T, ref.weight_hh_l0.grad.numpy().T
    bi, bh = ref.bias_ih_l0.grad.numpy(), ref.bias_hh_l0.grad.numpy()
    if kind == "lstm":
        gw, gb = np.empty((D + H, 4 * H)), np.empty(4 * H)
        gw[:D][:, LSTM_PERM], gw[D:][:, LSTM_PERM], gb[LSTM_PERM] = gi, gh, bi
        return gw, gb
    if kind == "gru":
        return np.vstack([gi, gh]), np.r_[bi, bh[2 * H:]]
    return np.vstack([gi, gh]), bi


def _close(a, b, tol=1e-6, what=""):
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=what)


# ---- PyTorch comparisons ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,states", [(k, s) for k in KINDS for s in ("none", "h0")] + [("lstm", "c0h0")])
def test_matches_pytorch_float64(kind, states, fused):
    m = _module(kind)
    ref = _reference(m, kind)
    x, h0, c0 = torch.randn(N, T, D), torch.randn(N, H), torch.randn(N, H)
    inp = {"none": x, "h0": [h0, x], "c0h0": [c0, h0, x]}[states]
    xs = [_pt(v).requires_grad_(True) for v in (x, h0, c0)]
    hx = None if states == "none" else xs[1][None]
    if kind == "lstm" and states != "none":
        hx = (hx, xs[2][None] if states == "c0h0" else pt.zeros(1, N, H, dtype=pt.float64))
    y = ref(xs[0], hx)[0]
    out = m.forward(inp)
    _close(_np(out), y.detach().numpy(), what="output")
    gout = torch.randn(N, T, H)
    m.zeroGradParameters()
    gin = m.backward(inp, gout)
    y.backward(_pt(gout))
    if states == "none":
        _close(_np(gin), xs[0].grad.numpy(), what="gradInput")
    else:
        want = [xs[0].grad, xs[1].grad] + ([xs[2].grad] if states == "c0h0" else [])
        assert isinstance(gin, list) and len(gin) == len(want)
        for g, w in zip(gin, reversed(want)):  # gradInput is [grad_c0,] grad_h0, grad_x
            _close(_np(g), w.numpy(), what="gradInput")
    gw, gb = _ref_grads(ref, kind)
    _close(_np(m.gradWeight), gw, what="gradWeight")
    _close(_np(m.gradBias), gb, what="gradBias")


@pytest.mark.parametrize("kind", KINDS)
def test_remember_states_across_calls(kind, fused):
    m = _module(kind, rememberStates=True)
    assert m.remember_states and m.rememberStates
    ref = _reference(m, kind)
    x1, x2, gout = torch.randn(N, T, D), torch.randn(N, T, D), torch.randn(N, T, H)
    y1, state = ref(_pt(x1))
    _close(_np(m.forward(x1)), y1.detach().numpy(), what="first call")
    state = tuple(s.detach() for s in state) if kind == "lstm" else state.detach()
    x2p = _pt(x2).requires_grad_(True)
    y2 = ref(x2p, state)[0]
    out2 = m.forward(x2)
    _close(_np(out2), y2.detach().numpy(), what="second call starts from the first one's final states")
    m.zeroGradParameters()
    gin = m.backward(x2, gout)
    y2.backward(_pt(gout))
    _close(_np(gin), x2p.grad.numpy(), what="gradInput")
    gw, gb = _ref_grads(ref, kind)
    _close(_np(m.gradWeight), gw, what="gradWeight (no gradient into the previous call)")
    _close(_np(m.gradBias), gb, what="gradBias")
    m.resetStates()
    _close(_np(m.forward(x2)), ref(_pt(x2))[0].detach().numpy(), what="after resetStates")
    m.rememberStates = False
    assert m.remember_states is False
    _close(_np(m.forward(x2)), ref(_pt(x2))[0].detach().numpy(), what="without remember_states")


@pytest.mark.parametrize("kind", KINDS)
def test_float32_close_to_pytorch(kind, fused):
    m = _module(kind)
    ref = _reference(m, kind)
    m.float()
    x, gout = torch.randn(N, T, D), torch.randn(N, T, H)
    h0 = torch.randn(N, H)
    xp, hp = _pt(x).requires_grad_(True), _pt(h0).requires_grad_(True)
    hx = (hp[None], pt.zeros(1, N, H, dtype=pt.float64)) if kind == "lstm" else hp[None]
    y = ref(xp, hx)[0]
    inp = [h0.float(), x.float()]
    out = m.forward(inp)
    assert out.type() == "torch.FloatTensor"
    _close(_np(out), y.detach().numpy(), 2e-5, "float32 output")
    m.zeroGradParameters()
    gx = m.backward(inp, gout.float())
    y.backward(_pt(gout))
    for got, want in zip(gx + [m.gradWeight, m.gradBias], [hp.grad.numpy(), xp.grad.numpy(), *_ref_grads(ref, kind)]):
        _close(_np(got), want, 2e-4, "float32 gradients")


# ---- the Numba path against the NumPy path -------------------------------------------------------------
def _run(m, inp, gout, numba: bool):
    R.use_numba(numba)
    m.zeroGradParameters()
    out = _np(m.forward(inp))
    gin = m.backward(inp, gout)
    return [out] + [_np(g) for g in (gin if isinstance(gin, list) else [gin])] + [_np(m.gradWeight), _np(m.gradBias)]


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_numba_path_matches_numpy_path(kind, typename):
    pytest.importorskip("numba")
    old = R.use_numba()
    try:
        m = _module(kind).type(typename)
        n, t = 7, 9  # odd sizes: no vector-width luck
        inp = [torch.randn(n, H).type(typename), torch.randn(n, t, D).type(typename)]
        gout = torch.randn(n, t, H).type(typename)
        for a, b in zip(_run(m, inp, gout, True), _run(m, inp, gout, False)):
            _close(a, b, 1e-12 if typename == "torch.DoubleTensor" else 5e-6, f"{kind} {typename}")
    finally:
        R.use_numba(old)


# ---- the time loops split by batch rows over OpenBLAS's threads (recurrent_pool.py) ---------------------------
def _pool_module():
    return pytest.importorskip("torch7.nn.functional.recurrent_pool")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m,n,k", [(13, 24, 6), (4, 4, 1), (9, 7, 33), (3, 2, 5)])
def test_gemm_rows_matches_numpy(dtype, m, n, k):
    P = _pool_module()
    rng = np.random.default_rng(m * n * k)
    a3 = rng.standard_normal((m, 3, k)).astype(dtype)
    b = rng.standard_normal((n, k)).astype(dtype)
    c = np.full((m, n), np.nan, dtype)
    P.gemm_rows(a3, 1, 1, m, b, c)  # rows 1..m-1 of step 1; row 0 stays untouched
    assert np.isnan(c[0]).all()
    _close(c[1:], a3[1:, 1] @ b.T, 1e-12 if dtype == np.float64 else 2e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pooled_projection_matches_numpy(dtype):
    """The input projections and input gradients of big layers: ``c = a @ b.T`` split by rows."""
    P = _pool_module()
    from torch7._core import blaspool
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((1001, 130)).astype(dtype), rng.standard_normal((36, 130)).astype(dtype)
    c = np.zeros((1001, 36), dtype)
    done = P.project(a, b, c)
    assert done == (blaspool.available() and blaspool.use_pool())
    if done:
        _close(c, a @ b.T, 1e-12 if dtype == np.float64 else 5e-5)
    assert not P.project(a[:10], b, c[:10])          # too small to pay
    assert not P.project(a[:, :129], b[:, :129], c)  # not row-contiguous
    assert not P.project(a.astype(np.int64), b.astype(np.int64), c.astype(np.int64))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_pooled_loops_match_serial_and_pytorch(kind, typename):
    """Batches of 8+ rows run their time loops on the pool: same results as one thread, and as PyTorch."""
    P = _pool_module()
    from torch7._core import blaspool
    old_nb, old_pool = R.use_numba(True), blaspool.use_pool()
    try:
        m = _module(kind).type(typename)
        n, t = 13, 5  # 13 rows: items of 6 and 7 rows, so the 4-row blocks leave tails
        states = [torch.randn(n, H).type(typename) for _ in range(2 if kind == "lstm" else 1)]
        inp = states + [torch.randn(n, t, D).type(typename)]
        gout = torch.randn(n, t, H).type(typename)
        calls = []
        on = blaspool.available() and blaspool.use_pool()  # (its self-test runs the pool once)
        real = blaspool.run_items
        blaspool.run_items = lambda items: (calls.append(len(items)), real(items))[1]
        try:
            pooled = _run(m, inp, gout, True)
        finally:
            blaspool.run_items = real
        assert len(calls) == (2 if on else 0)  # the forward and the backward loop
        blaspool.use_pool(False)
        serial = _run(m, inp, gout, True)
        tol = 1e-12 if typename == "torch.DoubleTensor" else 5e-6
        if kind == "rnn" and typename == "torch.FloatTensor":
            tol = 1e-5  # the pooled RNN uses the kernels' float32 tanh, the serial one NumPy's
        for a, b in zip(pooled, serial):
            _close(a, b, tol, "pooled against serial")
        if typename == "torch.DoubleTensor":
            ref = _reference(m.type("torch.DoubleTensor"), kind)
            pts = [_pt(v).requires_grad_(True) for v in inp]
            x, h0 = pts[-1], pts[-2]
            y = ref(x, (h0[None], pts[0][None]) if kind == "lstm" else h0[None])[0]
            y.backward(_pt(gout))
            _close(pooled[0], y.detach().numpy(), what="output")
            _close(pooled[-3], x.grad.numpy(), what="gradInput")
            gw, gb = _ref_grads(ref, kind)
            _close(pooled[-2], gw, what="gradWeight")
            _close(pooled[-1], gb, what="gradBias")
    finally:
        R.use_numba(old_nb)
        blaspool.use_pool(old_pool)
    assert P.lstm_forward(*[np.zeros((4, 2, 8))] * 8) is False  # fewer than 8 rows: one thread


def test_pooled_loops_refuse_inconsistent_buffers():
    """The kernels index without bounds checks: buffers of other shapes stay on the checked path."""
    P = _pool_module()
    n, t, h = 9, 3, 4
    seq, row = np.zeros((n, t, h)), np.zeros((n, h))
    gates, hh, b, wh = np.zeros((n, t, 4 * h)), np.zeros((n, 4 * h)), np.zeros(4 * h), np.zeros((h, 4 * h))
    assert P.lstm_forward(gates, b, row, row, seq, seq, np.zeros((n - 1, 4 * h)), wh) is False
    assert P.lstm_forward(gates, b[:-1], row, row, seq, seq, hh, wh) is False
    assert P.lstm_backward(gates, row, seq, seq, row, row, gates[:, :2], wh) is False
    assert P.rnn_backward(seq, seq, row, seq, np.zeros((h + 1, h))) is False
    assert P.project(np.zeros((4096, 64)), np.zeros((32, 64)), np.zeros((4096, 31))) is False


@pytest.mark.parametrize("kind", KINDS)
def test_pooled_loops_jacobian(kind):
    _pool_module()
    torch.manualSeed(5)
    m = CLS[kind](3, 2)
    inp = [torch.randn(9, 2) for _ in range(2 if kind == "lstm" else 1)] + [torch.randn(9, 2, 3)]
    jacobian_input(m, inp)
    assert _param_jacobian(m, inp) < 1e-6


def test_fast_tanh_float32_accuracy():
    K = pytest.importorskip("torch7.nn.functional.recurrent_numba")
    a, d = np.linspace(-20, 20, 200001, dtype=np.float32), np.linspace(-3, 3, 101)
    out, out64 = np.empty_like(a), np.empty_like(d)
    K.tanh_array(a, out)
    K.tanh_array(d, out64)
    err = np.abs(out.astype(np.float64) - np.tanh(a.astype(np.float64)))
    assert err.max() < 5e-7 and out.max() <= 1 and out.min() >= -1, err.max()
    np.testing.assert_allclose(out64, np.tanh(d), rtol=1e-15, atol=1e-15)  # float64 keeps libm's tanh


@pytest.mark.parametrize("kind", KINDS)
def test_nan_propagates(kind, fused):
    m = _module(kind).float()
    x = torch.randn(2, 3, D).float()
    x.numpy()[1, 1, 0] = np.nan
    out = _np(m.forward(x))
    assert np.isnan(out[1, 1:]).all() and not np.isnan(out[0]).any() and not np.isnan(out[1, 0]).any()


def test_numpy_path_when_numba_is_missing(monkeypatch):
    from torch7.nn.functional import _numba

    monkeypatch.setitem(_numba._STATE["mods"], "recurrent_numba", None)  # as if numba could not be imported
    assert R.use_numba() is False
    m = _module("lstm")
    ref = _reference(m, "lstm")
    x = torch.randn(2, 3, D)
    _close(_np(m.forward(x)), ref(_pt(x))[0].detach().numpy())


# ---- Jacobians --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_shared_checker(kind, fused):
    check_module(lambda: CLS[kind](3, 2), lambda: torch.randn(2, 3, 3),
                 repr_startswith=f"{CLS[kind]._typename}(3 -> 2)")


def _param_jacobian(m, inp, eps=1e-6) -> float:
    """Largest error between finite differences of sum(output * gout) and the accumulated gradients."""
    gout = torch.randn(*m.forward(inp).size())
    g = _np(gout)
    m.zeroGradParameters()
    m.forward(inp)
    m.backward(inp, gout)
    worst = 0.0
    for p, gp in zip(*m.parameters()):
        flat = p.numpy().reshape(-1)
        num = np.empty(flat.size)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            hi = (_np(m.forward(inp)) * g).sum()
            flat[i] = orig - eps
            lo = (_np(m.forward(inp)) * g).sum()
            flat[i] = orig
            num[i] = (hi - lo) / (2 * eps)
        worst = max(worst, float(np.abs(num - _np(gp).reshape(-1)).max()))
    return worst


@pytest.mark.parametrize("kind,n_states", [("lstm", 2), ("lstm", 1), ("gru", 1), ("rnn", 1)])
def test_table_input_jacobians(kind, n_states, fused):
    torch.manualSeed(3)
    m = CLS[kind](3, 2)
    inp = [torch.randn(2, 2) for _ in range(n_states)] + [torch.randn(2, 3, 3)]
    jacobian_input(m, inp)
    assert _param_jacobian(m, inp) < 1e-6


# ---- fields, API, errors ----------------------------------------------------------------------------------
def test_lstm_fields_and_init():
    torch.manualSeed(1)
    m = nn.LSTM(64, 64)
    assert (m.input_dim, m.hidden_dim) == (64, 64)
    assert m.weight.size() == torch.Size([128, 256]) and m.gradWeight.size() == m.weight.size()
    b = _np(m.bias)
    assert (b[64:128] == 1).all() and (b[:64] == 0).all() and (b[128:] == 0).all()
    assert abs(_np(m.weight).std() - 1 / np.sqrt(128)) < 0.05 / np.sqrt(128)
    m.reset(0.01)
    assert abs(_np(m.weight).std() - 0.01) < 0.0005
    assert m.parameters()[0] == [m.weight, m.bias] and m.parameters()[1] == [m.gradWeight, m.gradBias]
    assert m.remember_states is False and nn.LSTM(2, 3, rememberStates=True).remember_states is True
    for k in ("cell", "gates", "h0", "c0", "grad_c0", "grad_h0", "grad_x", "buffer1", "buffer2", "buffer3",
              "grad_a_buffer"):
        assert torch.isTensor(getattr(m, k)), k
    x = torch.randn(2, 3, 64)
    m.forward(x)
    assert m.cell.size() == torch.Size([2, 3, 64]) and m.gates.size() == torch.Size([2, 3, 256])
    assert m.backward(x, torch.ones(2, 3, 64)) is m.grad_x
    assert repr(m) == "nn.LSTM(64 -> 64)"


def test_other_layouts_and_names():
    g, r, v = nn.GRU(3, 4), nn.RNN(3, 4), nn.VanillaRNN(3, 4)
    assert g.weight.size() == torch.Size([7, 12]) and g.bias.size() == torch.Size([16])
    assert r.weight.size() == torch.Size([7, 4]) and r.bias.size() == torch.Size([4])
    assert torch.typename(v) == "nn.VanillaRNN" and isinstance(v, nn.RNN) and repr(v) == "nn.VanillaRNN(3 -> 4)"
    assert _np(g.bias).tolist() == [0.0] * 16


def test_clear_state_type_and_serialization(fused):
    m = _module("lstm")
    x, gout = torch.randn(N, T, D), torch.randn(N, T, H)
    out = _np(m.forward(x))
    m.backward(x, gout)
    assert m.clearState() is m
    assert m.output.nElement() == 0 and m.gates.nElement() == 0 and m.grad_a_buffer.nElement() == 0
    m2 = torch.deserialize(torch.serialize(m))
    assert torch.typename(m2) == "nn.LSTM" and m2.input_dim == D
    _close(_np(m2.forward(x)), out)
    m2.float()
    assert m2.weight.type() == m2.cell.type() == m2.grad_x.type() == "torch.FloatTensor"
    _close(_np(m2.forward(x.float())), out, 1e-5)
    v = torch.deserialize(torch.serialize(nn.VanillaRNN(2, 3)))
    assert torch.typename(v) == "nn.VanillaRNN"


def test_training_with_get_parameters(fused):
    """Two stacked LSTMs trained through flat getParameters() vectors follow updateParameters exactly."""
    def make():
        torch.manualSeed(2)
        return nn.Sequential().add(nn.LSTM(4, 8)).add(nn.LSTM(8, 3))

    crit = nn.MSECriterion()
    x, y = torch.randn(4, 6, 4), torch.randn(4, 6, 3).mul(0.5)
    flat, plain = make(), make()
    params, grads = flat.getParameters()
    losses = []
    for _ in range(5):
        grads.zero()
        out = flat.forward(x)
        losses.append(crit.forward(out, y))
        flat.backward(x, crit.backward(out, y))
        params.add(-2.0, grads)
        plain.zeroGradParameters()
        out = plain.forward(x)
        plain.backward(x, crit.backward(out, y))
        plain.updateParameters(2.0)
    for p, q in zip(flat.parameters()[0], plain.parameters()[0]):
        _close(_np(p), _np(q), 1e-12)
    assert losses[-1] < losses[0], losses


@pytest.mark.parametrize("bad,err,text", [
    (lambda: torch.randn(2, 3, 4), ValueError, "x must be of size 2x3x5, got 2x3x4"),
    (lambda: torch.randn(2, 5), ValueError, "batch, time, features"),
    (lambda: torch.FloatTensor(2, 3, 5), TypeError, "torch.FloatTensor but the module is a torch.DoubleTensor"),
    (lambda: [torch.randn(2, 7), torch.randn(2, 3, 5)], ValueError, "h0 must be of size 2x6"),
    (lambda: [torch.randn(2, 6)] * 3 + [torch.randn(2, 3, 5)], TypeError, "input must be x or [h0, x] or [c0, h0, x]"),
    (lambda: "x", TypeError, "got str"),
])
def test_input_errors(bad, err, text):
    with pytest.raises(err) as e:
        nn.LSTM(5, 6).forward(bad())
    assert text in str(e.value) and "nn.LSTM(5 -> 6)" in str(e.value)


def test_other_errors():
    with pytest.raises(ValueError, match="hiddenSize must be a positive integer"):
        nn.GRU(3, 0)
    g = nn.GRU(3, 4)
    g.bias = torch.Tensor(12)  # the 3H bias of torch-rnn forks' GRU
    with pytest.raises(NotImplementedError, match="3H-bias GRU"):
        g.forward(torch.randn(2, 5, 3))
    m = nn.RNN(3, 4, rememberStates=True)
    m.forward(torch.randn(2, 5, 3))
    with pytest.raises(ValueError, match="constant batch size, got 3 after 2"):
        m.forward(torch.randn(3, 5, 3))
    m.resetStates()
    m.forward(torch.randn(3, 5, 3))
    with pytest.raises(ValueError, match="gradOutput must be of size 3x5x4"):
        m.backward(torch.randn(3, 5, 3), torch.randn(3, 5, 2))


# ---- TemporalAdapter ------------------------------------------------------------------------------------------
def test_temporal_adapter():
    check_module(lambda: nn.TemporalAdapter(nn.Linear(3, 2)), lambda: torch.randn(2, 4, 3),
                 repr_startswith="nn.TemporalAdapter: nn.Linear(3 -> 2)")
    lin, x = nn.Linear(3, 2), torch.randn(2, 4, 3)
    m = nn.TemporalAdapter(lin)
    _close(_np(m.forward(x)), _np(lin.forward(x.view(8, 3))).reshape(2, 4, 2))
    assert m.parameters()[0] == [lin.weight, lin.bias] and m.evaluate().train is False and lin.train is False
    with pytest.raises(ValueError, match="N x T x A"):
        m.forward(torch.randn(8, 3))


# ---- TemporalCrossEntropyCriterion --------------------------------------------------------------------------
@pytest.mark.parametrize("batch_average,time_average", [(True, False), (False, False), (True, True)])
def test_temporal_cross_entropy_vs_pytorch(batch_average, time_average):
    c = nn.TemporalCrossEntropyCriterion()
    c.batch_average, c.time_average = batch_average, time_average
    x = torch.randn(3, 4, 5)
    y = torch.LongTensor([[0, 4, -1, 2], [1, 1, 1, -1], [3, 0, 2, 4]])
    xp = _pt(x).requires_grad_(True)
    div = (3 if batch_average else 1) * (4 if time_average else 1)
    loss = pt.nn.functional.cross_entropy(xp.reshape(12, 5), pt.from_numpy(y.numpy().reshape(-1)),
                                          ignore_index=-1, reduction="sum") / div
    assert abs(c.forward(x, y) - loss.item()) < 1e-12
    loss.backward()
    _close(_np(c.backward(x, y)), xp.grad.numpy(), 1e-12)


def test_temporal_cross_entropy_float_and_errors():
    c = nn.TemporalCrossEntropyCriterion()
    x = torch.FloatTensor(2, 2, 3).zero()
    assert c.forward(x, torch.LongTensor([[-1, -1], [-1, -1]])) == 0
    assert c.backward(x, None).type() == "torch.FloatTensor" and float(np.abs(c.gradInput.numpy()).max()) == 0
    assert abs(c.forward(x, torch.Tensor([[0, 1], [2, 0]])) - 2 * np.log(3)) < 1e-6
    with pytest.raises(IndexError, match=r"target 3 out of range \[0, 2\]"):
        c.forward(x, torch.LongTensor([[0, 3], [0, 0]]))
    with pytest.raises(ValueError, match="target must be 2x2"):
        c.forward(x, torch.LongTensor([0, 1]))


@pytest.mark.parametrize("cls", [nn.LSTM, nn.GRU, nn.RNN])
def test_gradinput_nil_after_onehot_skips_grad_x(cls):
    """``m.gradInput = None`` (Torch7's nil) on the first recurrent layer: no grad_x GEMM, same weight gradients."""
    torch.manualSeed(2)
    net = nn.Sequential().add(nn.OneHot(7)).add(cls(7, 5)).add(cls(5, 4))
    ref = net.clone()
    net.modules[1].gradInput = None
    x = torch.LongTensor(3, 6).random(0, 6)
    for m in (net, ref):
        m.zeroGradParameters()
        m.backward(x, m.forward(x).clone().fill(1))
    assert net.modules[1].gradInput is None and torch.isTensor(ref.modules[1].gradInput)
    np.testing.assert_array_equal(net.getParameters()[1].numpy(), ref.getParameters()[1].numpy())
    assert net.modules[1].grad_x.nElement() == 0  # never filled
