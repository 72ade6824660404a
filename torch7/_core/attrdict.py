"""AttrDict: a Lua table with string keys, read as ``t.key`` or ``t['key']``.

Returned by ``torch.CmdLine.parse`` and ``torch.Timer.time``.  It is a ``dict`` subclass, so
``torch.save`` writes it as an ordinary Lua table (it loads back as a plain ``dict``), and
``pickle``/``copy.deepcopy`` work on it.
"""

from __future__ import annotations


class AttrDict(dict):
    """A dict whose keys can also be read and written as attributes, as Lua's ``t.k`` reads ``t['k']``.

    Keys that are names of dict methods (``items``, ``keys``, ``copy``, ``get``, ``update``, ...)
    return the method when read as attributes; read those with ``t['items']``.

    Args:
        *args, **kwargs: as for ``dict``.

    Example:
        >>> t = AttrDict(rnn_size=128)
        >>> t.rnn_size, t['rnn_size']
        (128, 128)
        >>> t.seed = 123
        >>> t
        {'rnn_size': 128, 'seed': 123}
    """

    __slots__ = ()

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails, so dict methods and dunders keep working.
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"AttrDict has no field '{name}' (fields: {', '.join(map(str, self))})") from None

    def __setattr__(self, name: str, value) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(f"AttrDict has no field '{name}'") from None

    def __dir__(self):
        fields = {k for k in self if isinstance(k, str) and k.isidentifier()}
        return sorted(set(super().__dir__()) | fields)
