"""Doctest collection of optional kernels: the Numba modules import numba, an optional extra."""

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("numba") else ["torch7/nn/functional/*_numba.py"]
