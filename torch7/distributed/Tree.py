"""torch-ipc's ``Tree``: an all-reduce tree of ``numNodes`` processes connected by TCP."""

from __future__ import annotations

import numbers
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from ._base import NAMED_REDUCE, TreeBase
from ._shape import childrenOf, parentOf
from ._walk import setSlot
from ._wire import Peer, Stats, TempBuffer
from .DistributedError import DistributedError

DEFAULT_TIMEOUT = 600.0
_BUILD = "construction"


class Tree(TreeBase):
    """A communication tree over TCP: ``allReduce`` and ``scatter`` between ``numNodes`` processes.

    Node 0 (the root) listens on ``host:port``; every other node connects to it, says who it is and
    where it listens, and is told its parent; then each node connects to its parent. The tree is the
    k-nomial tree of branching factor ``base`` (binomial for 2, as torch-ipc), so a collective takes
    ``ceil(log_base(numNodes))`` hops up and as many down. In ``allReduce`` a node reduces its own value
    with its children's in ascending child order, the root's result travels back down unchanged, and so
    every node ends with bit-identical values. ``LocalhostTree`` and ``StaticTree`` build one with a
    rendezvous; this class takes the root's address directly, or ``publish``/``query`` functions to pass
    it on (torch-ipc's ``DiscoveredTree``). A tree is not thread-safe: one collective at a time.

    Every socket operation has the time limit ``timeout`` (seconds, ``None`` for none); the whole
    construction must also finish within it. A peer that dies or goes silent raises ``DistributedError``
    naming the node, the peer and the operation, and closes this tree so that its neighbours fail too.

    Args:
        nodeIndex: this node, 0-based (0 is the root).
        numNodes: the number of nodes.
        base: the branching factor (at least 2).
        host: the root's address; the root binds it.
        port: the root's port; 0 lets the root's OS choose (then pass it on with ``publish``).
        publish: on the root, called as ``publish(host, port)`` once it listens.
        query: on the other nodes, called (again and again until the root accepts) for ``(host, port)``
            of the root, or ``None`` while it is not known yet; without it ``host:port`` is used.
        nodeHost: the address this node listens on for its children (default: the local address of its
            connection to the root).
        timeout: seconds allowed for each socket operation and for the construction.

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import Tree
        >>> with Tree(0, 1) as tree:                # one node: nothing to connect
        ...     x, n = tree.allReduce(torch.FloatTensor(3).fill(2))
        >>> x.sum(), n
        (6.0, 1)
    """

    def __init__(self, nodeIndex: int, numNodes: int, base: int = 2, *, host: str = "127.0.0.1", port: int = 0,
                 publish: Callable[[str, int], Any] | None = None,
                 query: Callable[[], tuple[str, int] | None] | None = None,
                 nodeHost: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        for name, v in (("nodeIndex", nodeIndex), ("numNodes", numNodes), ("base", base), ("port", port)):
            if not isinstance(v, numbers.Integral) or isinstance(v, bool):
                raise TypeError(f"Tree: {name} must be an int, got {type(v).__name__}")
        nodeIndex, numNodes, base, port = int(nodeIndex), int(numNodes), int(base), int(port)
        self.parent = parentOf(nodeIndex, numNodes, base)  # checks the ranges
        self.children = childrenOf(nodeIndex, numNodes, base)
        self.nodeIndex, self.numNodes, self.base, self.timeout = nodeIndex, numNodes, base, timeout
        self.host: str | None = None
        self.port: int | None = None  # where this node listened for its children (the root: for everyone)
        self._stats, self._temp = Stats(), TempBuffer()
        self._peers: list[Peer] = []  # every open connection, closed by close()
        self._listener: socket.socket | None = None
        self._parentPeer: Peer | None = None
        self._childPeers: list[Peer] = []
        self._deadline = None if timeout is None else time.monotonic() + timeout
        try:
            if nodeIndex == 0:
                self._buildRoot(host, port, publish)
            else:
                if query is None and port == 0:
                    raise ValueError(f"Tree: node {nodeIndex} needs the root's port (pass port, or query)")
                self._buildNode(host, port, query, nodeHost)
            self._startBarrier()
        except BaseException:
            self.close()
            raise
        finally:
            if self._listener is not None:  # nobody else joins once the tree stands
                self._listener.close()
                self._listener = None

    # ---- construction ---------------------------------------------------------------------
    def _remaining(self, what: str) -> float | None:
        if self._deadline is None:
            return None
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise DistributedError(f"node {self.nodeIndex}: {what} within {self.timeout} s during {_BUILD}")
        return left

    def _peer(self, sock: socket.socket, peer: int | None) -> Peer:
        p = Peer(sock, self.nodeIndex, peer, self.timeout, self._stats)
        self._peers.append(p)
        return p

    def _listen(self, host: str, port: int, backlog: int) -> None:
        try:
            family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
            self._listener = socket.create_server((host, port), family=family, backlog=backlog)
        except OSError as e:
            raise DistributedError(f"node {self.nodeIndex}: cannot listen on {host}:{port} during {_BUILD}: "
                                   f"{e.strerror or e}") from e
        self.host, self.port = host, self._listener.getsockname()[1]

    def _accept(self, waiting: Callable[[], str]) -> socket.socket:
        assert self._listener is not None
        while True:  # until a node connects or _remaining raises at the deadline
            self._listener.settimeout(self._remaining(waiting()))
            try:
                return self._listener.accept()[0]
            except TimeoutError:
                continue

    def _buildRoot(self, host: str, port: int, publish) -> None:
        if self.numNodes == 1:
            return
        self._listen(host, port, self.numNodes)
        if publish is not None:
            publish(host, self.port)
        hellos: dict[int, tuple[Peer, dict]] = {}
        while len(hellos) < self.numNodes - 1:
            missing = sorted(set(range(1, self.numNodes)) - set(hellos))
            peer = self._peer(self._accept(lambda m=missing: f"nodes {m} did not join"), None)
            hello = peer.recvControl(_BUILD)
            reason = self._checkHello(hello, hellos)
            if reason:
                peer.sendControl({"reject": reason}, _BUILD)
                raise DistributedError(f"node 0: refused a node during {_BUILD}: {reason}")
            peer.peer = hello["node"]
            hellos[peer.peer] = (peer, hello)
        for j in sorted(hellos):
            peer, p = hellos[j][0], parentOf(j, self.numNodes, self.base)
            if p == 0:
                peer.sendControl({"parent": 0}, _BUILD)
            else:  # the node connects to its own parent; this connection is done
                peer.sendControl({"parent": p, "host": hellos[p][1]["host"], "port": hellos[p][1]["port"]}, _BUILD)
                peer.close()
        self._childPeers = [hellos[c][0] for c in self.children]

    def _checkHello(self, hello: Any, seen: dict) -> str | None:
        if not isinstance(hello, dict) or set(hello) != {"node", "numNodes", "base", "byteorder", "host", "port"}:
            return "malformed hello"
        j = hello["node"]
        if hello["numNodes"] != self.numNodes or hello["base"] != self.base:
            return (f"node {j} was built with numNodes={hello['numNodes']}, base={hello['base']}; "
                    f"the root has numNodes={self.numNodes}, base={self.base}")
        if type(j) is not int or not 0 < j < self.numNodes or j in seen:
            return f"node index {j!r} is out of range or already taken"
        if hello["byteorder"] != sys.byteorder:
            return f"node {j} is {hello['byteorder']}-endian, the root {sys.byteorder}-endian"
        if childrenOf(j, self.numNodes, self.base) and not (isinstance(hello["host"], str)
                                                            and type(hello["port"]) is int):
            return f"node {j} has children but no address"
        return None

    def _connect(self, addr, who: str, retry: Callable[[], Any] | None = None) -> socket.socket:
        delay, last = 0.01, "no address yet"
        while True:
            if retry is not None:
                addr = retry()
            if addr is not None:
                try:
                    return socket.create_connection(tuple(addr), timeout=self._remaining(f"could not reach {who}"))
                except (ConnectionError, TimeoutError) as e:  # not listening yet: try again
                    last = f"{addr[0]}:{addr[1]}: {e.strerror or e}"
                except OSError as e:
                    raise DistributedError(f"node {self.nodeIndex}: cannot connect to {who} at {addr} "
                                           f"during {_BUILD}: {e}") from None
            self._remaining(f"could not reach {who} ({last})")
            time.sleep(delay)
            delay = min(2 * delay, 0.25)

    def _buildNode(self, host: str, port: int, query, nodeHost: str | None) -> None:
        sock = self._connect((host, port), "the root (node 0)", query)
        root = self._peer(sock, 0)
        ownHost = nodeHost or sock.getsockname()[0]
        if self.children:
            self._listen(ownHost, 0, len(self.children))
        root.sendControl({"node": self.nodeIndex, "numNodes": self.numNodes, "base": self.base,
                          "byteorder": sys.byteorder, "host": ownHost, "port": self.port}, _BUILD)
        reply = root.recvControl(_BUILD)
        if isinstance(reply, dict) and "reject" in reply:
            raise DistributedError(f"node {self.nodeIndex}: the root refused this node: {reply['reject']}")
        if not isinstance(reply, dict) or reply.get("parent") != self.parent:
            raise DistributedError(f"node {self.nodeIndex}: unexpected reply from the root during {_BUILD}")
        if self.parent == 0:
            self._parentPeer = root
        else:
            root.close()
            addr = (reply.get("host"), reply.get("port"))
            self._parentPeer = self._peer(self._connect(addr, f"its parent (node {self.parent})"), self.parent)
            self._parentPeer.sendControl({"child": self.nodeIndex}, _BUILD)
        got: dict[int, Peer] = {}
        while len(got) < len(self.children):
            missing = sorted(set(self.children) - set(got))
            peer = self._peer(self._accept(lambda m=missing: f"children {m} did not connect"), None)
            msg = peer.recvControl(_BUILD)
            c = msg.get("child") if isinstance(msg, dict) else None
            if c not in self.children or c in got:
                raise DistributedError(f"node {self.nodeIndex}: unexpected child {c!r} during {_BUILD}")
            peer.peer = c
            got[c] = peer
        self._childPeers = [got[c] for c in self.children]

    def _startBarrier(self) -> None:
        # ready flows up once each subtree is connected, start flows down: nobody returns early
        for child in self._childPeers:
            if child.recvControl(_BUILD) != "ready":
                raise DistributedError(f"node {self.nodeIndex}: node {child.peer} did not get ready during {_BUILD}")
        if self._parentPeer is not None:
            self._parentPeer.sendControl("ready", _BUILD)
            if self._parentPeer.recvControl(_BUILD) != "start":
                raise DistributedError(f"node {self.nodeIndex}: no start from node {self.parent} during {_BUILD}")
        for child in reversed(self._childPeers):
            child.sendControl("start", _BUILD)

    # ---- the collectives ----------------------------------------------------------------
    def _recvCount(self, peer: Peer, op: str) -> int:
        n = peer.recvControl(op)
        if type(n) is not int or not 0 <= n <= self.numNodes:
            raise DistributedError(f"node {self.nodeIndex}: bad count {n!r} from node {peer.peer} during {op}")
        return n

    def _round(self, sl: list, reduce, numDone: int) -> int:
        op = "allReduce"
        fn = NAMED_REDUCE[reduce] if isinstance(reduce, str) else reduce
        for child in self._childPeers:  # shortest branch first: its values arrive first
            for slot in sl:
                leaf = slot[0][slot[1]]
                setSlot(slot, fn(leaf, child.recvLeaf(leaf, self._temp, op)))
            numDone += self._recvCount(child, op)
        parent = self._parentPeer
        if parent is not None:
            for slot in sl:
                parent.sendLeaf(slot[0][slot[1]], op)
            parent.sendControl(numDone, op)
            for slot in sl:
                setSlot(slot, parent.recvLeaf(slot[0][slot[1]], self._temp, op, into=True))
            numDone = self._recvCount(parent, op)
        for child in reversed(self._childPeers):  # longest branch first: it has the most hops to go
            for slot in sl:
                child.sendLeaf(slot[0][slot[1]], op)
            child.sendControl(numDone, op)
        return numDone

    def _scatter(self, sl: list) -> None:
        if self._parentPeer is not None:
            for slot in sl:
                setSlot(slot, self._parentPeer.recvLeaf(slot[0][slot[1]], self._temp, "scatter", into=True))
        for child in reversed(self._childPeers):
            for slot in sl:
                child.sendLeaf(slot[0][slot[1]], "scatter")

    def allReduce(self, value: Any = None, reduce: str | Callable = "sum",
                  zero: Callable[[Any, int], Any] | None = None) -> tuple[Any, int]:
        """Reduce ``value`` over all nodes; every node's ``value`` ends holding the same result.

        ``value`` is a tensor, a number, or a list/tuple/dict (nested) of them; the nodes must pass the
        same structure with tensors of the same types and sizes (else ``DistributedError`` naming both).
        Tensors are reduced in place (a ``reduce`` that returns a new tensor has it copied back); numbers
        in a list or dict are replaced. Uneven endings, as torch-ipc: a node that has run out of steps
        calls ``allReduce(None, reduce, zero)``; its last value is zeroed with ``zero(leaf, i)`` (``i`` the
        0-based leaf index; a non-None result replaces the leaf) and it keeps joining the others' rounds
        until every node has finished.

        Args:
            value: what to reduce; ``None`` (with ``zero``) re-uses the last value passed without ``zero``.
            reduce: ``reduce(a, b)`` combining two values into ``a`` (or returning the result), or one of
                ``"sum"``, ``"max"``, ``"min"``, ``"prod"`` (default ``"sum"``).
            zero: marks this node as finished (see above).

        Returns:
            ``(value, n)``: the reduced value and the number of nodes that contributed (finished nodes
            do not count; a finished node gets 0 once everyone is done).

        Example:
            >>> import torch7 as torch
            >>> from torch7.distributed import Tree
            >>> tree = Tree(0, 1)
            >>> v = [1.5, torch.LongTensor([1, 2])]
            >>> tree.allReduce(v, "max")[1]
            1
            >>> _, n = tree.allReduce(None, "sum", lambda leaf, i: 0 if i == 0 else leaf.fill(0))
            >>> v[0], v[1].sum(), n
            (0, 0, 0)
        """
        return super().allReduce(value, reduce, zero)

    def netStats(self) -> dict[str, int]:
        """Bytes and messages (frames) this node sent and received, construction included.

        Example:
            >>> from torch7.distributed import Tree
            >>> Tree(0, 1).netStats()["bytesSent"]
            0
        """
        return self._stats.asDict()

    def _shutdown(self) -> None:
        for p in self._peers:
            p.close()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
