"""Graph output (Graphviz DOT), the debugHook's debugger and the profile report."""

from __future__ import annotations

from .._core.tensor import Tensor
from ._node import Node, plain


def _desc(v) -> str:
    v = plain(v)
    if isinstance(v, Tensor):
        return f"{v.type().replace('torch.', '')} {'x'.join(str(s) for s in v.size()) or 'empty'}"
    return type(v).__name__


def dot_source(tape, out: Node) -> str:
    """The recorded graph of one call as Graphviz source (operations as boxes, inputs as ellipses)."""
    ids: dict = {}
    lines = ["digraph autograd {", "  rankdir=LR;"]

    def node_id(n) -> str:
        key = id(n.op) if n.op is not None else id(n)
        if key not in ids:
            ids[key] = f"n{len(ids)}"
            if n.op is None:
                lines.append(f'  {ids[key]} [shape=ellipse, label="input\\n{_desc(n)}"];')
        return ids[key]

    for op in tape.ops:
        outs = [o for o in op.outputs if o is not None] if op.multi else [op.outputs]
        me = node_id(outs[0]) if outs else f"n{len(ids)}"
        lines.append(f'  {me} [shape=box, label="{op.name}\\n{_desc(op.value if not op.multi else outs[0])}"];')
        for a in op.args:
            for e in (a if type(a) in (list, tuple) else (a,)):
                if type(e) is Node and e.tape is tape:
                    lines.append(f"  {node_id(e)} -> {me};")
    lines.append(f'  {node_id(out)} -> loss; loss [shape=doublecircle, label="output"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(tape, out: Node, path: str) -> None:
    with open(path, "w") as fh:
        fh.write(dot_source(tape, out))


class Debugger:
    """What ``debugHook(debugger, msg)`` receives: the graph of the call that went wrong."""

    def __init__(self, tape, out: Node) -> None:
        self._tape, self._out = tape, out

    def generateDot(self, fileName: str) -> None:
        """Write the recorded graph to ``fileName`` (Graphviz DOT)."""
        write_dot(self._tape, self._out, fileName)

    def showDot(self) -> None:
        raise NotImplementedError("autograd: showDot is not supported (use generateDot and a Graphviz viewer)")


def print_profile(stats: dict, calls: int) -> None:
    """Print the time spent in each primitive over ``calls`` calls of df (slowest first)."""
    total = sum(t for _, t in stats.values()) or 1.0
    print(f"autograd profile after {calls} calls (forward time per primitive):")
    print(f"  {'function':<24} {'calls':>8} {'time (s)':>10} {'share':>7}")
    for name, (n, t) in sorted(stats.items(), key=lambda kv: -kv[1][1]):
        print(f"  {name:<24} {n:>8} {t:>10.4f} {100 * t / total:>6.1f}%")
