"""The tensor helpers of torch-autograd's util that gradient formulas use (re-exported by ``autograd.util``).

They work on plain tensors. Dimensions and indices are 0-based. The ``...InPlace`` variants write into a
given output tensor ``o`` (torch-autograd's generated code reuses buffers through them).
"""

from __future__ import annotations

from typing import Any

import torch7 as torch


def newTensorLike(a: Any) -> Any:
    """An uninitialized tensor of ``a``'s type and size.

    Args:
        a: a tensor.

    Example:
        >>> newTensorLike(torch.ones(2, 3)).size()
        torch.Size([2, 3])
    """
    return a.new(a.size())


def newTensorLikeInPlace(o: Any, a: Any) -> Any:
    """``o`` itself (the in-place form of :func:`newTensorLike`).

    Args:
        o: the output buffer.
        a: ignored.

    Example:
        >>> o = torch.ones(1)
        >>> newTensorLikeInPlace(o, None) is o
        True
    """
    return o


def fill(A: Any, b: float) -> Any:
    """A new tensor of ``A``'s type and size filled with ``b``.

    Args:
        A: a tensor.
        b: the value.

    Example:
        >>> fill(torch.zeros(2), 7).tolist()
        [7.0, 7.0]
    """
    return A.new(A.size()).fill(b)


def fillInPlace(o: Any, A: Any, b: float) -> Any:
    """``o`` filled with ``b``.

    Args:
        o: the output buffer.
        A: ignored (the template of :func:`fill`).
        b: the value.

    Example:
        >>> fillInPlace(torch.zeros(2), None, 3).tolist()
        [3.0, 3.0]
    """
    return o.fill(b)


def fillSameSizeAs(a: Any, b: float) -> Any:
    """Same as :func:`fill`: a tensor like ``a`` filled with ``b``.

    Args:
        a: a tensor.
        b: the value.

    Example:
        >>> fillSameSizeAs(torch.zeros(1), 2).tolist()
        [2.0]
    """
    return fill(a, b)


def fillSameSizeAsInPlace(o: Any, a: Any, b: float) -> Any:
    """``o`` filled with ``b``.

    Args:
        o: the output buffer.
        a: ignored.
        b: the value.

    Example:
        >>> fillSameSizeAsInPlace(torch.zeros(1), None, 4).tolist()
        [4.0]
    """
    return o.fill(b)


def zerosLike(a: Any, b: Any = None) -> Any:
    """Zeros of ``a``'s type with ``b``'s size (``a``'s size when ``b`` is None).

    Args:
        a: gives the type.
        b: gives the size (optional).

    Example:
        >>> zerosLike(torch.FloatTensor(1), torch.ones(2, 2)).type()
        'torch.FloatTensor'
    """
    b = a if b is None else b
    return a.new(b.size()).fill(0)


def zerosLikeInPlace(o: Any, a: Any, b: Any = None) -> Any:
    """``o`` zeroed.

    Args:
        o: the output buffer.
        a: ignored.
        b: ignored.

    Example:
        >>> zerosLikeInPlace(torch.ones(2), None).tolist()
        [0.0, 0.0]
    """
    return o.zero()


def cloneInPlace(o: Any, A: Any) -> Any:
    """``o`` holding a copy of ``A``.

    Args:
        o: the output buffer (same number of elements).
        A: the source.

    Example:
        >>> cloneInPlace(torch.zeros(2), torch.ones(2)).tolist()
        [1.0, 1.0]
    """
    return o.copy(A)


def newInPlace(o: Any, s: Any) -> Any:
    """``o`` itself (the in-place form of ``x.new(size)``).

    Args:
        o: the output buffer.
        s: ignored.

    Example:
        >>> o = torch.ones(1)
        >>> newInPlace(o, None) is o
        True
    """
    return o


def typeAsIfNeeded(A: Any, B: Any) -> Any:
    """``A`` converted to ``B``'s type, or ``A`` itself when the types already match.

    Args:
        A: the tensor to convert.
        B: gives the type.

    Example:
        >>> typeAsIfNeeded(torch.ones(1), torch.FloatTensor(1)).type()
        'torch.FloatTensor'
    """
    if A.type() != B.type():
        return A.typeAs(B)
    return A


def typeAsInPlace(o: Any, A: Any, B: Any) -> Any:
    """``o`` holding ``A``'s values (``o`` already has the wanted type).

    Args:
        o: the output buffer.
        A: the source.
        B: ignored.

    Example:
        >>> typeAsInPlace(torch.FloatTensor(2), torch.ones(2), None).tolist()
        [1.0, 1.0]
    """
    return o.copy(A)


def selectSliceCopy(g: Any, x: Any, dim: int, index: int) -> Any:
    """Zeros like ``x`` with ``g`` copied into slice ``index`` of dimension ``dim`` (the gradient of select).

    Args:
        g: the slice's values.
        x: gives the size.
        dim: the dimension (0-based).
        index: the slice (0-based).

    Example:
        >>> selectSliceCopy(torch.ones(2), torch.zeros(2, 2), 0, 1).tolist()
        [[0.0, 0.0], [1.0, 1.0]]
    """
    out = g.new(x.size()).zero()
    out.select(dim, index).copy(g)
    return out


def selectSliceCopyInPlace(o: Any, g: Any, x: Any, dim: int, index: int) -> Any:
    """:func:`selectSliceCopy` written into ``o``.

    Args:
        o: the output buffer (``x``'s size).
        g: the slice's values.
        x: ignored.
        dim: the dimension (0-based).
        index: the slice (0-based).

    Example:
        >>> selectSliceCopyInPlace(torch.ones(2, 2), torch.ones(2), None, 1, 0).tolist()
        [[1.0, 0.0], [1.0, 0.0]]
    """
    out = o.zero()
    out.select(dim, index).copy(g)
    return out


def narrowSliceCopy(g: Any, x: Any, dim: int, index: int, size: int) -> Any:
    """Zeros like ``x`` with ``g`` copied into ``x.narrow(dim, index, size)`` (the gradient of narrow).

    Args:
        g: the narrowed part's values.
        x: gives the size.
        dim: the dimension (0-based).
        index: the first index (0-based).
        size: the length.

    Example:
        >>> narrowSliceCopy(torch.ones(2), torch.zeros(3), 0, 1, 2).tolist()
        [0.0, 1.0, 1.0]
    """
    out = g.new(x.size()).zero()
    out.narrow(dim, index, size).copy(g)
    return out


def narrowSliceCopyInPlace(o: Any, g: Any, x: Any, dim: int, index: int, size: int) -> Any:
    """:func:`narrowSliceCopy` written into ``o``.

    Args:
        o: the output buffer.
        g: the values.
        x: ignored.
        dim: the dimension (0-based).
        index: the first index (0-based).
        size: the length.

    Example:
        >>> narrowSliceCopyInPlace(torch.ones(3), torch.ones(1), None, 0, 0, 1).tolist()
        [1.0, 0.0, 0.0]
    """
    out = o.zero()
    out.narrow(dim, index, size).copy(g)
    return out


def indexAdd(g: Any, x: Any, dim: int, index: Any) -> Any:
    """Zeros like ``x`` with slice ``i`` of ``g`` added at ``index[i]`` along ``dim`` (the gradient of index).

    Args:
        g: the gathered slices.
        x: gives the size.
        dim: the dimension (0-based).
        index: 0-based positions (LongTensor), repeats accumulate.

    Example:
        >>> indexAdd(torch.ones(3), torch.zeros(2), 0, torch.LongTensor([1, 1, 0])).tolist()
        [1.0, 2.0]
    """
    out = zerosLike(g, x)
    out.indexAdd(dim, index, g)
    return out


def indexAddInPlace(o: Any, g: Any, x: Any, dim: int, index: Any) -> Any:
    """:func:`indexAdd` written into ``o``.

    Args:
        o: the output buffer.
        g: the gathered slices.
        x: ignored.
        dim: the dimension (0-based).
        index: 0-based positions.

    Example:
        >>> indexAddInPlace(torch.ones(2), torch.ones(1), None, 0, torch.LongTensor([0])).tolist()
        [1.0, 0.0]
    """
    out = o.zero()
    out.indexAdd(dim, index, g)
    return out


def catTableGradient(g: Any, x: list, dim: int | None = None) -> list:
    """The pieces of ``g`` matching the tensors ``x`` that ``torch.cat(x, dim)`` joined (views of ``g``).

    Args:
        g: the gradient of the concatenation.
        x: the list of tensors concatenated.
        dim: the dimension (0-based; default the last one of ``x[0]``).

    Example:
        >>> [p.tolist() for p in catTableGradient(torch.Tensor([1, 2, 3]), [torch.zeros(1), torch.zeros(2)])]
        [[1.0], [2.0, 3.0]]
    """
    dim = x[0].dim() - 1 if dim is None else dim
    out, start = [], 0
    for t in x:
        n = t.size(dim)
        out.append(g.narrow(dim, start, n))
        start += n
    return out


def catNumberGradient(g: Any, x: list, dim: int | None = None) -> list:
    """The elements of ``g`` for the numbers ``x`` that were gathered into one tensor.

    Args:
        g: the gradient (a vector with ``len(x)`` elements).
        x: the numbers.
        dim: ignored.

    Example:
        >>> catNumberGradient(torch.Tensor([4, 5]), [1.0, 2.0])
        [4.0, 5.0]
    """
    return [g[i] for i in range(len(x))]


def makeContiguous(g: Any) -> Any:
    """``g`` if contiguous, else a contiguous copy.

    Args:
        g: a tensor.

    Example:
        >>> makeContiguous(torch.ones(2, 3).t()).isContiguous()
        True
    """
    if not g.isContiguous():
        g = g.contiguous()
    return g


def sigmoidInPlace(output: Any, input: Any) -> Any:
    """``output`` resized like ``input`` and holding ``1 / (1 + exp(-input))``.

    Args:
        output: the output buffer.
        input: the values.

    Example:
        >>> sigmoidInPlace(torch.Tensor(), torch.zeros(2)).tolist()
        [0.5, 0.5]
    """
    output.resizeAs(input).copy(input)
    output.mul(-1).exp().add(1).pow(-1)
    return output


def setNotEqualInPlace(o: Any, a: Any, b: Any, c: Any, v: Any) -> Any:
    """``o`` holding ``v`` with zeros where ``a != b``.

    Args:
        o: the output buffer.
        a: compared with ``b`` element-wise.
        b: a tensor or number.
        c: ignored.
        v: the values kept.

    Example:
        >>> setNotEqualInPlace(torch.zeros(2), torch.Tensor([1, 2]), 1, None, torch.Tensor([5, 6])).tolist()
        [5.0, 0.0]
    """
    copy = o.copy(v)
    copy.maskedFill(torch.ne(a, b), 0)
    return copy
