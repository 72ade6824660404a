"""The wire format: length-prefixed frames over one TCP connection between two tree neighbours.

Every frame starts with a little-endian uint32 giving the length of a UTF-8 JSON header (at most
64 KiB). A header is one of

- ``{"c": ...}``: a control value (hello, addresses, counts; JSON only);
- ``{"n": 1.5}``: a number leaf (JSON keeps a float's exact value: ``repr`` round-trips);
- ``{"t": "torch.FloatTensor", "s": [2, 3]}``: a tensor leaf, followed by its ``nElement * elementSize``
  raw bytes in row-major order and the byte order both ends agreed on at connection time.

Nothing is ever unpickled or evaluated: the receiver parses JSON, checks that the announced type and
sizes are exactly those of the tensor it will receive into, and only then reads that many bytes into
memory it already owns. Any mismatch, short read, timeout or closed connection raises
``DistributedError`` naming this node, the peer and the operation.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

import numpy as np

from .._core import types as T
from .._core.tensor import Tensor
from ._walk import plainNumber
from .DistributedError import DistributedError

MAX_HEADER = 64 * 1024
_LEN = struct.Struct("<I")
HOST_TYPES = frozenset(T.TENSOR_CLASSES)


def _fmtSize(sizes) -> str:
    return "x".join(str(s) for s in sizes) if len(sizes) else "0 (empty)"


class Stats:
    """Byte and frame counters shared by a node's connections."""

    def __init__(self) -> None:
        self.bytesSent = self.bytesReceived = self.messagesSent = self.messagesReceived = 0

    def asDict(self) -> dict[str, int]:
        return {"bytesSent": self.bytesSent, "bytesReceived": self.bytesReceived,
                "messagesSent": self.messagesSent, "messagesReceived": self.messagesReceived}


class TempBuffer:
    """One growing byte buffer reused for every received tensor (torch-ipc's ``tempValue``)."""

    def __init__(self) -> None:
        self._buf = np.empty(0, np.uint8)

    def tensor(self, cls: type, sizes) -> Tensor:
        dtype = cls._dtype
        n = int(np.prod(sizes, dtype=np.int64)) if len(sizes) else 0
        nbytes = n * dtype.itemsize
        if self._buf.nbytes < nbytes:
            self._buf = np.empty(nbytes, np.uint8)
        arr = self._buf[:nbytes].view(dtype).reshape(tuple(sizes) if n else (0,))
        return cls._new(arr)


class Peer:
    """A framed connection from node ``me`` to node ``peer`` (``peer`` is None until it said hello)."""

    def __init__(self, sock: socket.socket, me: int, peer: int | None, timeout: float | None, stats: Stats) -> None:
        self.sock, self.me, self.peer, self.stats = sock, me, peer, stats
        sock.settimeout(timeout)
        self.timeout = timeout
        # frames are small and answered at once: Nagle's delay would stall every round trip
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _who(self) -> str:
        return "a new peer" if self.peer is None else f"node {self.peer}"

    def _fail(self, op: str, what: str) -> DistributedError:
        return DistributedError(f"node {self.me}: {what} {self._who()} during {op}")

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    # ---- raw bytes ----------------------------------------------------------------
    def _send(self, data, op: str) -> None:
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise self._fail(op, f"timed out after {self.timeout} s sending to") from None
        except OSError as e:
            raise self._fail(op, f"lost the connection ({e.strerror or e}) to") from None
        self.stats.bytesSent += memoryview(data).nbytes

    def _recvInto(self, view: memoryview, op: str) -> None:
        got, n = 0, view.nbytes
        while got < n:
            try:
                k = self.sock.recv_into(view[got:])
            except TimeoutError:
                raise self._fail(op, f"timed out after {self.timeout} s waiting for") from None
            except OSError as e:
                raise self._fail(op, f"lost the connection ({e.strerror or e}) to") from None
            if k == 0:
                raise self._fail(op, "the connection was closed by")
            got += k
        self.stats.bytesReceived += n

    # ---- frames -------------------------------------------------------------------
    def _sendHeader(self, header: dict, op: str) -> None:
        body = json.dumps(header, separators=(",", ":")).encode()
        self._send(_LEN.pack(len(body)) + body, op)
        self.stats.messagesSent += 1

    def _recvHeader(self, op: str) -> dict:
        head = bytearray(4)
        self._recvInto(memoryview(head), op)
        (n,) = _LEN.unpack(head)
        if n > MAX_HEADER:
            raise self._fail(op, f"got a malformed frame (header of {n} bytes) from")
        body = bytearray(n)
        self._recvInto(memoryview(body), op)
        self.stats.messagesReceived += 1
        try:
            header = json.loads(body.decode())
        except (UnicodeDecodeError, ValueError):
            raise self._fail(op, "got a malformed frame (bad JSON header) from") from None
        if not isinstance(header, dict) or len(header) not in (1, 2):
            raise self._fail(op, "got a malformed frame (bad header) from")
        return header

    def sendControl(self, obj: Any, op: str) -> None:
        self._sendHeader({"c": obj}, op)

    def recvControl(self, op: str) -> Any:
        header = self._recvHeader(op)
        if "c" not in header:
            raise self._fail(op, f"expected a control message, got {self._describe(header)} from")
        return header["c"]

    def sendLeaf(self, leaf: Any, op: str) -> None:
        if not isinstance(leaf, Tensor):
            self._sendHeader({"n": plainNumber(leaf)}, op)
            return
        arr = leaf.numpy()
        self._sendHeader({"t": leaf.type(), "s": list(arr.shape) if arr.size else []}, op)
        if arr.size:
            if not arr.flags.c_contiguous:
                arr = np.ascontiguousarray(arr)
            self._send(memoryview(arr.reshape(-1).view(np.uint8)), op)

    def recvLeaf(self, like: Any, temp: TempBuffer, op: str, into: bool = False) -> Any:
        """Receive a leaf shaped like ``like``: a number, or a tensor of ``like``'s type and size.

        A tensor is read into ``temp`` and that view returned, or with ``into`` written into ``like``
        itself (straight into its memory when it is contiguous) and ``like`` returned.
        """
        header = self._recvHeader(op)
        if "n" in header:
            v = header["n"]
            if isinstance(like, Tensor) or not isinstance(v, int | float):
                raise self._fail(op, f"expected {self._local(like)}, got {self._describe(header)} from")
            return v
        if "t" not in header or not isinstance(like, Tensor):
            raise self._fail(op, f"expected {self._local(like)}, got {self._describe(header)} from")
        typename, sizes = header.get("t"), header.get("s")
        if (not isinstance(sizes, list) or not all(type(s) is int and s >= 0 for s in sizes)
                or typename not in HOST_TYPES):
            raise self._fail(op, "got a malformed tensor header from")
        if typename != like.type() or sizes != list(like.size()):
            raise self._fail(op, f"expected {self._local(like)}, got a {typename} of size {_fmtSize(sizes)} from")
        direct = into and like.isContiguous()
        target = like if direct else temp.tensor(type(like), sizes)
        arr = target.numpy()
        if arr.size:
            self._recvInto(memoryview(arr.reshape(-1).view(np.uint8)), op)
        if into and not direct:
            like.copy(target)
            return like
        return target

    @staticmethod
    def _local(like: Any) -> str:
        if isinstance(like, Tensor):
            return f"a {like.type()} of size {_fmtSize(like.size())} (the local value)"
        return "a number (the local value)"

    @staticmethod
    def _describe(header: dict) -> str:
        if "t" in header:
            sizes = header.get("s")
            return f"a {header['t']} of size {_fmtSize(sizes) if isinstance(sizes, list) else '?'}"
        if "n" in header:
            return "a number"
        return "a control message" if "c" in header else "an unknown frame"
