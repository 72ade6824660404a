"""The ``cp`` fixture of the fused-kernel tests: CuPy with a GPU, else ``StrictCupy`` (bodies built by the host's C++).

``needs_kernels`` skips a module where neither a GPU nor a host C++ compiler can run the kernel bodies.
"""

from __future__ import annotations

import cxx_kernels
import pytest
from strict_cupy import StrictCupy

from torch7._core import backend

needs_kernels = pytest.mark.skipif(not (backend.is_available() or cxx_kernels.available()),
                                   reason="needs a GPU or a host C++ compiler to run the kernel bodies")


@pytest.fixture
def cp():
    if backend.is_available():
        yield backend.cupy()
        return
    old = backend._set_for_tests(StrictCupy())
    try:
        yield backend.cupy()
    finally:
        backend._restore(old)
