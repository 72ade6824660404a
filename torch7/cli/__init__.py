"""The ``th`` command: script runner and interactive REPL (Lua trepl re-created on IPython).

``th`` alone opens the REPL, ``th script.py args...`` runs a script, ``th -e CODE`` runs a statement,
``th -m module`` runs a module as ``python -m`` does.  See :mod:`torch7.cli.th` for the flags.

Nothing is imported here, so that ``th -e ...`` starts quickly: the REPL modules load IPython only
when the REPL opens.
"""
