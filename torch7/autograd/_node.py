"""autograd.Node: a value recorded on a tape while ``df`` runs.

A Node wraps a value (a float tensor or a number) and remembers the operation that made it.
Nested ``df`` calls (grad of grad, ``df`` inside ``f``) stack tapes: the value of a Node of an
inner tape may itself be a Node of an outer tape, so that the backward sweep of the inner tape,
made of recordable operations, is recorded on the outer one.

Nodes follow the functional API only: operators, the torch7 functions that have gradients,
and the tensor methods that do not modify their tensor (``view``, ``t``, ``narrow``, ``sum`` ...).
Torch7's in-place methods (``x.add(y)``, ``x.exp()``, ``x.add_(y)``) raise a TypeError.
"""

from __future__ import annotations

import operator

from .._core.tensor import Tensor

# Filled by gradfuns: operator name -> recording primitive, method name -> recording function.
OPS: dict = {}
METHODS: dict = {}

# Methods that only read sizes/types: answered from the plain value, never recorded.
_STATIC = frozenset((
    "size", "dim", "nDimension", "nElement", "numel", "stride", "isContiguous", "isSameSizeAs",
    "isSize", "storageOffset", "isSetTo", "typename", "totable", "tolist", "numpy", "storage",
    "isTensor", "getDevice", "nonzero", "equal", "all", "any", "lt", "le", "gt", "ge", "eq", "ne",
    "long", "int", "short", "char", "byte", "new",
))


def plain(v):
    """The plain value under any number of Node levels."""
    while type(v) is Node:
        v = v.value
    return v


class Node:
    """A value recorded by autograd while ``df`` runs (the user sees it as the argument of ``f``).

    Attributes:
        value: the wrapped value: a float tensor, a number, or (inside nested ``df`` calls) a Node
            of the enclosing tape.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> def f(x):
        ...     assert isinstance(x, autograd.Node)
        ...     return torch.sum(x * x)
        >>> g, loss = autograd.grad(f)(torch.Tensor([1, 2]))
        >>> g.totable(), loss
        ([2.0, 4.0], 5.0)
    """

    __slots__ = ("value", "tape", "op", "outidx", "grad")
    __array_ufunc__ = None  # NumPy scalars defer to our reflected operators
    __array_priority__ = 100000

    def __init__(self, value, tape, op=None, outidx=None) -> None:
        self.value = value
        self.tape = tape
        self.op = op
        self.outidx = outidx
        self.grad = None

    # -- queries ----------------------------------------------------------------------------
    def type(self, typename: str | None = None):
        """``x.type()`` is the type name; ``x.type(name)`` a converted (recorded) copy."""
        if typename is None:
            v = plain(self)
            return v.type() if isinstance(v, Tensor) else type(v).__name__
        return METHODS["type"](self, typename)

    def __len__(self) -> int:
        return len(plain(self))

    def __float__(self) -> float:
        # Converting would silently cut the graph (e.g. ``plain_tensor[i] = node``): say so instead.
        raise TypeError("autograd: an autograd.Node cannot be converted to a Python number (the gradient would be "
                        "lost); use it in torch7 functions and operators, assign it into a Node "
                        "(y = x.clone(); y[i] = node), or read autograd.Node.value for a constant")

    __int__ = __index__ = __complex__ = __float__

    def __bool__(self) -> bool:
        return bool(plain(self))

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"autograd.Node({plain(self)!r})"

    __str__ = __repr__

    def __iter__(self):
        n = len(self)
        for i in range(n):
            yield self[i]

    def __getitem__(self, key):
        return OPS["getitem"](self, key)

    def __setitem__(self, key, value):
        OPS["setitem"](self, key, value)

    def __getattr__(self, name: str):
        fn = METHODS.get(name)
        if fn is not None:
            return lambda *args, **kwargs: fn(self, *args, **kwargs)
        if name in _STATIC:
            return getattr(plain(self), name)
        if name.startswith("__"):
            raise AttributeError(name)
        if hasattr(Tensor, name):
            raise TypeError(
                f"autograd: x.{name}(...) is not supported on an autograd.Node: Torch7's tensor methods work in "
                f"place (or have no gradient), and autograd supports only the functional API; use "
                f"torch.{name.rstrip('_')}(x, ...) or an operator instead")
        raise AttributeError(f"'autograd.Node' object has no attribute '{name}'")


def _binary(name: str):
    def fwd(self, other):
        return OPS[name](self, other)

    def rev(self, other):
        return OPS[name](other, self)

    return fwd, rev


for _n in ("add", "sub", "mul", "truediv", "pow", "matmul"):
    _f, _r = _binary(_n)
    setattr(Node, f"__{_n}__", _f)
    setattr(Node, f"__r{_n}__", _r)


def _inplace(name: str):
    def fn(self, other):
        raise TypeError(f"autograd: '{name}' modifies an autograd.Node in place, which autograd does not support "
                        f"(write x = x {name[:-1]} y)")
    return fn


for _n, _s in (("iadd", "+="), ("isub", "-="), ("imul", "*="), ("itruediv", "/="), ("ipow", "**="),
               ("imatmul", "@=")):
    setattr(Node, f"__{_n}__", _inplace(_s))

Node.__neg__ = lambda self: OPS["neg"](self)
Node.__pos__ = lambda self: self
Node.__abs__ = lambda self: OPS["abs"](self)


def _compare(op):
    # Comparisons have no gradient: they are computed on the plain values (ByteTensor or bool).
    def fn(self, other):
        return op(plain(self), plain(other))
    return fn


for _n, _op in (("lt", operator.lt), ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge),
                ("eq", operator.eq), ("ne", operator.ne)):
    setattr(Node, f"__{_n}__", _compare(_op))
Node.__hash__ = lambda self: id(self)
