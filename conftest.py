"""Doctest collection of optional parts: modules whose import needs an extra that is not installed.

The Numba kernels import numba (extra ``fast``); ``torch7.cudnn`` refuses to import without NVIDIA's
cuDNN frontend and a GPU (extra ``cudnn``; its import errors are tested in tests/test_cuda_plumbing.py, its
layers in tests/test_cudnn.py on a stand-in frontend).
"""

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("numba") else ["torch7/nn/functional/*_numba.py"]
collect_ignore_glob.append("torch7/cudnn/*.py")
