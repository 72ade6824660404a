"""Every gradient of torch7.autograd.gradfuns against float64 central differences, some against PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch as pt
from autograd_helpers import central_differences

import torch7 as torch
from torch7 import autograd
from torch7.autograd import gradfuns

RNG = np.random.default_rng(1234)


def T(*shape, low=-1.0, high=1.0):
    """A random DoubleTensor with values in [low, high)."""
    return torch.from_numpy(RNG.uniform(low, high, size=shape))


def POS(*shape):
    return T(*shape, low=0.5, high=2.0)


def _weights(shape) -> torch.Tensor:
    # Fixed weights (from the shape alone) so that the loss of a tensor output has a non-trivial gradient.
    return torch.from_numpy(np.random.default_rng(sum(shape) + 7 * len(shape)).uniform(0.5, 1.5, size=shape))


def _scalar(out):
    """A number from a value: itself, or the weighted sum of a tensor."""
    if isinstance(out, (int, float)) or not hasattr(out, "size"):
        return out
    return torch.sum(out * _weights(tuple(out.size())))


def _loss(fn):
    def f(p):
        out = fn(p)
        if isinstance(out, (tuple, list)):
            out = out[0]
        return _scalar(out)
    return f


def _leaves(p, path=()):
    if isinstance(p, dict):
        for k, v in p.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(p, (list, tuple)):
        for i, v in enumerate(p):
            yield from _leaves(v, (*path, i))
    else:
        yield path, p


def _get(s, path):
    for k in path:
        s = s[k]
    return s


def _set(s, path, v):
    for k in path[:-1]:
        s = s[k]
    s[path[-1]] = v


def numgrad(f, params, eps=1e-6):
    """Central differences of the scalar f(params) for every leaf (tensors element-wise, numbers)."""
    out = {}
    for path, leaf in _leaves(params):
        if isinstance(leaf, torch.Tensor):
            out[path] = central_differences(lambda: float(f(params)), leaf.numpy(), eps)
        elif isinstance(leaf, float):
            _set(params, path, leaf + eps)
            hi = float(f(params))
            _set(params, path, leaf - eps)
            lo = float(f(params))
            _set(params, path, leaf)
            out[path] = (hi - lo) / (2 * eps)
    return out


def check(fn, params, tol=1e-6):
    """autograd's gradient of sum(fn(params) * weights) equals central differences, for every leaf."""
    f = _loss(fn)
    grads, loss = autograd.grad(f)(params)
    assert abs(float(loss) - float(f(params))) < 1e-12 * max(1.0, abs(float(loss)))
    expected = numgrad(f, params)
    assert expected, "nothing to check"
    for path, want in expected.items():
        got = _get(grads, path)
        if isinstance(want, np.ndarray):
            assert isinstance(got, torch.Tensor) and tuple(got.size()) == want.shape, (path, got)
            np.testing.assert_allclose(got.numpy(), want, rtol=tol, atol=tol, err_msg=str(path))
        else:
            assert isinstance(got, float), (path, type(got))
            assert abs(got - want) < tol * max(1.0, abs(want)), (path, got, want)


X = T(3, 4)
Y = T(3, 4)
I3 = torch.LongTensor([[0, 2, 1, 0], [1, 1, 0, 2]])

CASES = {
    # arithmetic functions (the broadcasting and Torch7 same-count forms included)
    "add": (lambda p: torch.add(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 4)}),
    "add_bcast": (lambda p: torch.add(p["x"], p["b"]), {"x": T(3, 4), "b": T(4)}),
    "add_samecount": (lambda p: torch.add(p["x"], p["y"]), {"x": T(3, 4), "y": T(12)}),
    "add_number": (lambda p: torch.add(p["x"], p["a"]), {"x": T(3, 4), "a": 0.7}),
    "add_value": (lambda p: torch.add(p["x"], p["a"], p["y"]), {"x": T(3, 4), "a": 0.7, "y": T(3, 4)}),
    "csub": (lambda p: torch.csub(p["x"], p["y"]), {"x": T(3, 4), "y": T(1, 4)}),
    "csub_value": (lambda p: torch.csub(p["x"], p["a"], p["y"]), {"x": T(3, 4), "a": 1.5, "y": T(3, 4)}),
    "cmul": (lambda p: torch.cmul(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 1)}),
    "mul": (lambda p: torch.mul(p["x"], p["a"]), {"x": T(3, 4), "a": -1.3}),
    "div": (lambda p: torch.div(p["x"], p["a"]), {"x": T(3, 4), "a": 1.7}),
    "cdiv": (lambda p: torch.cdiv(p["x"], p["y"]), {"x": T(3, 4), "y": POS(3, 4)}),
    "pow": (lambda p: torch.pow(p["x"], 3), {"x": T(3, 4)}),
    "pow_real": (lambda p: torch.pow(p["x"], p["a"]), {"x": POS(3, 4), "a": 2.5}),
    "pow_base": (lambda p: torch.pow(p["a"], p["x"]), {"x": T(3, 4), "a": 1.8}),
    "cpow": (lambda p: torch.cpow(p["x"], p["y"]), {"x": POS(3, 4), "y": T(3, 4)}),
    "lerp": (lambda p: torch.lerp(p["x"], p["y"], 0.3), {"x": T(3, 4), "y": T(3, 4)}),
    "addcmul": (lambda p: torch.addcmul(p["x"], 0.5, p["y"], p["z"]), {"x": T(3, 4), "y": T(3, 4), "z": T(3, 4)}),
    "addcdiv": (lambda p: torch.addcdiv(p["x"], p["y"], p["z"]), {"x": T(3, 4), "y": T(3, 4), "z": POS(3, 4)}),
    "neg": (lambda p: torch.neg(p["x"]), {"x": T(3, 4)}),
    # operators
    "op_add": (lambda p: p["x"] + p["y"] + 2 + p["a"], {"x": T(3, 4), "y": T(4), "a": 0.3}),
    "op_sub": (lambda p: 2 - p["x"] - p["y"], {"x": T(3, 4), "y": T(3, 1)}),
    "op_mul": (lambda p: p["x"] * p["y"] * 3 * p["a"], {"x": T(3, 4), "y": T(3, 4), "a": 0.9}),
    "op_div": (lambda p: p["x"] / p["y"] + 1 / p["y"] + p["x"] / 2, {"x": T(3, 4), "y": POS(3, 4)}),
    "op_pow": (lambda p: p["x"] ** 2 + p["y"] ** p["x"] + 2 ** p["x"], {"x": T(3, 4), "y": POS(3, 4)}),
    "op_neg_abs": (lambda p: -abs(p["x"]), {"x": T(3, 4)}),
    "op_number": (lambda p: p["a"] * p["b"] + p["a"] / p["b"] - p["b"] ** 2 + (-p["a"]), {"a": 0.6, "b": 1.3}),
    "op_matmul_dot": (lambda p: p["x"] @ p["y"], {"x": T(5), "y": T(5)}),
    "op_matmul_mv": (lambda p: p["m"] @ p["v"], {"m": T(3, 5), "v": T(5)}),
    "op_matmul_mm": (lambda p: p["a"] @ p["b"], {"a": T(3, 5), "b": T(5, 2)}),
    "op_matmul_bmm": (lambda p: p["a"] @ p["b"], {"a": T(2, 3, 5), "b": T(2, 5, 2)}),
    # element-wise functions
    "exp": (lambda p: torch.exp(p["x"]), {"x": T(3, 4)}),
    "log": (lambda p: torch.log(p["x"]), {"x": POS(3, 4)}),
    "log1p": (lambda p: torch.log1p(p["x"]), {"x": POS(3, 4)}),
    "sqrt": (lambda p: torch.sqrt(p["x"]), {"x": POS(3, 4)}),
    "rsqrt": (lambda p: torch.rsqrt(p["x"]), {"x": POS(3, 4)}),
    "sin": (lambda p: torch.sin(p["x"]), {"x": T(3, 4)}),
    "cos": (lambda p: torch.cos(p["x"]), {"x": T(3, 4)}),
    "tan": (lambda p: torch.tan(p["x"]), {"x": T(3, 4)}),
    "asin": (lambda p: torch.asin(p["x"]), {"x": T(3, 4, low=-0.8, high=0.8)}),
    "acos": (lambda p: torch.acos(p["x"]), {"x": T(3, 4, low=-0.8, high=0.8)}),
    "atan": (lambda p: torch.atan(p["x"]), {"x": T(3, 4)}),
    "sinh": (lambda p: torch.sinh(p["x"]), {"x": T(3, 4)}),
    "cosh": (lambda p: torch.cosh(p["x"]), {"x": T(3, 4)}),
    "tanh": (lambda p: torch.tanh(p["x"]), {"x": T(3, 4)}),
    "sigmoid": (lambda p: torch.sigmoid(p["x"]), {"x": T(3, 4)}),
    "cinv": (lambda p: torch.cinv(p["x"]), {"x": POS(3, 4)}),
    "abs": (lambda p: torch.abs(p["x"]), {"x": T(3, 4)}),
    "frac": (lambda p: torch.frac(p["x"]), {"x": T(3, 4, low=1.1, high=1.9)}),
    "floor": (lambda p: torch.floor(p["x"]) + p["x"], {"x": T(3, 4, low=1.1, high=1.9)}),
    "ceil": (lambda p: torch.ceil(p["x"]) * p["x"], {"x": T(3, 4, low=1.1, high=1.9)}),
    "round": (lambda p: torch.round(p["x"]) * p["x"], {"x": T(3, 4, low=1.1, high=1.4)}),
    "trunc": (lambda p: torch.trunc(p["x"]) * p["x"], {"x": T(3, 4, low=1.1, high=1.9)}),
    "sign": (lambda p: torch.sign(p["x"]) * p["x"], {"x": POS(3, 4)}),
    "atan2": (lambda p: torch.atan2(p["y"], p["x"]), {"y": T(3, 4), "x": POS(3, 4)}),
    "clamp": (lambda p: torch.clamp(p["x"], -0.5, 0.5),
              {"x": torch.Tensor([[-0.9, -0.2, 0.1, 0.7], [0.3, -0.6, 0.45, 2]])}),
    "cmax": (lambda p: torch.cmax(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 4)}),
    "cmin": (lambda p: torch.cmin(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 4)}),
    "cmax_number": (lambda p: torch.cmax(p["x"], 0.1), {"x": T(3, 4)}),
    # reductions
    "sum": (lambda p: torch.sum(p["x"]), {"x": T(3, 4)}),
    "sum_dim": (lambda p: torch.sum(p["x"], 1), {"x": T(3, 4)}),
    "sum_method": (lambda p: p["x"].sum(0), {"x": T(3, 4)}),
    "mean": (lambda p: torch.mean(p["x"]), {"x": T(3, 4)}),
    "mean_dim": (lambda p: torch.mean(p["x"], 0), {"x": T(3, 4)}),
    "max": (lambda p: torch.max(p["x"]), {"x": T(3, 4)}),
    "max_dim": (lambda p: torch.max(p["x"], 1), {"x": T(3, 4)}),
    "min": (lambda p: torch.min(p["x"]), {"x": T(3, 4)}),
    "min_dim": (lambda p: p["x"].min(0), {"x": T(3, 4)}),
    "prod": (lambda p: torch.prod(p["x"]), {"x": POS(2, 3)}),
    "prod_dim": (lambda p: torch.prod(p["x"], 1), {"x": T(3, 4)}),
    "norm": (lambda p: torch.norm(p["x"]), {"x": T(3, 4)}),
    "norm_1": (lambda p: torch.norm(p["x"], 1), {"x": T(3, 4)}),
    "norm_3": (lambda p: torch.norm(p["x"], 3), {"x": T(3, 4)}),
    "norm_dim": (lambda p: torch.norm(p["x"], 2, 1), {"x": T(3, 4)}),
    "norm_3_dim": (lambda p: torch.norm(p["x"], 3, 0), {"x": T(3, 4)}),
    "norm_inf": (lambda p: torch.norm(p["x"], math.inf), {"x": T(3, 4)}),
    "norm_inf_dim": (lambda p: torch.sum(torch.norm(p["x"], math.inf, 1) * torch.Tensor([[1], [2], [3]])),
                     {"x": T(3, 4)}),
    "norm_0": (lambda p: torch.norm(p["x"], 0) * torch.sum(p["x"]), {"x": T(3, 4)}),
    "dist": (lambda p: torch.dist(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 4)}),
    "dist_3": (lambda p: torch.dist(p["x"], p["y"], 3), {"x": T(3, 4), "y": T(3, 4)}),
    "var": (lambda p: torch.var(p["x"]), {"x": T(3, 4)}),
    "var_dim": (lambda p: torch.var(p["x"], 1), {"x": T(3, 4)}),
    "var_dim_biased": (lambda p: torch.var(p["x"], 0, True), {"x": T(3, 4)}),
    "std": (lambda p: torch.std(p["x"]), {"x": T(3, 4)}),
    "std_dim": (lambda p: torch.std(p["x"], 1), {"x": T(3, 4)}),
    "cumsum": (lambda p: torch.cumsum(p["x"], 1), {"x": T(3, 4)}),
    "cumsum_0": (lambda p: torch.cumsum(p["x"], 0), {"x": T(3, 4)}),
    # views, shapes and types
    "view": (lambda p: p["x"].view(4, 3), {"x": T(3, 4)}),
    "view_torch": (lambda p: torch.view(p["x"], 2, 6), {"x": T(3, 4)}),
    "viewAs": (lambda p: torch.viewAs(p["x"], torch.zeros(6, 2)), {"x": T(3, 4)}),
    "reshape": (lambda p: torch.reshape(p["x"], 6, 2), {"x": T(3, 4)}),
    "reshape_method": (lambda p: p["x"].t().reshape(12), {"x": T(3, 4)}),
    "squeeze": (lambda p: torch.squeeze(p["x"]), {"x": T(3, 1, 4)}),
    "squeeze_number": (lambda p: torch.squeeze(p["x"]) * 2, {"x": T(1, 1)}),
    "unsqueeze": (lambda p: p["x"].unsqueeze(1), {"x": T(3, 4)}),
    "contiguous_clone": (lambda p: p["x"].t().contiguous().clone(), {"x": T(3, 4)}),
    "expand": (lambda p: torch.expand(p["x"], 3, 4), {"x": T(1, 4)}),
    "expand_lead": (lambda p: p["x"].expand(2, 3, 4), {"x": T(3, 1)}),
    "expandAs": (lambda p: torch.expandAs(p["x"], torch.zeros(3, 4)), {"x": T(3, 1)}),
    "repeatTensor": (lambda p: torch.repeatTensor(p["x"], 2, 1, 3), {"x": T(3, 2)}),
    "t": (lambda p: p["x"].t(), {"x": T(3, 4)}),
    "transpose": (lambda p: p["x"].transpose(0, 2), {"x": T(2, 3, 4)}),
    "permute": (lambda p: torch.permute(p["x"], 2, 0, 1), {"x": T(2, 3, 4)}),
    "narrow": (lambda p: p["x"].narrow(1, 1, 2), {"x": T(3, 4)}),
    "select": (lambda p: p["x"].select(0, 1), {"x": T(3, 4)}),
    "select_number": (lambda p: p["x"].select(0, 2) * p["x"].select(0, 0), {"x": T(4)}),
    "getitem": (lambda p: p["x"][1] + p["x"][0:2, 1:3].sum() + p["x"][2, 3] + p["x"][:, -1].sum(), {"x": T(3, 4)}),
    "getitem_index": (lambda p: p["x"][torch.LongTensor([0, 2, 0])], {"x": T(3, 4)}),
    "getitem_mask": (lambda p: p["x"][torch.gt(torch.Tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), 0)],
                     {"x": T(3, 4)}),
    "index": (lambda p: p["x"].index(1, torch.LongTensor([3, 0, 3])), {"x": T(3, 4)}),
    "indexAdd": (lambda p: gradfuns.P["indexAdd"](p["x"], 0, torch.LongTensor([2, 0, 2]), p["s"]),
                 {"x": T(3, 4), "s": T(3, 4)}),
    "gather": (lambda p: torch.gather(p["x"], 0, I3), {"x": T(3, 4)}),
    "scatter": (lambda p: torch.scatter(p["x"], 1, torch.LongTensor([[3], [0], [1]]), p["s"]),
                {"x": T(3, 4), "s": T(3, 1)}),
    "scatter_number": (lambda p: torch.scatter(p["x"], 0, torch.LongTensor([[0, 1, 2, 0]]), p["a"]),
                       {"x": T(3, 4), "a": 0.25}),
    "cat_list": (lambda p: torch.cat([p["x"], p["y"], p["z"]], 0), {"x": T(3, 4), "y": T(1, 4), "z": T(2, 4)}),
    "cat_two": (lambda p: torch.cat(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 2)}),
    "cat_newdim": (lambda p: torch.cat([p["x"], p["y"]], 1), {"x": T(3), "y": T(3)}),
    "cat_mixed": (lambda p: torch.cat([p["x"], torch.ones(3, 1)], 1), {"x": T(3, 4)}),
    "split": (lambda p: torch.split(p["x"], 2, 1)[1] * torch.split(p["x"], 2, 1)[0], {"x": T(3, 4)}),
    "split_unused": (lambda p: torch.split(p["x"], 2, 0)[0], {"x": T(3, 4)}),
    "chunk": (lambda p: torch.chunk(p["x"], 3, 0)[2], {"x": T(3, 4)}),
    "chunk_method": (lambda p: p["x"].chunk(2, 1)[1], {"x": T(3, 4)}),
    "type": (lambda p: p["x"].type("torch.DoubleTensor") * 2, {"x": T(3, 4)}),
    # through single precision: finite differences see float32 rounding, hence the loose tolerance
    "type_float": (lambda p: p["x"].type("torch.FloatTensor").double() * 1, {"x": T(3, 4)}, 0.1),
    "typeAs": (lambda p: torch.exp(p["x"].typeAs(torch.DoubleTensor())), {"x": T(3, 4)}),
    "fill": (lambda p: torch.fill(torch.zeros(2, 2), p["a"]) * torch.Tensor([[1, 2], [3, 4]]), {"a": 0.5}),
    "sort": (lambda p: torch.sort(p["x"], 1)[0] * torch.Tensor([1, 2, 3, 4]), {"x": T(3, 4)}),
    "sort_desc": (lambda p: torch.sort(p["x"], 0, True), {"x": T(3, 4)}),
    "topk": (lambda p: torch.topk(p["x"], 2, 1), {"x": T(3, 4)}),
    "kthvalue": (lambda p: torch.kthvalue(p["x"], 2, 0), {"x": T(3, 4)}),
    "median": (lambda p: torch.median(p["x"], 1), {"x": T(3, 5)}),
    "mode": (lambda p: torch.mode(p["x"], 1), {"x": T(3, 4)}),
    "mode_method": (lambda p: p["x"].mode(0), {"x": T(3, 4)}),
    "diag_vec": (lambda p: torch.diag(p["x"]), {"x": T(4)}),
    "diag_vec_k": (lambda p: torch.diag(p["x"], -1), {"x": T(3)}),
    "diag_mat": (lambda p: torch.diag(p["x"]), {"x": T(3, 3)}),
    "diag_mat_k": (lambda p: torch.diag(p["x"], 1), {"x": T(4, 4)}),
    "tril": (lambda p: torch.tril(p["x"]), {"x": T(3, 3)}),
    "triu": (lambda p: torch.triu(p["x"], 1), {"x": T(3, 4)}),
    # matrix products
    "dot": (lambda p: torch.dot(p["x"], p["y"]), {"x": T(3, 4), "y": T(3, 4)}),
    "mv": (lambda p: torch.mv(p["m"], p["v"]), {"m": T(3, 4), "v": T(4)}),
    "mm": (lambda p: torch.mm(p["a"], p["b"]), {"a": T(3, 4), "b": T(4, 2)}),
    "bmm": (lambda p: torch.bmm(p["a"], p["b"]), {"a": T(2, 3, 4), "b": T(2, 4, 2)}),
    "ger": (lambda p: torch.ger(p["x"], p["y"]), {"x": T(3), "y": T(4)}),
    "addmm": (lambda p: torch.addmm(p["m"], p["a"], p["b"]), {"m": T(3, 2), "a": T(3, 4), "b": T(4, 2)}),
    "addmm_values": (lambda p: torch.addmm(p["v1"], p["m"], p["v2"], p["a"], p["b"]),
                     {"v1": 0.5, "m": T(3, 2), "v2": -2.0, "a": T(3, 4), "b": T(4, 2)}),
    "addmv": (lambda p: torch.addmv(0.3, p["v"], p["m"], p["x"]), {"v": T(3), "m": T(3, 4), "x": T(4)}),
    "addr": (lambda p: torch.addr(p["m"], 2, p["x"], p["y"]), {"m": T(3, 4), "x": T(3), "y": T(4)}),
    "baddbmm": (lambda p: torch.baddbmm(p["m"], p["a"], p["b"]), {"m": T(2, 3, 2), "a": T(2, 3, 4), "b": T(2, 4, 2)}),
    "addbmm": (lambda p: torch.addbmm(p["m"], p["a"], p["b"]), {"m": T(3, 2), "a": T(2, 3, 4), "b": T(2, 4, 2)}),
    "inverse": (lambda p: torch.inverse(p["x"] + torch.eye(3) * 3), {"x": T(3, 3)}),
    "trace": (lambda p: torch.trace(p["x"]), {"x": T(3, 4)}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_finite_differences(name):
    fn, params, *tol = CASES[name]
    check(fn, params, *tol)


def test_every_registered_torch_function_is_tested():
    # Each gradient registered for a torch7 function (and operator) is exercised by some case above.
    import inspect

    from torch7.autograd import _overload
    src = inspect.getsource(inspect.getmodule(test_every_registered_torch_function_is_tested))
    missing = [n for n in _overload.REGISTRY if f"torch.{n}(" not in src]
    assert not missing, missing
    assert len(_overload.REGISTRY) >= 68


def _grad_summary(fn):
    """h(params): a weighted sum of the gradient of fn's loss: its gradient needs second derivatives."""
    df = autograd.grad(_loss(fn))

    def h(p):
        grads = df(p)[0]
        total = 0.0
        for _, g in _leaves(grads):
            total = total + _scalar(g) * 0.5
        return total
    return h


SECOND_ORDER_SKIP = {"type_float"}  # float32 rounding again


@pytest.mark.parametrize("name", sorted(set(CASES) - SECOND_ORDER_SKIP))
def test_second_derivative_matches_finite_differences(name):
    # The gradient functions are made of recorded operations, so the gradient of a gradient is exact too.
    fn, params, *tol = CASES[name]
    check(_grad_summary(fn), params, tol=1e-5)


# ---- against PyTorch's autograd (dims are the same: 0-based) ----------------------------------------
PT = {
    "tanh_sigmoid": (lambda t, a: t.tanh(a[0]) * t.sigmoid(a[1]), lambda a: a[0].tanh() * a[1].sigmoid(),
                     [(3, 4), (3, 4)]),
    "log1p_exp": (lambda t, a: torch.log1p(torch.exp(a[0])), lambda a: a[0].exp().log1p(), [(5,)]),
    "pow_div": (lambda t, a: a[0] ** 3 / (a[1] * a[1] + 1), lambda a: a[0] ** 3 / (a[1] * a[1] + 1), [(2, 3), (2, 3)]),
    "mm": (lambda t, a: torch.mm(a[0], a[1]), lambda a: a[0].mm(a[1]), [(3, 4), (4, 5)]),
    "bmm": (lambda t, a: torch.bmm(a[0], a[1]), lambda a: a[0].bmm(a[1]), [(2, 3, 4), (2, 4, 5)]),
    "cat": (lambda t, a: torch.cat([a[0], a[1]], 1), lambda a: pt.cat([a[0], a[1]], 1), [(3, 2), (3, 4)]),
    "norm3_dim": (lambda t, a: torch.norm(a[0], 3, 1), lambda a: a[0].norm(3, 1, keepdim=True), [(3, 4)]),
    "std_dim": (lambda t, a: torch.std(a[0], 0), lambda a: a[0].std(0, keepdim=True), [(4, 3)]),
    "var_biased": (lambda t, a: torch.var(a[0], 1, True), lambda a: a[0].var(1, unbiased=False, keepdim=True),
                   [(4, 3)]),
    "cumsum": (lambda t, a: torch.cumsum(a[0], 1), lambda a: a[0].cumsum(1), [(3, 5)]),
    "gather": (lambda t, a: torch.gather(a[0], 1, torch.LongTensor([[0, 0], [2, 1], [1, 1]])),
               lambda a: a[0].gather(1, pt.tensor([[0, 0], [2, 1], [1, 1]])), [(3, 4)]),
    "max_dim": (lambda t, a: torch.max(a[0], 0)[0], lambda a: a[0].max(0, keepdim=True)[0], [(3, 4)]),
    "sort": (lambda t, a: torch.sort(a[0], 1, True)[0], lambda a: a[0].sort(1, True)[0], [(3, 4)]),
    "inverse": (lambda t, a: torch.inverse(a[0] + torch.eye(3) * 4), lambda a: (a[0] + 4 * pt.eye(3)).inverse(),
                [(3, 3)]),
    "repeatTensor": (lambda t, a: torch.repeatTensor(a[0], 2, 1, 3), lambda a: a[0].repeat(2, 1, 3), [(2, 3)]),
    "expand": (lambda t, a: a[0].expand(2, 3, 4) * a[1], lambda a: a[0].expand(2, 3, 4) * a[1], [(3, 1), (4,)]),
    "atan2": (lambda t, a: torch.atan2(a[0], a[1]), lambda a: pt.atan2(a[0], a[1]), [(3, 4), (3, 4)]),
    "addbmm": (lambda t, a: torch.addbmm(a[0], a[1], a[2]), lambda a: pt.addbmm(a[0], a[1], a[2]),
               [(3, 5), (2, 3, 4), (2, 4, 5)]),
    "permute_index": (lambda t, a: torch.permute(a[0], 1, 2, 0).index(0, torch.LongTensor([2, 2, 0])),
                      lambda a: a[0].permute(1, 2, 0)[pt.tensor([2, 2, 0])], [(2, 3, 4)]),
}


@pytest.mark.parametrize("name", sorted(PT))
def test_gradient_matches_pytorch(name):
    ours, theirs, shapes = PT[name]
    arrays = [RNG.uniform(-1, 1, size=s) for s in shapes]
    params = [torch.from_numpy(a.copy()) for a in arrays]
    grads, loss = autograd.grad(lambda p: _scalar(ours(torch, p)))(params)
    tens = [pt.tensor(a, requires_grad=True) for a in arrays]
    out = theirs(tens)
    w = pt.tensor(_weights(tuple(out.shape)).numpy())
    ref = (out * w).sum()
    ref.backward()
    assert abs(loss - ref.item()) < 1e-10
    for g, t in zip(grads, tens):
        np.testing.assert_allclose(g.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)
