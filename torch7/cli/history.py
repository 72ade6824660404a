"""The REPL history file, in readline's plain format: one line per entry, written at once.

trepl kept GNU readline's history in ``$TREPL_HISTORY`` (or ``~/.luahistory``) and appended every
line as soon as it was entered.  torch7 does the same in ``$TREPL_HISTORY`` or ``~/.torch7_history``,
so that both REPLs (IPython and the plain console, which uses readline) share one file.  A
multi-line command is written as its lines, as readline would have stored them.
"""

from __future__ import annotations

from collections.abc import Iterable

from prompt_toolkit.history import History

from .histfile import append_entry, read_entries


class TreplHistory(History):
    """prompt_toolkit history stored in a plain, readline-compatible file.

    Args:
        path: the history file (created on the first entry).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), 'hist')
        >>> h = TreplHistory(path)
        >>> h.store_string('x = 1')
        >>> h.store_string('for i in range(2):\\n    print(i)')
        >>> list(TreplHistory(path).load_history_strings())
        ['    print(i)', 'for i in range(2):', 'x = 1']
    """

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def load_history_strings(self) -> Iterable[str]:
        """The entries, newest first (as prompt_toolkit wants them)."""
        return reversed(read_entries(self.path))

    def store_string(self, string: str) -> None:
        """Appends an entry to the file at once; a file that cannot be written is skipped."""
        try:
            append_entry(self.path, string)
        except OSError:
            pass
