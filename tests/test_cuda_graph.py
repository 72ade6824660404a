"""``cutorch.CudaGraph`` and the capture-safe GEMMs of ``torch7.cutorch.cublas``.

Without a GPU these run on ``StrictCupy`` with a stand-in cuBLAS compiled for the host
(tests/fake_cublas.py): the emulation refuses cuBLAS through CuPy and host synchronisation during a capture as
CuPy and CUDA do, and computes the captured work at once (a real capture only records it), so the captured
step's results can be compared with an eager step's. The ``gpu`` tests replay real graphs.
"""

from __future__ import annotations

import ctypes
import functools
import shutil

import fake_cublas
import numpy as np
import pytest
import strict_cupy
from device_env import needs_kernels
from strict_cupy import StrictCupy

import torch7 as torch
from torch7 import cutorch, nn
from torch7._core import backend
from torch7.cutorch import cublas

pytestmark = needs_kernels


@pytest.fixture
def emu():
    """StrictCupy as the CUDA engine, the stand-in cuBLAS as torch7's; yields (cupy, what cuBLAS saw)."""
    old = backend._set_for_tests(StrictCupy())
    path = fake_cublas.build()
    old_lib = cublas._set_library_for_tests(path)
    fake_cublas.record_gemms(cublas._library(), strict_cupy._record)
    try:
        yield backend.cupy(), fake_cublas.Counters(path)
    finally:
        cublas._restore(old_lib)
        backend._restore(old)


@pytest.fixture
def device(request):
    """CuPy on a GPU when there is one, else the emulation."""
    yield backend.cupy() if backend.is_available() else request.getfixturevalue("emu")[0]


def _operand(cp, rng, shape, layout, dtype):
    """A device matrix of ``shape`` stored row-major, column-major (a transposed view) or with a gap."""
    if layout == "c":
        return cp.asarray(rng.standard_normal(shape).astype(dtype))
    if layout == "f":
        return cp.asarray(rng.standard_normal(shape[::-1]).astype(dtype)).T
    big = cp.asarray(rng.standard_normal((shape[0], 2 * shape[1] + 1)).astype(dtype))
    return big[:, 1::2] if layout == "strided" else big[:, : shape[1]]  # "strided": no unit stride at all


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("la", ["c", "f", "strided", "wide"])
@pytest.mark.parametrize("lb", ["c", "f", "wide"])
@pytest.mark.parametrize("mkn", [(5, 4, 3), (1, 4, 3), (5, 1, 3), (5, 4, 1), (1, 1, 1)])
def test_matmul_layouts_match_numpy(emu, dtype, la, lb, mkn):
    cp, seen = emu
    rng = np.random.default_rng(sum(mkn))
    m, k, n = mkn
    a, b = _operand(cp, rng, (m, k), la, dtype), _operand(cp, rng, (k, n), lb, dtype)
    before = seen.gemms
    r = cublas.matmul(cp, a, b)
    assert seen.gemms == before + 1
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(r.get(), a.get() @ b.get(), rtol=tol, atol=tol)


@pytest.mark.parametrize("shapes", [((4,), (4, 3)), ((5, 4), (4,)), ((4,), (4,)), ((2, 5, 4), (2, 4, 3)),
                                    ((2, 5, 4), (4,)), ((2, 5, 4), (4, 3)), ((5, 4), (2, 4, 3)), ((4,), (2, 4, 3)),
                                    ((2, 3, 5, 4), (4, 3)), ((2, 3, 5, 4), (4,))])
def test_matmul_vectors_and_batches(emu, shapes):
    cp, _ = emu
    rng = np.random.default_rng(1)
    a, b = (cp.asarray(rng.standard_normal(s)) for s in shapes)
    want = np.matmul(a.get(), b.get())
    out = cp.empty(want.shape)
    got = cublas.matmul(cp, a, b, out)
    assert got is out and got.shape == want.shape
    np.testing.assert_allclose(out.get(), want, rtol=1e-13, atol=1e-13)


def test_gemm_into_transposed_or_overlapping_output_and_beta(emu):
    cp, _ = emu
    rng = np.random.default_rng(2)
    a, b = cp.asarray(rng.standard_normal((3, 4))), cp.asarray(rng.standard_normal((4, 3)))
    c0 = rng.standard_normal((3, 3))
    ct = cp.asarray(c0.T.copy()).T  # column-major output: computed aside, then copied in
    cublas.gemm(cp, a, b, ct, alpha=2.0, beta=0.5)
    np.testing.assert_allclose(ct.get(), 2 * a.get() @ b.get() + 0.5 * c0, rtol=1e-13)
    sq = cp.asarray(rng.standard_normal((3, 3)))
    want = sq.get() @ sq.get()
    cublas.gemm(cp, sq, sq, sq)  # the output is an operand
    np.testing.assert_allclose(sq.get(), want, rtol=1e-13)


@pytest.mark.parametrize("spec, shapes", [
    ("ij,ij->i", [(3, 4), (3, 4)]), ("ncm,ncm->nc", [(2, 3, 5), (2, 3, 5)]), ("nchw,nchw->nhw", [(2, 3, 4, 5)] * 2),
    ("ncmyx,ncyx->mc", [(2, 3, 4, 5, 6), (2, 3, 5, 6)]), ("ncyx,ncyx->c", [(2, 3, 4, 5)] * 2),
    ("nk,ni,nj->kij", [(4, 2), (4, 3), (4, 5)]), ("ni,kij,nj->nk", [(4, 3), (2, 3, 5), (4, 5)]),
    ("ntkc,ntc->ck", [(2, 3, 4, 5), (2, 3, 5)]), ("ij,jk", [(3, 4), (4, 2)]), ("ji", [(3, 4)])])
def test_einsum_without_cublas_matches_numpy(emu, spec, shapes):
    cp, _ = emu
    rng = np.random.default_rng(len(spec))
    hosts = [rng.standard_normal(sh) for sh in shapes]
    got = cublas.einsum(cp, spec, *(cp.asarray(h) for h in hosts))
    np.testing.assert_allclose(got.get(), np.einsum(spec, *hosts), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shapes, axes", [(((2, 3, 4), (3, 4, 5)), 2), (((2, 3, 4), (2, 5, 4)), ([0, 2], [0, 2])),
                                          (((3, 4), (4, 2)), 1), (((2, 3), (4,)), 0)])
def test_tensordot_through_one_gemm_matches_numpy(emu, shapes, axes):
    cp, _ = emu
    rng = np.random.default_rng(7)
    a, b = (rng.standard_normal(sh) for sh in shapes)
    got = cublas.tensordot(cp, cp.asarray(a), cp.asarray(b), axes)
    np.testing.assert_allclose(got.get(), np.tensordot(a, b, axes), rtol=1e-12, atol=1e-12)


def test_einsum_leaves_what_it_does_not_handle(emu):
    cp, _ = emu
    assert cublas.einsum(cp, "ii->i", cp.zeros((3, 3))) is None
    assert cublas.einsum(cp, "...i,...i->...", cp.zeros((2, 3)), cp.zeros((2, 3))) is None


def test_matmul_rejects_what_does_not_fit(emu):
    cp, _ = emu
    with pytest.raises(ValueError, match=r"sizes do not match: \(2, 3\) and \(4, 2\)"):
        cublas.matmul(cp, cp.zeros((2, 3)), cp.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"batch sizes do not match: \(2, 2, 3\) and \(3, 3, 2\)"):
        cublas.matmul(cp, cp.zeros((2, 2, 3)), cp.zeros((3, 3, 2)))
    assert not cublas.supported(cp.zeros((2, 2), np.float16), cp.zeros((2, 2), np.float16))
    assert not cublas.supported(cp.zeros((2, 2)), cp.zeros((2, 2), np.float32))
    assert not cublas.supported(cp.zeros((2, 2, 2, 2)), cp.zeros((2, 2, 2)))  # deep batches on both sides


def test_one_handle_per_device_with_its_workspace(emu):
    cp, seen = emu
    made = seen.handles
    h = cublas.handle(cp)
    assert cublas.handle(cp) == h and seen.handles == made + 1 and seen.workspace == cublas.WORKSPACE_BYTES
    stream = cp.cuda.Stream(non_blocking=True)
    with stream:
        cublas.matmul(cp, cp.ones((2, 2)), cp.ones((2, 2)))
    assert seen.stream == stream.ptr  # the GEMM ran on the stream current at the call


@pytest.mark.skipif(backend.is_available(), reason="maps a stand-in libcublas, which must not meet the real one")
def test_the_cublas_library_in_the_process_is_found(tmp_path):
    dst = tmp_path / "libcublas.so.99"
    shutil.copy(fake_cublas.build(), dst)
    ctypes.CDLL(str(dst))
    assert cublas._loaded_path() == str(dst)
    old = cublas._set_library_for_tests(None)
    try:
        assert cublas._library()._name == str(dst)
    finally:
        cublas._restore(old)


def _mlp_step(net, x, y, crit, lr=0.1):
    params, grads = net.getParameters()

    def step():
        grads.zero()
        out = net.forward(x)
        crit.forward(out, y)
        net.backward(x, crit.backward(out, y))
        params.add(-lr, grads)
        return out

    return step, params


def _mlp(seed=0):
    torch.manualSeed(seed)
    return nn.Sequential().add(nn.Linear(6, 5)).add(nn.Tanh()).add(nn.Linear(5, 3)).add(nn.LogSoftMax())


def test_capture_routes_every_gemm_of_the_step(emu):
    cp, seen = emu
    x = torch.randn(4, 6).cuda()
    y = torch.LongTensor([0, 2, 1, 2]).cudaLong()
    step, params = _mlp_step(_mlp().cuda(), x, y, nn.ClassNLLCriterion().cuda())
    step()
    before, warm = seen.gemms, params.float().numpy().copy()
    g = cutorch.CudaGraph(step, warmup=0)
    np.testing.assert_array_equal(params.float().numpy(), warm)  # as on a GPU, a capture computes nothing
    assert seen.gemms - before == 6  # 2 forward, 2 gradInput, 2 gradWeight: all the capture's (the warm-up's: CuPy's)
    assert g.isCaptured() and "matmul" not in vars(cp) and "dot" not in vars(cp)  # CuPy's own functions are back
    g.replay()
    assert np.abs(params.float().numpy() - warm).max() > 1e-4
    g.replay()
    assert seen.gemms - before == 18 and g.replays == 2
    assert g._graph.launches == [cp.cuda.get_current_stream()] * 2
    assert repr(g).startswith("cutorch.CudaGraph(captured, ")


def _lstm_net(seed=3, cell="LSTM"):
    torch.manualSeed(seed)
    net = nn.Sequential().add(nn.OneHot(7)).add(getattr(nn, cell)(7, 4)).add(getattr(nn, cell)(4, 4))
    return net.add(nn.View(-1, 4)).add(nn.Linear(4, 7)).add(nn.LogSoftMax())


def _lenet(seed=1):
    torch.manualSeed(seed)
    net = nn.Sequential().add(nn.SpatialConvolution(3, 4, 5, 5)).add(nn.ReLU()).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    net.add(nn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1)).add(nn.SpatialBatchNormalization(6)).add(nn.Tanh())
    return net.add(nn.View(6 * 6 * 6)).add(nn.Linear(6 * 6 * 6, 10)).add(nn.LogSoftMax())


@pytest.mark.parametrize("model", ["mlp", "LSTM", "GRU", "RNN", "convnet"])
def test_replayed_steps_equal_eager_steps(device, model):
    """The graph replays the step on the captured memory, with new data copied into the captured input."""
    rng = np.random.default_rng(4)
    if model == "mlp":
        make, batches = _mlp, [(torch.randn(4, 6), torch.LongTensor(rng.integers(0, 3, 4))) for _ in range(4)]
    elif model == "convnet":
        make = _lenet
        batches = [(torch.randn(3, 3, 16, 16), torch.LongTensor(rng.integers(0, 10, 3))) for _ in range(3)]
    else:
        make = functools.partial(_lstm_net, cell=model)
        batches = [(torch.LongTensor(rng.integers(0, 7, (2, 3))), torch.LongTensor(rng.integers(0, 7, 6)))
                   for _ in range(4)]
    up = (lambda t: t.cuda()) if model in ("mlp", "convnet") else (lambda t: t.cudaLong())
    x, y = up(batches[0][0]), batches[0][1].cudaLong()
    crit_a, crit_b = nn.ClassNLLCriterion().cuda(), nn.ClassNLLCriterion().cuda()
    step_a, params_a = _mlp_step(make().cuda(), x, y, crit_a)
    step_b, params_b = _mlp_step(make().cuda(), x, y, crit_b)
    step_a()  # the graph's warm-up step (the capture itself computes nothing)
    g = cutorch.CudaGraph(step_b, warmup=1)
    for xb, yb in batches:
        x.copy(up(xb))
        y.copy(yb.cudaLong())
        step_a()
        g.replay()
        cutorch.synchronize()
        np.testing.assert_allclose(params_b.double().numpy(), params_a.double().numpy(), rtol=2e-5, atol=2e-6)
        assert crit_b.output_tensor.float()[0] == pytest.approx(crit_a.output, rel=1e-5)


def test_the_loss_stays_on_the_device_during_a_capture(device):
    net = _mlp().cuda()
    x, y = torch.randn(4, 6).cuda(), torch.LongTensor([0, 1, 2, 0]).cudaLong()
    scores = nn.Sequential().add(net.get(0)).add(net.get(1)).add(net.get(2))  # without the LogSoftMax
    for crit, model in ((nn.ClassNLLCriterion().cuda(), net), (nn.CrossEntropyCriterion().cuda(), scores)):
        g = cutorch.CudaGraph(lambda c=crit, m=model: c.forward(m.forward(x), y), warmup=1)
        assert torch.isTensor(g.output) and g.output.type() == "torch.CudaTensor" and g.output.size() == (1,)
        x.copy(torch.randn(4, 6))
        want = nn.ClassNLLCriterion().cuda().forward(net.forward(x), y)
        g.replay()
        assert g.output.float()[0] == pytest.approx(want, rel=1e-6)
        assert crit.forward(model.forward(x), y) == pytest.approx(want, rel=1e-6)  # a number again, eagerly


@pytest.mark.parametrize("name", ["MSECriterion", "AbsCriterion", "SmoothL1Criterion", "BCECriterion"])
def test_regression_losses_stay_on_the_device_during_a_capture(device, name):
    torch.manualSeed(2)
    net = nn.Sequential().add(nn.Linear(5, 3)).add(nn.Sigmoid()).cuda()
    x, t = torch.randn(4, 5).cuda(), torch.rand(4, 3).cuda()
    crit, eager = getattr(nn, name)().cuda(), getattr(nn, name)().cuda()
    g = cutorch.CudaGraph(lambda: crit.forward(net.forward(x), t), warmup=1)
    x.copy(torch.randn(4, 5))
    want = eager.forward(net.forward(x), t)
    g.replay()
    assert g.output is crit.output_tensor and g.output.float()[0] == pytest.approx(want, rel=1e-5)
    assert isinstance(crit.forward(net.forward(x), t), float)  # a number again, eagerly


def test_host_synchronisation_in_the_step_is_refused_and_cleaned_up(emu):
    cp, _ = emu
    net, x = _mlp().cuda(), torch.randn(4, 6).cuda()
    g = cutorch.CudaGraph()
    refused = r"waits for the device from the host \(a loss returned as a number.*ndarray.float"
    with pytest.raises(cutorch.CaptureError, match=refused):
        g.capture(lambda: net.forward(x).sum())  # torch7's sum of a whole tensor is a number
    assert not g.isCaptured() and cp.cuda.runtime.capturing is None
    assert cp.cuda.get_current_stream() is cp.cuda.Stream.null and "matmul" not in vars(cp)
    with pytest.raises(RuntimeError, match="nothing captured yet"):
        g.replay()


@pytest.mark.parametrize("what", ["nonzero", "maskedSelect", "item"])
def test_results_sized_by_device_data_are_refused(emu, what):
    x = torch.randn(3, 4).cuda()
    step = {"nonzero": lambda: torch.nonzero(x), "maskedSelect": lambda: x.maskedSelect(x.gt(0)),
            "item": lambda: x[1][2]}[what]
    with pytest.raises(cutorch.CaptureError, match="waits for the device from the host"):
        cutorch.CudaGraph(step, warmup=0)


def test_cublas_work_that_is_not_routed_is_named(emu):
    cp, _ = emu
    a = torch.randn(3, 4).cuda()
    with pytest.raises(cutorch.CaptureError, match="cuBLAS routine that torch7 does not route"):
        cutorch.CudaGraph(lambda: cp.inner(a._a, a._a), warmup=0)


def test_memory_allocated_in_the_capture_stays_with_the_graph(emu):
    cp, _ = emu
    handed = []
    cp.allocator = cp.default_allocator = lambda n: handed.append(n) or ("memory", n)
    a = torch.randn(3, 3).cuda()
    g = cutorch.CudaGraph()
    g.capture(lambda: torch.mm(a, a), warmup=1)
    assert len(handed) >= 2  # the warm-up's product and the captured one's
    assert g._memory == [("memory", n) for n in handed[-len(g._memory):]] and g._memory
    assert g._memory[-1] == ("memory", 3 * 3 * 4)
    g.reset()
    assert g._memory == [] and not g.isCaptured() and repr(g) == "cutorch.CudaGraph(empty)"


def test_capture_takes_a_function(emu):
    with pytest.raises(TypeError, match="expected a function, got int"):
        cutorch.CudaGraph().capture(3)
