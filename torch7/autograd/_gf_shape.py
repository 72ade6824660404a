"""Gradients of the views, indexing, joins and type conversions (part of gradfuns)."""

from __future__ import annotations

from .._core.tensor import Tensor
from . import _node
from ._gfbase import F, P, add_at, defun, getitem, put, register, reshape, shape, sum_to, unbroadcast, zeros_like
from ._node import Node, plain


def _back(g, ans, x, *rest):
    """The gradient of any reshaping of ``x``: ``g`` laid out with x's size."""
    return reshape(g, plain(x))


def _m(name):
    return lambda x, *a: getattr(x, name)(*a)


defun("view", lambda x, *sizes: F["view"](x, *sizes), [_back], methods=("view",))
defun("viewAs", lambda x, t: F["viewAs"](x, t), [_back, None], methods=("viewAs",))
defun("reshape", lambda x, *sizes: F["reshape"](x, *sizes), [_back])
defun("squeeze", lambda x, *dim: F["squeeze"](x, *dim), [_back], methods=("squeeze",))
defun("_unsqueeze", _m("unsqueeze"), [_back], ns=False, methods=("unsqueeze",))
defun("_reshape_method", lambda x, *sizes: F["reshape"](x, *sizes), [_back], ns=False, methods=("reshape",))
defun("_contiguous", lambda x: x.contiguous(), [lambda g, ans, x: g], ns=False, methods=("contiguous",))
defun("_clone", lambda x: x.clone(), [lambda g, ans, x: g], ns=False, methods=("clone",))


def _expand_grad(g, ans, x, *rest):
    return sum_to(g, shape(x))


defun("expand", lambda x, *sizes: F["expand"](x, *sizes), [_expand_grad], methods=("expand",))
defun("expandAs", lambda x, t: F["expandAs"](x, t), [_expand_grad, None], methods=("expandAs",))


def _tile_sum_raw(g: Tensor, xshape: tuple, reps: tuple) -> Tensor:
    padded = (1,) * (len(reps) - len(xshape)) + tuple(xshape)
    inter = [v for pair in zip(reps, padded) for v in pair]
    a = g._a.reshape(inter).sum(axis=tuple(range(0, len(inter), 2)))
    return type(g)._new(g._xp.ascontiguousarray(a.reshape(xshape)))


def _sizes(args) -> tuple:
    if len(args) == 1 and not isinstance(args[0], int):
        return tuple(int(s) for s in args[0])
    return tuple(int(s) for s in args)


tile_sum = defun("_tile_sum", _tile_sum_raw, [lambda g, ans, x, xs, reps: P["repeatTensor"](g, *reps)], ns=False)
defun("repeatTensor", lambda x, *reps: F["repeatTensor"](x, *reps),
      [lambda g, ans, x, *reps: tile_sum(g, shape(x), _sizes(reps))], methods=("repeatTensor",))

defun("_t", lambda x: x.t(), [lambda g, ans, x: P["_t"](g)], ns=False, methods=("t",))
defun("_transpose", lambda x, d1, d2: x.transpose(d1, d2), [lambda g, ans, x, d1, d2: P["_transpose"](g, d1, d2)],
      ns=False, methods=("transpose",))


def _permute_grad(g, ans, x, *dims):
    dims = _sizes(dims)
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return P["permute"](g, *inv)


defun("permute", lambda x, *dims: F["permute"](x, *dims), [_permute_grad], methods=("permute",))


# ---- slices and indexing -------------------------------------------------------------------------
def _key(x, dim: int, idx) -> tuple:
    nd = len(shape(x))
    d = dim + nd if dim < 0 else dim
    return (slice(None),) * d + (idx,)


def _narrow_grad(g, ans, x, dim, index, size):
    n = shape(x)[dim]
    start = index + n if index < 0 else index
    return put(g, plain(x), _key(x, dim, slice(start, start + size)))


defun("_narrow", lambda x, dim, index, size: x.narrow(dim, index, size), [_narrow_grad], ns=False,
      methods=("narrow",))
defun("_select", lambda x, dim, index: x.select(dim, index),
      [lambda g, ans, x, dim, index: put(g, plain(x), _key(x, dim, index))], ns=False, methods=("select",))


def _index_add_raw(g: Tensor, like: Tensor, dim: int, idx: Tensor) -> Tensor:
    z = zeros_like(like)
    return z.indexAdd(dim, idx, g) if g._a.size else z


index_add = defun("_index_add", _index_add_raw, [lambda g, ans, x, like, dim, idx: P["_index"](g, dim, idx)],
                  ns=False)
defun("_index", lambda x, dim, idx: x.index(dim, idx), [lambda g, ans, x, dim, idx: index_add(g, plain(x), dim, idx)],
      ns=False, methods=("index",))


def _index_add_functional(x, dim, idx, src):
    """``x`` plus ``src`` added at ``idx`` along ``dim``, as a new (recorded) value; x.indexAdd is in place."""
    return x + index_add(src, plain(x), dim, idx)


register("indexAdd", _index_add_functional, ns=False)


def _grids(ia, dim: int, xp) -> tuple:
    nd = ia.ndim
    grids = [xp.arange(n).reshape((1,) * k + (n,) + (1,) * (nd - k - 1)) for k, n in enumerate(ia.shape)]
    grids[dim] = ia
    return tuple(xp.broadcast_arrays(*grids))


def _scatter_add_raw(g: Tensor, like: Tensor, dim: int, idx: Tensor) -> Tensor:
    z = zeros_like(like)
    d = dim + z._a.ndim if dim < 0 else dim
    add_at(z, _grids(idx._a, d, z._xp), g._a)
    return z


scatter_add = defun("_scatter_add", _scatter_add_raw,
                    [lambda g, ans, x, like, dim, idx: P["gather"](g, dim, idx)], ns=False)


def _gather_raw(x, dim, idx):
    return F["gather"](x, dim, idx)


defun("gather", _gather_raw, [lambda g, ans, x, dim, idx: scatter_add(g, plain(x), dim, idx), None, None],
      methods=("gather",))


def _zero_at_raw(g: Tensor, dim: int, idx: Tensor) -> Tensor:
    return g.clone().scatter(dim, idx, 0)


zero_at = defun("_zero_at", _zero_at_raw, [lambda g, ans, x, dim, idx: P["_zero_at"](g, dim, idx)], ns=False)


def _scatter_raw(x, dim, idx, src):
    """Functional scatter: a copy of ``x`` with ``src`` at ``idx`` (torch.scatter on a plain tensor is in place)."""
    return x.clone().scatter(dim, idx, src)


def _scatter_src(g, ans, x, dim, idx, src):
    got = P["gather"](g, dim, idx)
    if not isinstance(plain(src), Tensor):
        return P["sum"](got)
    if shape(src) != plain(idx)._a.shape:
        return put(got, plain(src), tuple(slice(0, n) for n in plain(idx)._a.shape))
    return got


defun("scatter", _scatter_raw, [lambda g, ans, x, dim, idx, src: zero_at(g, dim, idx), None, None, _scatter_src])


# ---- joins and splits ----------------------------------------------------------------------------
def _cat_raw(*args):
    return F["cat"](*args)


def _cat_layout(args):
    """(inputs, dim, whether the inputs came as one list) for cat's argument forms."""
    dim = None
    if args and isinstance(args[-1], int) and not isinstance(args[-1], bool):
        dim, args = args[-1], args[:-1]
    listed = len(args) == 1
    inputs = list(args[0]) if listed else list(args)
    maxdim = max(len(shape(t)) if plain(t)._a.size else 0 for t in inputs)
    d = maxdim - 1 if dim is None or dim == -1 else (dim + maxdim if dim < 0 else dim)
    return inputs, max(d, 0), listed


def _cat_pieces(g, args):
    inputs, d, listed = _cat_layout(args)
    out, off = [], 0
    for t in inputs:
        pt = plain(t)
        if not pt._a.size:
            out.append(None)
            continue
        n = pt._a.shape[d] if d < pt._a.ndim else 1
        piece = P["_narrow"](g, d, off, n)
        out.append(piece if shape(piece) == pt._a.shape else reshape(piece, pt))
        off += n
    return out, listed


def _cat_grad(i):
    def gf(g, ans, *args):
        pieces, listed = _cat_pieces(g, args)
        return pieces if listed else pieces[i]
    return gf


defun("cat", _cat_raw, [_cat_grad(0), _cat_grad(1), None])


def _split_grad(g, ans, x, size, dim=0):
    parts = [gi if gi is not None else zeros_like(plain(a)) for gi, a in zip(g, ans)]
    return P["cat"](parts, dim)


defun("split", lambda x, size, dim=0: F["split"](x, size, dim), [_split_grad], methods=("split",))
defun("chunk", lambda x, n, dim=0: F["chunk"](x, n, dim), [_split_grad], methods=("chunk",))


# ---- types -------------------------------------------------------------------------------------
def _astype_raw(x: Tensor, typename: str) -> Tensor:
    return x.type(typename)


astype = defun("_astype", _astype_raw, [lambda g, ans, x, typename: P["_astype"](g, plain(x).type())], ns=False)
_node_type = defun("_type", _astype_raw, [lambda g, ans, x, typename: astype(g, plain(x).type())], ns=False,
                   methods=("type",))
defun("_typeAs", lambda x, t: x.typeAs(t), [lambda g, ans, x, t: astype(g, plain(x).type()), None], ns=False,
      methods=("typeAs",))
defun("_double", lambda x: x.double(), [lambda g, ans, x: astype(g, plain(x).type())], ns=False,
      methods=("double",))
defun("_float", lambda x: x.float(), [lambda g, ans, x: astype(g, plain(x).type())], ns=False, methods=("float",))


def _fill_raw(x, value):
    """Functional fill: a new tensor like ``x`` holding ``value`` (torch.fill on a plain tensor is in place)."""
    return x.clone().fill(value)


defun("fill", _fill_raw, [None, lambda g, ans, x, value: P["sum"](g)])


# ---- sorting and selection: the values' gradient goes back to where they came from ---------------------
_DIM_AT = {"sort": 0, "topk": 1, "kthvalue": 1, "median": 0, "mode": 0}  # where the dim argument is


def _picker(name: str):
    def gx(g, ans, x, *rest):
        gv = g[0]
        if gv is None:
            return None
        i = _DIM_AT[name]
        nd = len(shape(x))
        dim = rest[i] if len(rest) > i and isinstance(rest[i], int) and not isinstance(rest[i], bool) else nd - 1
        return scatter_add(gv, plain(x), dim + nd if dim < 0 else dim, plain(ans[1]))
    return gx


for _n in _DIM_AT:
    defun(_n, (lambda name: lambda x, *a: F[name](x, *a))(_n), [_picker(_n)], methods=(_n,))


def _diag_raw(x, k=0):
    return F["diag"](x, k)


def _diag_put_raw(g: Tensor, like: Tensor, k: int) -> Tensor:
    """Zeros like the matrix ``like`` with ``g`` on its diagonal ``k`` (the adjoint of taking that diagonal)."""
    z = zeros_like(like)
    r = z._xp.arange(g._a.shape[0]) + max(-k, 0)
    z._a[r, r + k] = g._a
    return z


diag_put = defun("_diag_put", _diag_put_raw, [lambda g, ans, x, like, k: P["diag"](g, k)], ns=False)


def _diag_grad(g, ans, x, k=0):
    if len(shape(x)) == 1:
        return P["diag"](g, k)
    return diag_put(g, plain(x), k)


defun("diag", _diag_raw, [_diag_grad])
defun("tril", lambda x, k=0: F["tril"](x, k), [lambda g, ans, x, k=0: P["tril"](g, k)])
defun("triu", lambda x, k=0: F["triu"](x, k), [lambda g, ans, x, k=0: P["triu"](g, k)])


# ---- assignment: y[key] = v on a Node records a functional copy ------------------------------------
def _setitem_raw(x, key, v):
    c = x.clone()
    c[key] = v
    return c


zero_key = defun("_zero_key", lambda g, key: _setitem_raw(g, key, 0), [lambda g, ans, x, key: zero_key(g, key)],
                 ns=False)
setitem = defun("_setitem", _setitem_raw, [lambda g, ans, x, key, v: zero_key(g, key), None,
                                          lambda g, ans, x, key, v: unbroadcast(getitem(g, key), v)], ns=False)


def assign(node: Node, key, value) -> None:
    """``node[key] = value``: ``node`` becomes (in place, as Python expects) a new recorded value; the
    operations recorded so far keep the old one."""
    if node.op is None:
        raise TypeError("autograd: cannot assign into a differentiated argument of f (clone it first: "
                        "y = x.clone(); y[i] = v)")
    tape = node.tape
    old = Node(node.value, tape, node.op, node.outidx)
    op = node.op
    if op.multi:
        op.outputs[node.outidx] = old
    else:
        op.outputs = old
    for o in tape.ops:  # the operations that read the old value now point at `old`
        if any(a is node or (type(a) in (list, tuple) and any(e is node for e in a)) for a in o.args):
            o.args = tuple(old if a is node else type(a)(old if e is node else e for e in a)
                           if type(a) in (list, tuple) else a for a in o.args)
    new = setitem(old, key, value)
    node.value, node.tape, node.op, node.outidx = new.value, new.tape, new.op, new.outidx
    new.op.outputs = node


_node.OPS["setitem"] = assign
