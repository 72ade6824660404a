import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from cudnn_env import cudnn  # noqa: E402,F401 - the torch7.cudnn fixture, for tests/test_cudnn*.py
from device_env import cp  # noqa: E402,F401 - CuPy or StrictCupy, for the fused-kernel tests
