"""Reading and appending the plain-text history file shared by both REPLs (no prompt_toolkit needed)."""

from __future__ import annotations

import os


def read_entries(path: str) -> list[str]:
    """The non-empty lines of a history file, oldest first ([] when it does not exist).

    Example:
        >>> read_entries('/nonexistent/history')
        []
    """
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in f if line.strip()]
    except OSError:
        return []


def append_entry(path: str, entry: str) -> None:
    """Appends an entry (its non-empty lines) to the history file, creating it (mode 0600)."""
    lines = [line for line in entry.split("\n") if line.strip()]
    if not lines:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
