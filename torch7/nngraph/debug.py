"""nngraph debugging: ``setDebug`` (draw the graph with the failing node in red) and ``annotateNodes``.

Example:
    >>> from torch7 import nn, nngraph
    >>> def build():
    ...     inp = nn.Identity()()
    ...     hidden = nn.Tanh()(inp)
    ...     nngraph.annotateNodes()
    ...     return hidden
    >>> build().data["annotations"]["name"]
    'hidden'
"""

from __future__ import annotations

import os
import sys
import tempfile

_STATE = {"debug": False}


def setDebug(enable: bool) -> None:
    """When on, a gModule whose node fails writes ``<name>.dot``/``.svg`` (the failing node in red) in the cwd.

    The file prefix is the gModule's ``name``, else ``nngraph_<k>in_<m>out``; an existing file is not
    overwritten (a random suffix is added).
    """
    _STATE["debug"] = bool(enable)


def enabled() -> bool:
    return _STATE["debug"]


def onError(gmodule, failedNode) -> list[str]:
    """Write the forward graph of ``gmodule`` with ``failedNode`` filled red; returns the paths written."""
    from .dot import writeSvg

    n_in = getattr(gmodule, "nInputs", None) or len(gmodule.innode.children)
    prefix = getattr(gmodule, "name", None) or f"nngraph_{n_in}in_{len(gmodule.outnode.children)}out"
    if os.path.exists(prefix + ".svg") or os.path.exists(prefix + ".dot"):
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(prefix) + "_", dir=os.path.dirname(prefix) or ".")
        os.close(fd)
        os.remove(tmp)
        prefix = tmp
    sys.stderr.write(f"saving {prefix}.svg\n")
    return writeSvg(gmodule.fg.todot(prefix, failed=failedNode), prefix)


def annotateNodes(stackLevel: int = 1) -> None:
    """Name every ``nngraph.Node`` local variable of the calling function after the variable (explicit names stay).

    Args:
        stackLevel: 1 for the function calling ``annotateNodes``, 2 for its caller, ...
    """
    from .Node import Node

    frame = sys._getframe(stackLevel)
    for name, value in list(frame.f_locals.items()):
        if isinstance(value, Node) and "name" not in value.data["annotations"]:
            value.annotate(name=name)
