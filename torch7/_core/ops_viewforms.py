"""The ``torch.*`` forms of Torch7's view helpers: ``torch.view([res,] t, sizes)``, ``torch.split([res,] t,
size)``, ``torch.totable(t)``, ... (the methods themselves are in views.py).
"""

from __future__ import annotations

from .size import describe
from .tensor import Tensor
from .views import chunk, copy, expand, expandAs, permute, repeatTensor, resize, set_, split, view, viewAs


def _with_result(fn, name: str, n_tensors: int = 1):
    """``torch.name([res,] tensor, ...)``: with ``res`` first, res views (or, for copies, holds) the result."""

    def f(*args):
        if len(args) > n_tensors and all(isinstance(a, Tensor) for a in args[:n_tensors + 1]):
            res, args = args[0], args[1:]
            if res._dtype != args[0]._dtype:
                raise TypeError(f"torch.{name}: the result is a {res._typename} but the tensor is a "
                                f"{args[0]._typename} (they must have the same type)")
            out = fn(*args)
            if name == "repeatTensor":
                return copy(resize(res, out.size()), out) if out._a.size else resize(res, 0)
            return set_(res, out)
        if not args or not isinstance(args[0], Tensor):
            raise TypeError(f"torch.{name}: expected a tensor as first argument")
        return fn(*args)

    f.__name__ = name
    f.__doc__ = f"torch.{name}([result,] tensor, ...): Torch7's helper (see Tensor.{name})."
    return f


def _list_result(fn, name: str):
    """``torch.split/chunk([result,] tensor, ...)``: a list given first is filled with the views."""

    def f(*args):
        if args and isinstance(args[0], list):
            res = args[0]
            res[:] = fn(*args[1:])
            return res
        if not args or not isinstance(args[0], Tensor):
            raise TypeError(f"torch.{name}: expected a tensor as first argument")
        return fn(*args)

    f.__name__ = name
    f.__doc__ = f"torch.{name}([result,] tensor, ...): list of views (see Tensor.{name})."
    return f


def _totable(obj):
    """torch.totable(tensor or storage): nested Python lists."""
    if not hasattr(obj, "totable"):
        raise TypeError(f"torch.totable: expected a tensor or a storage, got {describe(obj)}")
    return obj.totable()


FUNCTIONS = {
    "view": _with_result(view, "view"), "viewAs": _with_result(viewAs, "viewAs", 2),
    "expand": _with_result(expand, "expand"), "expandAs": _with_result(expandAs, "expandAs", 2),
    "repeatTensor": _with_result(repeatTensor, "repeatTensor"), "permute": _with_result(permute, "permute"),
    "split": _list_result(split, "split"), "chunk": _list_result(chunk, "chunk"), "totable": _totable,
}
