"""torch7.cudnn: cuDNN-backed layers through NVIDIA's cuDNN frontend (extra ``cudnn``).

CuPy 14 has no cuDNN bindings; NVIDIA's ``nvidia-cudnn-frontend`` package (imported as ``cudnn``)
runs cuDNN graphs on CuPy device pointers.  Without that package (or without CUDA) importing this
module raises an ``ImportError`` that names what to install; the ``nn`` modules keep working.
The cuDNN layers themselves (convolution, pooling, batch normalization, activations, softmax,
``cudnn.convert``) need the GPU tensors of issue 9 and are not built in this version, so with the
package present the import raises ``NotImplementedError`` rather than offering layers that cannot run.
``.t7`` files that contain ``cudnn.*`` modules load without this package, as their ``nn`` equivalents
(what Lua's ``cudnn.convert(net, nn)`` does).
"""

from __future__ import annotations

from torch7._core.backend import CudaUnavailableError, cupy

_HINT = ("pip install 'torch7[cudnn]' (nvidia-cudnn-frontend and cupy-cuda13x) on a machine with an NVIDIA GPU; "
         "the nn modules run without it")

try:
    import cudnn as _frontend  # NVIDIA's cuDNN frontend
except ImportError as e:
    raise ImportError(f"torch7.cudnn needs NVIDIA's cuDNN frontend, which is not installed ({e}): {_HINT}") from None

try:
    cupy("torch7.cudnn")
except CudaUnavailableError as e:
    raise ImportError(f"torch7.cudnn: {e}") from None

raise NotImplementedError(f"torch7.cudnn: cuDNN layers on the GPU are not implemented in this version (frontend "
                          f"{getattr(_frontend, '__version__', '?')} found); use the nn modules")
