"""The shared checker every nn module goes through (Jacobian, updates, types, copies, repr).

Usage in a family's test file::

    from nn_checks import check_module
    check_module(lambda: nn.Linear(3, 4), lambda: torch.randn(2, 3))

``make_input`` returns a DoubleTensor (or a list of them for table modules); the checker
builds fresh modules and inputs as it needs them.
"""

from __future__ import annotations

import copy

import numpy as np
from capture_checks import capture_round_trip
from strict_cupy import StrictCupy

import torch7 as torch
from torch7 import nn
from torch7._core import backend
from torch7._core import types as T

PRECISION = 1e-5


def _flat(x) -> np.ndarray:
    if isinstance(x, list):
        return np.concatenate([_flat(v) for v in x]) if x else np.zeros(0)
    if torch.isTensor(x):
        return np.array(x.numpy(), np.float64).reshape(-1)
    return np.array([float(x)])


def _clone(x):
    return [_clone(v) for v in x] if isinstance(x, list) else x.clone()


def _cast(x, typename):
    # Only floating tensors change type: index (Long) and mask (Byte) inputs keep theirs.
    if isinstance(x, list):
        return [_cast(v, typename) for v in x]
    return x.type(typename) if torch.isTensor(x) and x._is_float else x


def _grad_out(out, seed=0):
    rng = np.random.default_rng(seed)
    if isinstance(out, list):
        return [_grad_out(o, seed + i + 1) for i, o in enumerate(out)]
    return torch.from_numpy(rng.uniform(-1, 1, out.numpy().shape).astype(out.numpy().dtype)).clone()


def jacobian_input(module, inp, precision=PRECISION) -> None:
    err = nn.Jacobian.testJacobian(module, inp) if torch.isTensor(inp) else _table_jacobian(module, inp)
    assert err < precision, f"{module._typename}: input Jacobian error {err:.3g}"


def _table_jacobian(module, inputs: list) -> float:
    """Central differences on each tensor of a list input, against updateGradInput."""
    out = module.forward(inputs)
    nout = _flat(out).size
    worst = 0.0
    for k, x in enumerate(inputs):
        flat = x.numpy().reshape(-1)
        num = np.zeros((flat.size, nout))
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + 1e-6
            hi = _flat(module.forward(inputs)).copy()
            flat[i] = orig - 1e-6
            lo = _flat(module.forward(inputs)).copy()
            flat[i] = orig
            num[i] = (hi - lo) / 2e-6
        ana = np.zeros_like(num)
        out = module.forward(inputs)
        for j in range(nout):
            e = np.zeros(nout)
            e[j] = 1
            g = _split_like(out, e)
            gi = module.updateGradInput(inputs, g)
            ana[:, j] = _flat(gi[k])
        worst = max(worst, float(np.abs(num - ana).max()) if num.size else 0.0)
    return worst


def _split_like(out, values: np.ndarray):
    pos = [0]

    def take(o):
        if isinstance(o, list):
            return [take(v) for v in o]
        n = o.nElement()
        g = o.new().resizeAs(o)
        g.numpy().reshape(-1)[:] = values[pos[0]:pos[0] + n]
        pos[0] += n
        return g

    return take(out)


def jacobian_parameters(module, inp, precision=PRECISION) -> None:
    params, grads = module.parameters()
    for i, (p, g) in enumerate(zip(params, grads)):
        err = nn.Jacobian.testJacobianParameters(module, inp, p, g)
        assert err < precision, f"{module._typename}: parameter {i} Jacobian error {err:.3g}"
        err = nn.Jacobian.testJacobianUpdateParameters(module, inp, p)
        assert err < precision, f"{module._typename}: parameter {i} accUpdate error {err:.3g}"


def all_update(module, inp, precision=1e-10) -> None:
    if not module.parameters()[0] or not hasattr(module, "weight"):
        return
    errors = nn.Jacobian.testAllUpdate(module, inp, "weight", "gradWeight")
    for k, e in errors.items():
        assert e < precision, f"{module._typename}: update path {k} differs by {e:.3g}"


def type_round_trip(module, inp, precision=1e-4) -> None:
    """Float and Double versions of the module agree; casting back restores Double."""
    ref_out = _flat(module.forward(inp))
    gout = _grad_out(module.output)
    ref_gin = _flat(module.backward(inp, gout))
    m32 = copy.deepcopy(module).float()
    assert m32.type() == "torch.FloatTensor"
    out32 = _flat(m32.forward(_cast(inp, "torch.FloatTensor")))
    np.testing.assert_allclose(out32, ref_out, rtol=precision, atol=precision,
                               err_msg=f"{module._typename}: float forward differs")
    gin32 = _flat(m32.backward(_cast(inp, "torch.FloatTensor"), _cast(gout, "torch.FloatTensor")))
    np.testing.assert_allclose(gin32, ref_gin, rtol=precision * 10, atol=precision * 10,
                               err_msg=f"{module._typename}: float backward differs")
    for p in m32.parameters()[0]:
        assert p.type() == "torch.FloatTensor"
    m64 = m32.double()
    for p in m64.parameters()[0]:
        assert p.type() == "torch.DoubleTensor"


def _to_cuda(x):
    if isinstance(x, list):
        return [_to_cuda(v) for v in x]
    if not torch.isTensor(x):  # a criterion's number target, or None
        return x
    return x.type(T.CUDA_NAME_OF_SHORT[x._typename[6:-6]])


def _to_host(x):
    if isinstance(x, list):
        return [_to_host(v) for v in x]
    if torch.isTensor(x):
        assert x._is_cuda, f"a {x._typename} came out of a CUDA module"
        return x.type(x._host_typename)
    return x


def gpu_round_trip(module, inp, precision=1e-4) -> None:
    """The CUDA module's output, gradInput and parameter gradients equal the float CPU path.

    On a GPU this runs on CuPy; without one on ``StrictCupy``, which refuses host arrays where CuPy
    does, so a layer that would not run on a device fails here too (CI has no GPU).
    """
    _on_a_device(_round_trip, module, inp, precision)


def _on_a_device(fn, *args) -> None:
    if backend.is_available():
        fn(*args)
        return
    old = backend._set_for_tests(StrictCupy())
    try:
        fn(*args)
    finally:
        backend._restore(old)


def criterion_gpu_round_trip(crit, inp, target, precision=1e-4) -> None:
    """The CUDA criterion's loss (a Python float) and gradInput equal the float CPU path (on CuPy with a
    GPU, on ``StrictCupy`` without one); float targets go to the device too, as in cunn."""
    _on_a_device(_criterion_round_trip, crit, inp, target, precision)


def _criterion_round_trip(crit, inp, target, precision) -> None:
    c32, cc = copy.deepcopy(crit).float(), copy.deepcopy(crit).cuda()
    x32, t32 = _cast(inp, "torch.FloatTensor"), _cast(target, "torch.FloatTensor")
    xc, tc = _to_cuda(x32), _to_cuda(t32)
    name = crit._typename
    l32, lc = c32.forward(x32, t32), cc.forward(xc, tc)
    assert isinstance(lc, float), f"{name}: the CUDA loss is a {type(lc).__name__}, not a float"
    np.testing.assert_allclose(lc, l32, rtol=precision, atol=precision, err_msg=f"{name}: CUDA loss differs")
    g32 = _flat(c32.backward(x32, t32))
    gc = _flat(_to_host(cc.backward(xc, tc)))
    np.testing.assert_allclose(gc, g32, rtol=precision * 10, atol=precision * 10,
                               err_msg=f"{name}: CUDA gradInput differs")


def _round_trip(module, inp, precision) -> None:
    m32, mc = copy.deepcopy(module).float(), copy.deepcopy(module).cuda()
    x32, xc = _cast(inp, "torch.FloatTensor"), _to_cuda(_cast(inp, "torch.FloatTensor"))
    out32 = _flat(m32.forward(x32))
    outc = _flat(_to_host(mc.forward(xc)))
    name = module._typename
    np.testing.assert_allclose(outc, out32, rtol=precision, atol=precision, err_msg=f"{name}: CUDA forward differs")
    gout = _grad_out(m32.output)
    m32.zeroGradParameters()
    mc.zeroGradParameters()
    gin32 = _flat(m32.backward(x32, gout))
    ginc = _flat(_to_host(mc.backward(xc, _to_cuda(gout))))
    np.testing.assert_allclose(ginc, gin32, rtol=precision * 10, atol=precision * 10,
                               err_msg=f"{name}: CUDA backward differs")
    for i, (g32, gc) in enumerate(zip(m32.parameters()[1], mc.parameters()[1], strict=True)):
        if not torch.isTensor(g32):  # IndexLinear's gradients are its table of pending sparse updates
            continue
        np.testing.assert_allclose(_flat(_to_host(gc)), _flat(g32), rtol=precision * 10, atol=precision * 10,
                                   err_msg=f"{name}: CUDA gradient of parameter {i} differs")


def shared_clone(module, inp) -> None:
    """``clone('weight', 'bias')`` shares parameters: an update of one shows in the other."""
    params = module.parameters()[0]
    if not params:
        return
    names = [k for k in ("weight", "bias") if torch.isTensor(getattr(module, k, None))]
    if not names:
        return
    c = module.clone(*names)
    for k in names:
        assert getattr(c, k).storage() is getattr(module, k).storage(), f"{module._typename}: {k} not shared"
    getattr(c, names[0]).add(1.0)
    np.testing.assert_array_equal(getattr(c, names[0]).numpy(), getattr(module, names[0]).numpy())
    d = module.clone()
    assert getattr(d, names[0]).storage() is not getattr(module, names[0]).storage()


def io_round_trip(module, inp) -> None:
    ferr, berr = nn.Jacobian.testIO(module, inp)
    assert ferr == 0 and berr == 0, f"{module._typename}: round trip changed outputs ({ferr}, {berr})"


def check_module(make_module, make_input, jacobian=True, precision=PRECISION, repr_startswith=None,
                 stochastic=False) -> None:
    """Run every shared check on fresh modules and inputs from the factories.

    ``stochastic`` modules (Dropout, RReLU, ...) are checked in evaluate mode for the Jacobian.
    """
    torch.manualSeed(1)
    m = make_module()
    if stochastic:
        m.evaluate()
    if jacobian:
        jacobian_input(m, make_input(), precision)
        jacobian_parameters(m, make_input(), precision)
        all_update(make_module(), make_input())
    m = make_module()
    if stochastic:
        m.evaluate()
    type_round_trip(m, make_input())
    gpu_round_trip(m, make_input())
    capture_round_trip(m, make_input(), lambda v: _to_cuda(_cast(v, "torch.FloatTensor")), _grad_out)
    shared_clone(make_module(), make_input())
    m = make_module()
    if stochastic:
        m.evaluate()
    io_round_trip(m, make_input())
    text = repr(make_module())
    assert text.startswith(repr_startswith or make_module()._typename), text


def copy_to_torch(src, dst, names=(("weight", "weight"), ("bias", "bias"))) -> None:
    """Copy our parameters into a PyTorch module (same layout assumed)."""
    import torch as pt

    with pt.no_grad():
        for ours, theirs in names:
            if getattr(src, ours, None) is not None and getattr(dst, theirs, None) is not None:
                getattr(dst, theirs).copy_(pt.from_numpy(np.array(getattr(src, ours).numpy())))


def compare_with_torch(module, torch_fn, inp, precision=1e-6) -> None:
    """Forward and input-gradient of ``module`` against ``torch_fn`` (a PyTorch callable) in float64."""
    import torch as pt

    x = pt.from_numpy(np.array(inp.numpy())).requires_grad_(True)
    y = torch_fn(x)
    out = module.forward(inp)
    np.testing.assert_allclose(out.numpy(), y.detach().numpy(), rtol=precision, atol=precision)
    gout = _grad_out(out)
    gin = module.backward(inp, gout)
    y.backward(pt.from_numpy(np.array(gout.numpy())))
    np.testing.assert_allclose(gin.numpy(), x.grad.numpy(), rtol=precision, atol=precision)
