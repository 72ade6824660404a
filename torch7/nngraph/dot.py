"""Graphviz output of nngraph graphs: ``nngraph.dot(g, title, filename)`` (Lua's ``graph.dot``).

Example:
    >>> from torch7 import nn, nngraph
    >>> x = nn.Identity()()
    >>> g = nn.gModule([x], [nn.Tanh()(x)])
    >>> print(nngraph.dot(g.fg, "tanh").splitlines()[:3])
    ['digraph G {', 'labelloc="t";', 'label="tanh";']
"""

from __future__ import annotations

import os
import shutil
import subprocess


def _graph_of(g):
    from .graph import Graph

    if isinstance(g, Graph):
        return g
    fg = getattr(g, "fg", None)  # a gModule: its forward graph
    if isinstance(fg, Graph):
        return fg
    raise TypeError(f"nngraph.dot: expected a graph.Graph (g.fg, g.bg) or an nn.gModule, got {type(g).__name__}")


def writeSvg(dotText: str, prefix: str) -> list[str]:
    """Write ``prefix.dot`` and, when Graphviz's ``dot`` program is on the PATH, ``prefix.svg``; the paths written."""
    path = os.fspath(prefix) + ".dot"
    with open(path, "w", encoding="utf-8") as f:
        f.write(dotText)
    written = [path]
    exe = shutil.which("dot")
    if exe is not None:
        svg = os.fspath(prefix) + ".svg"
        subprocess.run([exe, "-Tsvg", "-o", svg, path], check=True, capture_output=True)
        written.append(svg)
    return written


def dot(g, title: str | None = None, filename: str | None = None) -> str:
    """The Graphviz text of ``g`` (a ``graph.Graph`` such as ``gm.fg``/``gm.bg``, or a gModule for its ``fg``).

    With ``filename`` (no extension) also write ``filename.dot`` and, when the ``dot`` program exists,
    ``filename.svg``. Lua opened a Qt window when no file name was given; here the text is returned.

    Args:
        g: the graph or gModule.
        title: the title drawn above the graph.
        filename: the path prefix of the files to write.

    Returns:
        the dot text.
    """
    text = _graph_of(g).todot(title)
    if filename is not None:
        writeSvg(text, filename)
    return text
