"""``cutorch.CudaGraph``: record a step of CUDA work once, then replay it with one launch.

A char-rnn or small-MLP training step is hundreds of small kernels, and on a GPU their Python-side launch
cost, not the arithmetic, sets the time (reference gpu-notes: ~400 small kernels, 12.4 ms eager, 0.86 ms
replayed).  CUDA graphs remove that cost: the step's kernels are captured on a stream once and replayed
as one graph.  Torch7 had no graphs; the API follows PyTorch's ``torch.cuda.CUDAGraph``.
"""

from __future__ import annotations

import contextlib

import numpy as np

from torch7._core import backend

from . import cublas


class CudaGraph:
    """A captured sequence of CUDA kernels, replayed with :meth:`replay`.

    ``capture(fn, *args)`` runs ``fn`` ``warmup`` times as usual (so kernels compile and the modules' buffers
    reach their final sizes), then once more under stream capture: nothing runs then, the kernels are
    recorded. ``replay()`` launches them again on the current stream, reading and writing the same memory;
    so new data goes into the captured input tensors with ``x.copy(batch)`` before each replay, and
    results are read from the tensors the step wrote (``g.output``: what ``fn`` returned at capture).

    While capturing, matrix products (``torch.mm``/``addmm``, ``nn.Linear``, the LSTM/GRU recurrences) run
    through torch7's own cuBLAS handle (:mod:`torch7.cutorch.cublas`), because CuPy refuses cuBLAS calls
    during a capture. Memory that the captured step allocates stays reserved for the graph until
    :meth:`reset`, so later allocations never reuse what a replay writes. Memory the step found already
    allocated (the modules' buffers, the parameters, the inputs) is the caller's to keep: between replays,
    code run outside the graph must not resize those tensors (a forward with another batch size would), or
    the graph goes on reading and writing their old memory. Numbers the step hands to its kernels are also
    read at capture: a learning rate, and whatever optim derives on the host from its step count (Adam's
    bias correction, the ``learningRateDecay`` of sgd and adagrad) stay as they were. Capture again after
    changing any of these (rmsprop, and sgd or adagrad without a decay, have none).

    What cannot be captured raises with a message saying so, and nothing is recorded: anything that waits
    for the device from the host (a number read from a CUDA tensor, ``x.sum()`` of a whole tensor, printing
    one, a copy between host and device, a criterion without a device-side loss). ``ClassNLLCriterion``,
    ``CrossEntropyCriterion``, ``MSECriterion``, ``AbsCriterion``, ``SmoothL1Criterion`` and ``BCECriterion``
    keep the loss on the device while capturing: ``forward`` returns their ``output_tensor``, which each
    replay rewrites. Validity checks that would read device memory (class indices in range) are skipped
    while capturing. Random numbers drawn inside a graph (``nn.Dropout``)
    are replayed as they were drawn at capture.

    Args:
        fn: optional; when given, ``capture(fn, *args, warmup=warmup)`` runs at construction.
        warmup: eager runs of ``fn`` before the capture.

    Example (needs a GPU)::

        net, crit = net.cuda(), crit.cuda()
        params, grads = net.getParameters()

        def step():
            grads.zero()
            out = net.forward(x)
            crit.forward(out, y)     # while capturing: the loss into crit.output_tensor
            net.backward(x, crit.backward(out, y))
            params.add(-lr, grads)

        g = cutorch.CudaGraph(step)
        for xb, yb in batches:
            x.copy(xb); y.copy(yb)   # the captured step reads these tensors
            g.replay()
            loss = crit.output_tensor[0]   # a number: waits for this replay
    """

    def __init__(self, fn=None, *args, warmup: int = 1) -> None:
        self._cp = backend.require_cuda_tensors("cutorch.CudaGraph")
        self._graph = self._stream = None
        self._memory: list = []
        self.output = None
        self.replays = 0
        if fn is not None:
            self.capture(fn, *args, warmup=warmup)

    def capture(self, fn, *args, warmup: int = 1):
        """Run ``fn(*args)`` ``warmup`` times, then capture one call; returns what the captured call returned."""
        if not callable(fn):
            raise TypeError(f"cutorch.CudaGraph.capture: expected a function, got {type(fn).__name__}")
        cp = self._cp
        self.reset()
        for _ in range(max(0, int(warmup))):
            fn(*args)
        cublas.handle(cp)  # its workspace is allocated now, not inside the capture
        cp.cuda.get_current_stream().synchronize()
        stream = cp.cuda.Stream(non_blocking=True)
        keep: list = []
        with stream, _retaining_allocator(cp, keep), _gemms_through_cublas(cp), _capturing():
            stream.begin_capture()
            try:
                out = fn(*args)
            except BaseException as e:
                with contextlib.suppress(Exception):
                    stream.end_capture()
                _reraise(e)
            try:
                graph = stream.end_capture()
            except Exception as e:
                _reraise(e)
        self._graph, self._stream, self._memory, self.output = graph, stream, keep, out
        return out

    def replay(self) -> None:
        """Launch the captured kernels on the current stream (asynchronously, as any CUDA work)."""
        if self._graph is None:
            raise RuntimeError("cutorch.CudaGraph.replay: nothing captured yet (call capture(fn) first)")
        self._graph.launch(stream=self._cp.cuda.get_current_stream())
        self.replays += 1

    def reset(self) -> None:
        """Drop the graph and give its memory back (waits for replays still running)."""
        if self._graph is not None:
            self._cp.cuda.get_current_stream().synchronize()
        self._graph = self._stream = None
        self._memory = []
        self.output = None
        self.replays = 0

    def isCaptured(self) -> bool:
        """Whether a graph is ready to replay."""
        return self._graph is not None

    def __repr__(self) -> str:
        state = f"captured, {len(self._memory)} allocations kept" if self._graph is not None else "empty"
        return f"cutorch.CudaGraph({state})"


@contextlib.contextmanager
def _capturing():
    backend._STATE.capturing = True
    try:
        yield
    finally:
        backend._STATE.capturing = False


@contextlib.contextmanager
def _retaining_allocator(cp, keep: list):
    """Allocations made during the capture are kept alive (in ``keep``) for as long as the graph lives."""
    base = cp.cuda.get_allocator()

    def alloc(nbytes):
        p = base(nbytes)
        keep.append(p)
        return p

    with cp.cuda.using_allocator(alloc):
        yield


@contextlib.contextmanager
def _gemms_through_cublas(cp):
    """``cupy.matmul``/``cupy.dot`` (what ``numpy.matmul``/``numpy.dot`` call on CuPy arrays) on torch7's handle,
    ``cupy.tensordot`` as one of those, ``cupy.einsum`` (which contracts through cuBLAS) as element-wise
    products and sums."""
    saved = {name: vars(cp).get(name, _ABSENT) for name in ("matmul", "dot", "einsum", "tensordot")}
    matmul0, dot0, einsum0, tensordot0 = cp.matmul, cp.dot, cp.einsum, cp.tensordot

    def matmul(a, b, out=None, **kwargs):
        if kwargs or not cublas.supported(a, b, out):
            return matmul0(a, b, out=out, **kwargs)
        return cublas.matmul(cp, a, b, out)

    def dot(a, b, out=None):
        if a.ndim > 2 or b.ndim > 2 or not cublas.supported(a, b, out):
            return dot0(a, b, out=out)
        return cublas.matmul(cp, a, b, out)

    def einsum(spec, *operands, **kwargs):
        kwargs.pop("optimize", None)  # a contraction order: the product below has none
        r = None if kwargs or not isinstance(spec, str) else cublas.einsum(cp, spec, *operands)
        return einsum0(spec, *operands, **kwargs) if r is None else r

    def tensordot(a, b, axes=2):
        floats = a.dtype == b.dtype and a.dtype in (np.float32, np.float64)
        return cublas.tensordot(cp, a, b, axes) if floats else tensordot0(a, b, axes)

    cp.matmul, cp.dot, cp.einsum, cp.tensordot = matmul, dot, einsum, tensordot
    try:
        yield
    finally:
        for name, v in saved.items():
            if v is _ABSENT:
                delattr(cp, name)
            else:
                setattr(cp, name, v)


_ABSENT = object()


class CaptureError(RuntimeError):
    """Work that a CUDA graph cannot record was met during ``CudaGraph.capture``."""


def _reraise(e: BaseException):
    """Raise ``e``, or a CaptureError saying what in the step cannot be captured (``e`` as its cause)."""
    text = str(e)
    if "cuBLAS" in text and "capture" in text:
        raise CaptureError("cutorch.CudaGraph.capture: the step calls a cuBLAS routine that torch7 does not route "
                            f"through its own handle (only matrix products are; {text})") from e
    if "StreamCapture" in text or "stream is capturing" in text:
        raise CaptureError("cutorch.CudaGraph.capture: the step waits for the device from the host (a loss "
                           "returned as a number, a tensor element read as a number, printing a CUDA tensor, or a "
                           f"copy between host and device); run that part outside the graph ({type(e).__name__}: "
                           f"{text})") from e
    raise e
