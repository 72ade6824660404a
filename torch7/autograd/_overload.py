"""Installing the recording versions of the torch7 functions while ``df`` runs.

While at least one ``df`` call is running, every function of the ``torch7`` namespace is replaced
by a guard: called without Nodes it calls the original function unchanged (nn modules and the
user's own tensor code keep working); called with Nodes it calls the recording version from
gradfuns, answers from the plain values (size queries, comparisons), or raises a TypeError naming
the function when it has no gradient.  The originals are put back when the outermost ``df``
call returns, also when it raises.  Calls nest (a ``df`` inside ``f``, grad of grad) by counting.
"""

from __future__ import annotations

import inspect
import operator

import torch7

from .._core import FUNCTIONS
from ._node import plain
from ._tape import has_node

# name -> recording function (filled by gradfuns); names whose Node arguments are read as plain values.
REGISTRY: dict = {}
STATIC = {"isTensor", "typename", "type", "numel", "equal", "nonzero", "totable", "lt", "le", "gt", "ge", "eq",
          "ne", "all", "any", "isStorage", "isTypeOf"}

_depth = 0
_saved: dict = {}
_guards: dict = {}


def _plain_args(args):
    return tuple(type(a)(plain(e) for e in a) if type(a) in (list, tuple) else plain(a) for a in args)


def _guard(name: str, orig):
    rec = REGISTRY.get(name)
    if rec is not None:
        try:
            sig = inspect.signature(rec)
        except (TypeError, ValueError):
            sig = None
        # what binding could refuse, checked cheaply per call (a full bind cost ~7 us per recorded call);
        # too few arguments are left to rec itself to refuse
        kinds = [p.kind for p in sig.parameters.values()] if sig is not None else []
        nmax = (float("inf") if inspect.Parameter.VAR_POSITIONAL in kinds else
                sum(k in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD) for k in kinds))
        names = (set() if sig is None or inspect.Parameter.VAR_KEYWORD in kinds else
                 {n for n, p in sig.parameters.items() if p.kind != inspect.Parameter.POSITIONAL_ONLY})

        def fn(*args, **kwargs):
            if not has_node(args, kwargs):
                return orig(*args, **kwargs)
            if sig is not None and (len(args) > nmax or not names.issuperset(kwargs)):
                try:
                    sig.bind(*args, **kwargs)
                except TypeError:
                    raise TypeError(f"autograd: torch.{name} is supported on autograd Nodes only in its functional "
                                    f"form {name}{sig} (no result tensor argument)") from None
            return rec(*args, **kwargs)
    elif name in STATIC:
        def fn(*args, **kwargs):
            if has_node(args, kwargs):
                return orig(*_plain_args(args), **{k: plain(v) for k, v in kwargs.items()})
            return orig(*args, **kwargs)
    else:
        def fn(*args, **kwargs):
            if has_node(args, kwargs):
                raise TypeError(f"autograd: torch.{name} has no gradient defined, so it cannot be applied to "
                                f"an autograd.Node (compute it on a plain value, or define it with "
                                f"autograd.primitive)")
            return orig(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = getattr(orig, "__doc__", None)
    fn.__wrapped__ = orig
    return fn


def _guard_map() -> dict:
    """name -> guard for every plain function of the torch7 namespace (built once, rebuilt if it changed)."""
    key = tuple(REGISTRY)
    if _guards.get("__key__") != key:
        _guards.clear()
        _guards["__key__"] = key
        _guards["__map__"] = {name: _guard(name, orig) for name, orig in FUNCTIONS.items()
                              if callable(orig) and not isinstance(orig, type)}
    return _guards["__map__"]


def _lists(guards: dict) -> tuple:
    """(names, originals, guards) as parallel lists, cached with the guard map: the fast paths compare them in C."""
    cached = _guards.get("__lists__")
    if cached is None or cached[0] is not guards:
        names = list(guards)
        cached = (guards, names, [guards[n].__wrapped__ for n in names], [guards[n] for n in names])
        _guards["__lists__"] = cached
    return cached[1:]


def install() -> None:
    """Replace the torch7 functions by their guards (nested calls only count)."""
    global _depth
    _depth += 1
    if _depth > 1:
        return
    ns = vars(torch7)
    guards = _guard_map()
    names, originals, _ = _lists(guards)
    # Only names still bound to the original function are replaced (someone else's patch is left alone);
    # the usual case, nothing patched, is checked and done with C-level map/update (a df call on a tiny
    # function spent half its time here with a Python loop).
    if all(map(operator.is_, map(ns.get, names), originals)):
        _saved.update(zip(names, originals))
        ns.update(guards)
        return
    _saved.update({n: g.__wrapped__ for n, g in guards.items() if ns.get(n) is g.__wrapped__})
    ns.update({n: guards[n] for n in _saved})


def uninstall() -> None:
    """Put the original torch7 functions back when the outermost ``df`` call ends."""
    global _depth
    if _depth == 0:
        return
    _depth -= 1
    if _depth:
        return
    ns = vars(torch7)
    guards = _guards["__map__"]
    names, originals, guard_list = _lists(guards)
    if len(_saved) == len(names) and all(map(operator.is_, map(ns.get, names), guard_list)):
        ns.update(zip(names, originals))
    else:
        ns.update({n: orig for n, orig in _saved.items() if ns.get(n) is guards[n]})
    _saved.clear()


def active() -> bool:
    """Whether the recording versions are installed (some ``df`` is running)."""
    return _depth > 0
