"""Utility classes of the ``torch.*`` namespace: ``torch.CmdLine`` and ``torch.Timer``.

Example:
    >>> import torch7 as torch
    >>> torch.typename(torch.Timer()), torch.typename(torch.CmdLine())
    ('torch.Timer', 'torch.CmdLine')
"""

from __future__ import annotations

from .cmdline import CmdLine
from .timer import Timer

FUNCTIONS = {"CmdLine": CmdLine, "Timer": Timer}
