"""Helpers shared by the element-wise optimizers: option defaults, the feval call, state tensors,
and the blocked runner that applies an update formula to cache-sized slices of flat vectors.

Why blocks: an optimizer step is a chain of 5-15 element-wise operations over the same few
vectors. Run over whole 10^7-element vectors, each operation streams every operand through main
memory again; run over slices of ``BLOCK_BYTES`` bytes per operand, the operands stay in cache between the
operations, so memory traffic is one read of each input and one write of each output, and the
scratch space is one block per temporary. Long vectors are also split over a few worker threads
(NumPy releases the GIL inside each operation). The per-element operations and their order are the
same in every form, so the result depends on neither the block size nor the number of threads.
"""

from __future__ import annotations

import os

import numpy as np

from torch7._core import backend
from torch7._core.tensor import Tensor

# Bytes per operand in one block (128K float32 or 64K float64 elements): the 3-6 operands of one
# operation stay within a 1-2 MB L2 cache, and a block is long enough to hide the per-call cost.
BLOCK_BYTES = 1 << 19
# Vectors of at least PARALLEL_MIN elements are split over THREADS worker threads (NumPy releases the
# GIL inside each operation); each element is computed the same way whatever the split.
PARALLEL_MIN = 1 << 19
THREADS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
_pool = None
_pool_key = None


def opt(config: dict, key: str, default):
    """``config[key]`` unless absent or None (Lua's ``config.key or default``; 0 and False are kept)."""
    v = config.get(key)
    return default if v is None else v


def check_x(name: str, x) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"optim.{name}: x must be a torch7 tensor, got {type(x).__name__}")
    if not x._is_float:
        raise TypeError(f"optim.{name}: x must be a floating-point tensor, got {x._typename}")


def evaluate(name: str, feval, x: Tensor):
    """Call ``feval(x)``; check that it returned ``(f, df/dx)`` with df/dx a tensor like ``x``."""
    res = feval(x)
    if not isinstance(res, (tuple, list)) or len(res) < 2:
        raise TypeError(f"optim.{name}: feval(x) must return (f, df/dx), got {type(res).__name__}")
    fx, dfdx = res[0], res[1]
    if not isinstance(dfdx, Tensor):
        raise TypeError(f"optim.{name}: feval(x) must return df/dx as a tensor, got {type(dfdx).__name__}")
    if type(dfdx) is not type(x):
        raise TypeError(f"optim.{name}: df/dx is a {dfdx._typename} but x is a {x._typename}")
    if dfdx._a.size != x._a.size:
        raise ValueError(f"optim.{name}: df/dx has {dfdx._a.size} elements but x has {x._a.size}")
    return fx, dfdx


def vector(name: str, key: str, t, x: Tensor) -> Tensor:
    """A per-element config tensor (learningRates, weightDecays): any tensor type, x's nElement."""
    if not isinstance(t, Tensor):
        raise TypeError(f"optim.{name}: config key '{key}' must be a tensor, got {type(t).__name__}")
    if t._a.size != x._a.size:
        raise ValueError(f"optim.{name}: config key '{key}' has {t._a.size} elements but x has {x._a.size}")
    return t


def field(name: str, state: dict, key: str, x: Tensor, like: Tensor, fill: float | None = 0.0,
          sizes: tuple | None = None, cls: type | None = None) -> Tensor:
    """``state[key]``, created on first use as a tensor of x's type (or ``cls``) shaped like ``like``.

    ``fill`` None leaves the new tensor's values unspecified (Torch7's bare ``resizeAs``; we zero it).
    An existing field must be a tensor with the expected number of elements.
    """
    cls = type(x) if cls is None else cls
    shape = like._a.shape if sizes is None else sizes
    t = state.get(key)
    if t is None:
        xp = cls._xp  # numpy, or cupy for CUDA state
        arr = xp.zeros(shape, cls._dtype) if not fill else xp.full(shape, fill, cls._dtype)
        t = cls._new(arr)
        state[key] = t
        return t
    if not isinstance(t, Tensor):
        raise TypeError(f"optim.{name}: state field '{key}' must be a tensor, got {type(t).__name__}")
    n = int(np.prod(shape))
    if t._a.size != n:
        raise ValueError(f"optim.{name}: state field '{key}' has {t._a.size} elements, expected {n}")
    return t


def run(kernel, arrays: list, temps: int = 1) -> None:
    """Call ``kernel(*chunks, *scratch)`` on matching element ranges of ``arrays`` (None passes through).

    All arrays hold the same number of elements; ``arrays[0]`` (x) gives the dtype of the ``temps``
    scratch buffers. When every array is C-contiguous, the kernel runs on flat slices of
    ``BLOCK_BYTES`` bytes of x (vectors of ``PARALLEL_MIN`` elements or more are cut into ``THREADS`` contiguous
    parts, one per worker thread); otherwise it runs once on views shaped like ``arrays[0]`` (an
    operand that cannot be viewed that way is copied in and, afterwards, copied back, so in-place
    writes are kept). The kernel must treat every element independently of the others. On a GPU the kernel
    runs once over whole vectors: there a launch per block would cost more than the cache saves.
    """
    a0 = arrays[0]
    n = a0.size
    host = isinstance(a0, np.ndarray)
    if host and all(a is None or a.flags.c_contiguous for a in arrays):
        flats = [None if a is None else a.reshape(-1) for a in arrays]
        block = max(1, BLOCK_BYTES // a0.itemsize)
        nthreads = min(THREADS, n // (2 * block)) if n >= PARALLEL_MIN else 1
        if nthreads <= 1:
            _blocks(kernel, flats, temps, 0, n, block)
            return
        nblocks = -(-n // block)
        cuts = [min(n, (nblocks * i // nthreads) * block) for i in range(nthreads + 1)]
        pool = _executor()
        futures = [pool.submit(_blocks, kernel, flats, temps, lo, hi, block) for lo, hi in zip(cuts[:-1], cuts[1:])]
        for f in futures:
            f.result()
        return
    with np.errstate(all="ignore"):  # Torch7 computes inf/NaN silently
        shape = a0.shape
        views, back = [], []
        for a in arrays:
            if a is None or a.shape == shape:
                views.append(a)
                continue
            v = a.reshape(shape)
            if not np.shares_memory(v, a):
                back.append((a, v))
            views.append(v)
        xp = np if host else backend.xp(a0)
        kernel(*views, *[xp.empty(shape, a0.dtype) for _ in range(temps)])
        for a, v in back:
            np.copyto(a, v.reshape(a.shape))


def _blocks(kernel, flats: list, temps: int, lo: int, hi: int, block: int) -> None:
    """The kernel over flats[lo:hi], ``block`` elements at a time, with scratch buffers of one block."""
    dt = flats[0].dtype
    with np.errstate(all="ignore"):  # per thread: NumPy's error state is thread-local
        if hi - lo <= block:
            kernel(*[None if f is None else f[lo:hi] for f in flats], *[np.empty(hi - lo, dt) for _ in range(temps)])
            return
        scratch = [np.empty(block, dt) for _ in range(temps)]
        for b in range(lo, hi, block):
            e = b + block
            if e > hi:
                e = hi
                scratch = [s[:e - b] for s in scratch]
            kernel(*[None if f is None else f[b:e] for f in flats], *scratch)


def _executor():
    """The worker pool, made on first use (and again in a forked child, where its threads are gone)."""
    global _pool, _pool_key
    key = (os.getpid(), THREADS)
    if _pool is None or _pool_key != key:
        from concurrent.futures import ThreadPoolExecutor

        if _pool is not None and _pool_key[0] == os.getpid():
            _pool.shutdown(wait=False)  # THREADS changed
        _pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="torch7-optim")
        _pool_key = key
    return _pool
