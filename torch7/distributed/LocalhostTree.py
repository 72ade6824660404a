"""torch-ipc's ``LocalhostTree``: a tree of processes on one machine that find each other by themselves."""

from __future__ import annotations

import json
import os
import tempfile

from .Tree import DEFAULT_TIMEOUT, Tree

LOCALHOST = "127.0.0.1"


def defaultRendezvous() -> str:
    """The rendezvous file of processes started by the same parent (a shell loop, a launcher)."""
    return os.path.join(tempfile.gettempdir(), f"torch7-distributed-{os.getppid()}.json")


def _publish(path: str, host: str, port: int) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump({"host": host, "port": port, "pid": os.getpid()}, f)
    os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one


def _query(path: str) -> tuple[str, int] | None:
    try:
        with open(path) as f:
            d = json.load(f)
        host, port = d["host"], d["port"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not written yet (or half-written by a foreign writer): ask again
    if not isinstance(host, str) or type(port) is not int or not 0 < port < 65536:
        return None
    return host, port


def _unpublish(path: str, port: int | None) -> None:
    try:
        with open(path) as f:
            d = json.load(f)
        if d.get("pid") == os.getpid() and d.get("port") == port:  # ours, not a newer root's
            os.remove(path)
    except (OSError, ValueError, AttributeError):
        pass


class LocalhostTree(Tree):
    """A ``Tree`` of processes on this machine (127.0.0.1) that rendezvous through a file or a port.

    The root listens on a port its OS chooses and writes ``{"host", "port", "pid"}`` as JSON into the
    rendezvous file (atomically, by rename); the other nodes read it, retrying until it appears and
    the root accepts, and the root removes it once everyone has joined. The default file is
    ``<tempdir>/torch7-distributed-<parent pid>.json``, so processes started by one shell line or
    launcher find each other as in torch-ipc (which used ``/tmp/<ppid>.localhost``). Give
    ``rendezvous`` (a path) to run several trees under one parent at once, or ``port`` to skip the
    file: the root then binds that port and the others connect to it.

    Args:
        nodeIndex: this node, 0-based (0 is the root).
        numNodes: the number of nodes.
        base: the branching factor.
        port: a fixed port for the root instead of the rendezvous file.
        rendezvous: the path of the rendezvous file.
        timeout: seconds allowed for each socket operation and for the construction.

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import LocalhostTree
        >>> tree = LocalhostTree(0, 1)
        >>> tree.allReduce([torch.FloatTensor(2).fill(1), 5])[0][1]
        5
        >>> tree.close()
    """

    def __init__(self, nodeIndex: int, numNodes: int, base: int = 2, port: int | None = None, *,
                 rendezvous: str | os.PathLike | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        if port is not None:
            self.rendezvous = None
            super().__init__(nodeIndex, numNodes, base, host=LOCALHOST, port=port, timeout=timeout)
            return
        path = os.fspath(rendezvous) if rendezvous is not None else defaultRendezvous()
        self.rendezvous = path
        if nodeIndex != 0:
            super().__init__(nodeIndex, numNodes, base, host=LOCALHOST, port=0, query=lambda: _query(path),
                             timeout=timeout)
            return
        try:
            super().__init__(nodeIndex, numNodes, base, host=LOCALHOST, port=0,
                             publish=lambda host, p: _publish(path, host, p), timeout=timeout)
        finally:
            _unpublish(path, getattr(self, "port", None))
