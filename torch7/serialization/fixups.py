"""The last pass of reading a file with reference cycles: placeholders handed out while an object was still
being read are replaced by the finished objects, everywhere they were stored."""

from __future__ import annotations

from .objects import LuaFunction, TableKey, TorchObject


def apply_fixups(root, fixups: dict):
    """Replace placeholder dicts/instances (handed out inside a cycle) by their final objects, everywhere."""
    def sub(v):
        f = fixups.get(id(v))
        return v if f is None or f[0] is not v else f[1]

    root = sub(root)
    seen, stack = set(), [root]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, list):
            for i, v in enumerate(o):
                o[i] = sub(v)
            stack.extend(o)
        elif isinstance(o, dict):
            for k, v in list(o.items()):
                o[k] = sub(v)
                if isinstance(k, TableKey):
                    k.value = sub(k.value)
                    stack.append(k.value)
            stack.extend(o.values())
        elif isinstance(o, TorchObject):
            o.fields = sub(o.fields)
            stack.append(o.fields)
        elif isinstance(o, LuaFunction):
            o.upvalues = sub(o.upvalues)
            stack.append(o.upvalues)
        elif hasattr(o, "__dict__") and not isinstance(o, type):
            d = vars(o)  # a Lua object's fields may have non-string keys: no setattr
            for k, v in list(d.items()):
                d[k] = v = sub(v)
                stack.append(v)
    return root
