"""``launch``: run a function on N local processes, each with its node of a ``LocalhostTree``."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from typing import Any

from .DistributedError import DistributedError
from .LocalhostTree import LocalhostTree
from .Tree import DEFAULT_TIMEOUT

GRACE = 5.0  # seconds the others get to finish after one node failed (they normally fail at once)


def _pack(e: BaseException) -> tuple:
    try:
        blob = pickle.dumps(e)
    except Exception:
        blob = None
    return blob, type(e).__name__, str(e), "".join(traceback.format_exception(e))


def _worker(fn: Callable, nodeIndex: int, numNodes: int, base: int, rendezvous: str, timeout: float | None,
            conn, args: tuple) -> None:
    try:
        with LocalhostTree(nodeIndex, numNodes, base, rendezvous=rendezvous, timeout=timeout) as tree:
            result = fn(tree, *args)
        try:
            conn.send(("ok", result))
        except Exception as e:  # the return value does not pickle
            err = TypeError(f"launch: node {nodeIndex} returned a value that cannot be sent back: {e}")
            conn.send(("error", _pack(err)))
    except BaseException as e:
        conn.send(("error", _pack(e)))
    finally:
        conn.close()


def _rebuild(nodeIndex: int, numNodes: int, payload: tuple) -> BaseException:
    blob, typename, message, tb = payload
    exc = None
    if blob is not None:
        try:
            exc = pickle.loads(blob)  # our own children's exceptions, over our own pipe
        except Exception:
            exc = None
    if not isinstance(exc, BaseException):
        exc = DistributedError(f"node {nodeIndex} raised {typename}: {message}")
    exc.nodeIndex = nodeIndex
    exc.add_note(f"raised on node {nodeIndex} of {numNodes} (torch7.distributed.launch); its traceback:\n{tb}")
    return exc


def launch(fn: Callable[..., Any], numNodes: int, *args: Any, base: int = 2,
           timeout: float | None = DEFAULT_TIMEOUT, startMethod: str = "spawn") -> list:
    """Run ``fn(tree, *args)`` on ``numNodes`` new local processes; returns their results by node.

    Each process builds its node of a ``LocalhostTree`` (rendezvous through a file in a fresh
    temporary directory), calls ``fn`` and closes the tree. ``fn``, ``args`` and the results cross the
    process boundary by pickling, so ``fn`` must be a module-level function (with the "spawn" start
    method a script must guard its entry point with ``if __name__ == "__main__":``). When a node
    raises, the other nodes get a few seconds to finish (their tree operations fail at once since the
    failed node's connections close), the rest are terminated, and the first error that is not a
    ``DistributedError`` (the cause, not its echo), else the first error, is raised again here: its
    type is kept when it unpickles, it gets a ``nodeIndex`` attribute and a note with the node's index
    and traceback. A process that dies without a result raises ``DistributedError``.

    Args:
        fn: called as ``fn(tree, *args)`` in every process.
        numNodes: the number of processes.
        *args: passed on to ``fn``.
        base: the tree's branching factor.
        timeout: the tree's time limit for each socket operation and its construction.
        startMethod: the ``multiprocessing`` start method, "spawn" (default) or "forkserver".

    Returns:
        ``[fn's result on node 0, on node 1, ...]``.

    Example (not run here: it starts processes)::

        from torch7 import distributed

        def work(tree, scale):
            return tree.allReduce(scale * (tree.nodeIndex + 1))[0]

        if __name__ == "__main__":
            print(distributed.launch(work, 3, 10))   # [60, 60, 60]
    """
    if not isinstance(numNodes, int) or numNodes < 1:
        raise ValueError(f"launch: numNodes must be a positive int, got {numNodes!r}")
    ctx = multiprocessing.get_context(startMethod)
    tmpdir = tempfile.mkdtemp(prefix="torch7-launch-")
    rendezvous = os.path.join(tmpdir, "root.json")
    procs, readers = [], []
    results: list[Any] = [None] * numNodes
    errors: list[tuple[int, BaseException]] = []
    deaths: list[DistributedError] = []
    try:
        for i in range(numNodes):
            r, w = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_worker, args=(fn, i, numNodes, base, rendezvous, timeout, w, args),
                            name=f"torch7-node-{i}", daemon=True)
            p.start()
            w.close()
            procs.append(p)
            readers.append(r)
        pending, closed = set(range(numNodes)), set()
        giveUp = None
        while pending:
            waitFor = {procs[i].sentinel: i for i in pending}
            waitFor.update({readers[i]: i for i in pending - closed})
            left = None if giveUp is None else max(0.0, giveUp - time.monotonic())
            ready = multiprocessing.connection.wait(list(waitFor), timeout=left)
            if not ready:
                break  # the grace period after a failure is over
            for obj in ready:
                i = waitFor[obj]
                if i not in pending:
                    continue
                msg = None
                if i not in closed:
                    try:
                        msg = readers[i].recv() if obj is readers[i] or readers[i].poll() else None
                    except (EOFError, OSError):  # closed without a message: wait for the exit code
                        closed.add(i)
                if msg is None:
                    if obj is readers[i]:
                        continue
                    procs[i].join(GRACE)  # reap it, for its exit code
                    died = DistributedError(f"launch: node {i} exited with code {procs[i].exitcode} without a result")
                    died.nodeIndex = i
                    deaths.append(died)
                pending.discard(i)
                if msg is not None and msg[0] == "ok":
                    results[i] = msg[1]
                else:
                    errors.append((i, died if msg is None else _rebuild(i, numNodes, msg[1])))
                    if giveUp is None:
                        giveUp = time.monotonic() + (GRACE if timeout is None else min(GRACE, timeout))
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join()
        for r in readers:
            r.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    if errors:
        # the cause, not its echoes: an error of fn's own, else a node that died, else the first to arrive
        causes = [e for _, e in errors if not isinstance(e, DistributedError)] + deaths
        cause = causes[0] if causes else errors[0][1]
        raise cause
    return results
