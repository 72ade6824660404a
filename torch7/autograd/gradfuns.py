"""The gradients of the torch7 functions and operators (torch-autograd's src/gradfuns.lua).

Every derivative is written with recordable operations (the primitives registered here, and
Python operators on values that may be Nodes), so gradients can be differentiated again.
This module holds the element-wise functions, the operators and the reductions;
``_gf_shape`` the views, indexing and joins; ``_gf_linalg`` the matrix products.
``NAMES`` lists the torch7 functions with gradients (``autograd.gradfuns.NAMES``).

Example:
    >>> import torch7 as torch
    >>> from torch7 import autograd
    >>> dx = autograd.grad(lambda x: torch.sum(torch.sigmoid(x)))(torch.zeros(2))[0]
    >>> dx.totable()
    [0.25, 0.25]
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .._core.tensor import Tensor
from . import _node
from ._gfbase import F, P, broadcast_to, defun, fill_as, is_tensor, mask, nel, register, shape, sign_of, unbroadcast
from ._node import plain


def _log(v):
    return math.log(v) if isinstance(v, (int, float)) else P["log"](v)


# ---- arithmetic: torch functions and operators --------------------------------------------------
def _add_grads(sign: float):
    def gx(g, ans, x, *rest):
        return unbroadcast(g, x)

    def g1(g, ans, x, *rest):
        if len(rest) == 1:  # (x, y): y is the operand
            return unbroadcast(g if sign > 0 else -g, rest[0])
        v, y = rest  # (x, value, y): the value is the number
        return P["sum"](g * y) * sign if is_tensor(g) else g * y * sign

    def g2(g, ans, x, v, y):
        return unbroadcast(g * (v * sign), y)

    return [gx, g1, g2]


def _add_raw(x, *rest):
    return F["add"](x, *rest)


def _csub_raw(x, *rest):
    return F["csub"](x, *rest)


defun("add", _add_raw, _add_grads(1.0))
defun("csub", _csub_raw, _add_grads(-1.0))


def _cmul_grads():
    return [lambda g, ans, x, y: unbroadcast(g * y, x), lambda g, ans, x, y: unbroadcast(g * x, y)]


def _div_grads():
    return [lambda g, ans, x, y: unbroadcast(g / y, x), lambda g, ans, x, y: unbroadcast(-g * ans / y, y)]


def _pow_grads():
    def gx(g, ans, x, y):
        return unbroadcast(g * y * x ** (y - 1), x)

    def gy(g, ans, x, y):
        return unbroadcast(g * _log(x) * ans, y)

    return [gx, gy]


defun("cmul", lambda x, y: F["cmul"](x, y), _cmul_grads())
defun("mul", lambda x, y: F["mul"](x, y), _cmul_grads())
defun("cdiv", lambda x, y: F["cdiv"](x, y), _div_grads())
defun("div", lambda x, y: F["div"](x, y), _div_grads())
defun("pow", lambda x, y: F["pow"](x, y), _pow_grads())
defun("cpow", lambda x, y: F["cpow"](x, y), _pow_grads())

_node.OPS["add"] = defun("__add__", operator.add, [lambda g, ans, x, y: unbroadcast(g, x),
                                                  lambda g, ans, x, y: unbroadcast(g, y)], ns=False)
_node.OPS["sub"] = defun("__sub__", operator.sub, [lambda g, ans, x, y: unbroadcast(g, x),
                                                  lambda g, ans, x, y: unbroadcast(-g, y)], ns=False)
_node.OPS["mul"] = defun("__mul__", operator.mul, _cmul_grads(), ns=False)
_node.OPS["truediv"] = defun("__truediv__", operator.truediv, _div_grads(), ns=False)
_node.OPS["pow"] = defun("__pow__", operator.pow, _pow_grads(), ns=False)
_node.OPS["neg"] = defun("neg", lambda x: -x, [lambda g, ans, x: -g], methods=())


def _lerp_grads():
    return [lambda g, ans, a, b, w: unbroadcast(g * (1 - w), a), lambda g, ans, a, b, w: unbroadcast(g * w, b),
            lambda g, ans, a, b, w: unbroadcast(g * (b - a), w)]


defun("lerp", lambda a, b, w: F["lerp"](a, b, w), _lerp_grads())


def _addc(name: str, combine):
    """addcmul / addcdiv: ``x + value * combine(t1, t2)``, written with recorded operations."""
    def fn(x, *rest):
        v, t1, t2 = (1, *rest) if len(rest) == 2 else rest
        return x + v * combine(t1, t2)
    fn.__name__ = name
    return register(name, fn)


_addc("addcmul", lambda a, b: a * b)
_addc("addcdiv", lambda a, b: a / b)


# ---- element-wise functions of one tensor ----------------------------------------------------------
def _unary(name: str, grad, method: str | None = None):
    raw = F[name]
    defun(name, lambda x: raw(x), [grad], methods=(method,) if method else ())


_unary("exp", lambda g, ans, x: g * ans)
_unary("log", lambda g, ans, x: g / x)
_unary("log1p", lambda g, ans, x: g / (x + 1))
_unary("sqrt", lambda g, ans, x: g * 0.5 / ans)
_unary("rsqrt", lambda g, ans, x: g * -0.5 * ans * ans * ans)
_unary("sin", lambda g, ans, x: g * P["cos"](x))
_unary("cos", lambda g, ans, x: -g * P["sin"](x))
_unary("tan", lambda g, ans, x: g * (1 + ans * ans))
_unary("asin", lambda g, ans, x: g / P["sqrt"](1 - x * x))
_unary("acos", lambda g, ans, x: -g / P["sqrt"](1 - x * x))
_unary("atan", lambda g, ans, x: g / (1 + x * x))
_unary("sinh", lambda g, ans, x: g * P["cosh"](x))
_unary("cosh", lambda g, ans, x: g * P["sinh"](x))
_unary("tanh", lambda g, ans, x: g * (1 - ans * ans))
_unary("sigmoid", lambda g, ans, x: g * ans * (1 - ans))
_unary("cinv", lambda g, ans, x: -g * ans * ans)
_unary("abs", lambda g, ans, x: g * sign_of(x))
_unary("frac", lambda g, ans, x: g)
for _n in ("floor", "ceil", "round", "trunc", "sign"):  # piecewise constant: no gradient flows
    defun(_n, F[_n], [None])
_node.OPS["abs"] = P["abs"]


def _atan2_grads():
    return [lambda g, ans, y, x: unbroadcast(g * x / (x * x + y * y), y),
            lambda g, ans, y, x: unbroadcast(-g * y / (x * x + y * y), x)]


defun("atan2", lambda y, x: F["atan2"](y, x), _atan2_grads())


def _clamp_grad(g, ans, x, lo, hi):
    a = plain(x)._a
    return g * mask((a >= lo) & (a <= hi), plain(x))


defun("clamp", lambda x, lo, hi: F["clamp"](x, lo, hi), [_clamp_grad, None, None])


def _cminmax(name: str, better):
    def gx(g, ans, x, y):
        py = plain(y)
        return unbroadcast(g * mask(better(plain(x)._a, py._a if isinstance(py, Tensor) else py), plain(ans)), x)

    def gy(g, ans, x, y):
        py = plain(y)
        return unbroadcast(g * mask(~better(plain(x)._a, py._a if isinstance(py, Tensor) else py), plain(ans)), y)

    defun(name, lambda x, y: F[name](x, y), [gx, gy])


_cminmax("cmax", np.greater_equal)
_cminmax("cmin", np.less_equal)


# ---- reductions --------------------------------------------------------------------------------
def _reduced(g, x, dim):
    """The gradient ``g`` of a reduction of ``x`` (over everything, or keeping ``dim``) spread to x's size."""
    return fill_as(g, plain(x)) if dim is None else broadcast_to(g, shape(x), plain(x))


def _sum_raw(x, dim=None):
    return F["sum"](x) if dim is None else F["sum"](x, dim)


def _mean_raw(x, dim=None):
    return F["mean"](x) if dim is None else F["mean"](x, dim)


defun("sum", _sum_raw, [lambda g, ans, x, dim=None: _reduced(g, x, dim)], methods=("sum",))
defun("mean", _mean_raw, [lambda g, ans, x, dim=None: _reduced(g, x, dim) / (nel(x) if dim is None
                                                                              else shape(x)[dim])],
      methods=("mean",))


def _extreme(name: str):
    raw = F[name]

    def fn(x, dim=None):
        return raw(x) if dim is None else raw(x, dim)

    def gx(g, ans, x, dim=None):
        px = plain(x)
        if dim is None:  # every element equal to the extreme gets the gradient (as torch-autograd)
            return fill_as(g, px) * mask(px._a == plain(ans), px)
        gv = g[0]
        return None if gv is None else P["_scatter_add"](gv, px, dim, plain(ans[1]))

    defun(name, fn, [gx], methods=(name,))


_extreme("max")
_extreme("min")


def _prod_raw(x, dim=None):
    return F["prod"](x) if dim is None else F["prod"](x, dim)


defun("prod", _prod_raw, [lambda g, ans, x, dim=None: _reduced(g * ans, x, dim) / x], methods=("prod",))


def _norm_raw(x, p=2, dim=None):
    return F["norm"](x, p) if dim is None else F["norm"](x, p, dim)


def _norm_grad(g, ans, x, p=2, dim=None):
    if p == 2:
        return _reduced(g / ans, x, dim) * x
    if p == 1:
        return _reduced(g, x, dim) * sign_of(x)
    if p == 0:  # the count of non-zero elements: piecewise constant
        return _reduced(g, x, dim) * 0
    if math.isinf(p):  # max |x|: every element reaching it gets the gradient, as max's own rule for ties
        px, pa = plain(x), plain(ans)
        at_max = np.abs(px._a) == (pa if dim is None else pa._a)
        return _reduced(g, x, dim) * sign_of(x) * mask(at_max, px)
    return _reduced(g / ans ** (p - 1), x, dim) * sign_of(x) * P["abs"](x) ** (p - 1)


defun("norm", _norm_raw, [_norm_grad], methods=("norm",))


def _dist_raw(x, y, p=2):
    return F["dist"](x, y, p)


def _dist_gx(g, ans, x, y, p=2):
    return _norm_grad(g, ans, x - y, p)


defun("dist", _dist_raw, [_dist_gx, lambda g, ans, x, y, p=2: -_dist_gx(g, ans, x, y, p)], methods=("dist",))


def _var_args(x, dim, flag):
    n = nel(x) if dim is None else shape(x)[dim]
    return n if flag else n - 1


def _var_raw(x, dim=None, flag=False):
    return F["var"](x) if dim is None else F["var"](x, dim, flag)


def _std_raw(x, dim=None, flag=False):
    return F["std"](x) if dim is None else F["std"](x, dim, flag)


def _centered(x, dim):
    return x - (P["mean"](x) if dim is None else P["mean"](x, dim))


defun("var", _var_raw, [lambda g, ans, x, dim=None, flag=False:
                        _reduced(g * 2.0 / _var_args(x, dim, flag), x, dim) * _centered(x, dim)],
      methods=("var",))
defun("std", _std_raw, [lambda g, ans, x, dim=None, flag=False:
                        _reduced(g / (ans * _var_args(x, dim, flag)), x, dim) * _centered(x, dim)],
      methods=("std",))


def _cumsum_raw(x, dim=0):
    return F["cumsum"](x, dim)


def _cumsum_grad(g, ans, x, dim=0):
    # d/dx_i sum_j>=i g_j: the reversed cumulative sum, written as total - cumsum + g
    total = broadcast_to(P["sum"](g, dim), shape(g), plain(g))
    return total - P["cumsum"](g, dim) + g


defun("cumsum", _cumsum_raw, [_cumsum_grad], methods=("cumsum",))

from . import _gf_linalg, _gf_shape  # noqa: E402,F401  (register the rest)

NAMES = tuple(sorted(n for n in P if not n.startswith("_")))
