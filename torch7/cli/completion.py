"""Tab completion for the plain console: Python names and attributes, and file paths inside quotes.

trepl completed Lua names and fell back to readline's file-name completion; here names and
attributes come from :mod:`rlcompleter` and, when the cursor is inside a string, from the disk.
"""

from __future__ import annotations

import glob
import os
import rlcompleter
from typing import Any


def inside_string(text_before: str) -> bool:
    """Whether a line that starts with ``text_before`` is inside an open quote.

    Example:
        >>> inside_string("open('da"), inside_string("f('a') + b"), inside_string('x = "it\\'s')
        (True, False, True)
    """
    quote = None
    escaped = False
    for ch in text_before:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif quote is None and ch in "'\"":
            quote = ch
        elif ch == quote:
            quote = None
    return quote is not None


def path_matches(text: str) -> list[str]:
    """File names starting with ``text`` (``~`` kept as typed); folders end with ``/``.

    Example:
        >>> import os, tempfile
        >>> d = tempfile.mkdtemp()
        >>> open(os.path.join(d, 'data.txt'), 'w').close()
        >>> os.mkdir(os.path.join(d, 'dir'))
        >>> [m[len(d) + 1:] for m in path_matches(os.path.join(d, 'd'))]
        ['data.txt', 'dir/']
    """
    expanded = os.path.expanduser(text)
    out = []
    for match in sorted(glob.glob(glob.escape(expanded) + "*")):
        shown = text + match[len(expanded):]
        out.append(shown + "/" if os.path.isdir(match) else shown)
    return out


class ConsoleCompleter:
    """readline completer function (``complete(text, state)``) for the console.

    Args:
        namespace: the REPL namespace (names and attributes are looked up there).
        readline: the ``readline`` module (for the line being edited), or None.

    Example:
        >>> c = ConsoleCompleter({'torch_like': 1}, None)
        >>> c.complete('torch_l', 0), c.complete('torch_l', 1)
        ('torch_like', None)
    """

    def __init__(self, namespace: dict, readline: Any) -> None:
        self._names = rlcompleter.Completer(namespace)
        self._readline = readline
        self._matches: list[str] = []

    def _line_before(self) -> str:
        if self._readline is None:
            return ""
        return self._readline.get_line_buffer()[: self._readline.get_begidx()]

    def matches(self, text: str) -> list[str]:
        """All completions of ``text`` at the current cursor position."""
        if inside_string(self._line_before()):
            return path_matches(text)
        out = []
        state = 0
        while (m := self._names.complete(text, state)) is not None:
            out.append(m)
            state += 1
        return out

    def complete(self, text: str, state: int) -> str | None:
        """The ``state``-th completion of ``text`` (readline's protocol)."""
        if state == 0:
            try:
                self._matches = self.matches(text)
            except Exception:  # a completer must never raise into readline
                self._matches = []
        return self._matches[state] if state < len(self._matches) else None
