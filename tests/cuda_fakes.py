"""Test doubles for CuPy, shared by the CUDA tests (CI has no GPU).

``FakeCupy`` has the few ``cupy.cuda`` calls cutorch's functions make (names and signatures checked
against CuPy 14.2): it tests our side of the translation, not CuPy.  ``EmuCupy`` adds NumPy as the
array engine, so the ``torch.Cuda*`` classes can be driven on the host: it checks the plumbing
(result types stay on the device, conversions, views of device storages), while the ``gpu``-marked
tests run the same code on CuPy and a real device.
"""

from __future__ import annotations

import types

import numpy as np


class FakeRuntime:
    def __init__(self, n: int) -> None:
        self.n, self.dev, self.log = n, 0, []
        self.capturing = None  # the stream capturing now, if any
        self.capture_hooks: list = []  # called with "begin" and "end" around a capture (StrictCupy's memory)

    def refuse_during_capture(self, what: str):
        """What CUDA answers to a host synchronisation while a stream captures (and the capture is lost)."""
        self.capturing.invalidated = True
        raise RuntimeError(f"cudaErrorStreamCaptureUnsupported: operation not permitted when stream is capturing "
                           f"({what})")

    def getDeviceCount(self): return self.n
    def getDevice(self): return self.dev
    def setDevice(self, d): self.dev = d
    def deviceSynchronize(self): self.log.append(("sync", self.dev))
    def memGetInfo(self): return (100 * (self.dev + 1), 1000 * (self.dev + 1))
    def runtimeGetVersion(self): return 13000
    def driverGetVersion(self): return 13010
    def deviceCanAccessPeer(self, a, b): return int(a != b)

    def getDeviceProperties(self, d):
        return {"name": b"Fake H100 %d" % d, "major": 9, "minor": 0, "totalGlobalMem": 1000 * (d + 1),
                "multiProcessorCount": 132, "warpSize": 32}


class FakeCupy(types.ModuleType):
    """``cupy`` with ``n`` devices: runtime calls, streams, events and the per-device seed."""

    def __init__(self, n: int = 2) -> None:
        super().__init__("cupy")
        self.__version__ = "14.2.0-fake"
        rt = FakeRuntime(n)
        fake = self

        class Stream:
            def __init__(self, non_blocking=False, null=False):
                self.non_blocking, self.waited, self.synced, self.device = non_blocking, [], 0, rt.dev
                self.ptr = 0 if null else id(self)  # cudaStream_t: 0 is the legacy default stream
                self.capturing = self.invalidated = False
                self.outer = []

            def use(self): fake.current_stream = self
            def wait_event(self, ev): self.waited.append(ev)

            def __enter__(self):
                self.outer.append(fake.current_stream)
                fake.current_stream = self
                return self

            def __exit__(self, *exc):
                fake.current_stream = self.outer.pop()

            def synchronize(self):
                if rt.capturing is not None:
                    rt.refuse_during_capture("cudaStreamSynchronize")
                self.synced += 1

            # stream capture, with CuPy 14's rules and CUDA's error names
            def begin_capture(self, mode=None):
                if self.ptr == 0:
                    raise RuntimeError("cannot capture on the default (legacy) stream")
                if self.capturing:
                    raise RuntimeError("cudaErrorIllegalState: the stream is already capturing")
                self.capturing, self.invalidated, rt.capturing = True, False, self
                for hook in rt.capture_hooks:
                    hook("begin")
                self.log = []  # what ran while capturing, as functions (StrictCupy records its operations)

            def is_capturing(self): return self.capturing

            def end_capture(self):
                if not self.capturing:
                    raise RuntimeError("cudaErrorIllegalState: the stream is not capturing")
                self.capturing, rt.capturing = False, None
                for hook in rt.capture_hooks:
                    hook("end")
                if self.invalidated:
                    raise RuntimeError("cudaErrorStreamCaptureInvalidated: operation failed due to a previous "
                                       "error during capture")
                return Graph(self)

        class Graph:
            """A captured graph: ``launch`` runs the recorded operations again, in their order."""

            def __init__(self, stream):
                self.captured_on, self.launches, self.operations = stream, [], list(getattr(stream, "log", ()))

            def launch(self, stream=None):
                self.launches.append(stream or fake.current_stream)
                for op in self.operations:
                    op()

        def using_allocator(allocator=None):
            import contextlib

            @contextlib.contextmanager
            def ctx():
                old, fake.allocator = fake.allocator, allocator or fake.default_allocator
                try:
                    yield
                finally:
                    fake.allocator = old
            return ctx()

        class Event:
            def __init__(self, disable_timing=False): self.stream = None
            def record(self, stream): self.stream = stream

        Stream.null = Stream(null=True)
        self.default_allocator = self.allocator = lambda nbytes: ("memory", nbytes)
        self.cuda = types.SimpleNamespace(runtime=rt, Stream=Stream, Event=Event, Graph=Graph,
                                          get_current_stream=lambda: fake.current_stream,
                                          get_allocator=lambda: fake.allocator, using_allocator=using_allocator)
        self.seeds = []
        self.random = types.SimpleNamespace(seed=lambda s: self.seeds.append((rt.dev, s)))
        self.current_stream = Stream.null

    def get_array_module(self, a):
        return self


class EmuCupy(FakeCupy):
    """``cupy`` emulated by NumPy: one device; ``random`` takes CuPy's ``dtype`` arguments."""

    def __init__(self) -> None:
        super().__init__(1)
        self.__version__ = "14.2.0-emulated-by-numpy"
        gen = np.random.default_rng(0)
        self.random = types.SimpleNamespace(
            seed=lambda s: self.seeds.append((0, s)),
            uniform=lambda a, b, size, dtype=float: gen.uniform(a, b, size).astype(dtype),
            normal=lambda m, s, size, dtype=float: gen.normal(m, s, size).astype(dtype),
            random_sample=lambda size, dtype=float: gen.random(size).astype(dtype))

    def __getattr__(self, name):
        return getattr(np, name)

    def get_array_module(self, a):
        return np
