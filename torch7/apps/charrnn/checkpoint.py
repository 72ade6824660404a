"""char-rnn checkpoints: the ``.t7`` table layout, and the 1-based vocabulary Lua writes."""

from __future__ import annotations

import torch7 as torch


def vocab_from_lua(table: dict) -> dict[bytes, int]:
    """A Lua char-rnn vocabulary (character -> 1-based index) as {byte: 0-based index}."""
    out = {}
    for k, v in table.items():
        key = k.encode("latin-1") if isinstance(k, str) else bytes(k)
        if len(key) != 1:
            raise ValueError(f"char-rnn vocabulary: key {k!r} is not one character")
        out[key] = int(v) - 1
    return out


def vocab_to_lua(vocab: dict[bytes, int]) -> dict:
    """{byte: 0-based index} as Lua char-rnn stores it: one-character strings -> 1-based numbers."""
    return {(k.decode("ascii") if k[0] < 128 else k): float(i + 1) for k, i in vocab.items()}


def ivocab(vocab: dict[bytes, int]) -> dict[int, bytes]:
    return {i: c for c, i in vocab.items()}


def checkpoint_name(checkpoint_dir: str, savefile: str, epoch: float, val_loss: float) -> str:
    """char-rnn's file name: ``<dir>/lm_<savefile>_epoch<%.2f>_<%.4f>.t7``."""
    return f"{checkpoint_dir}/lm_{savefile}_epoch{epoch:.2f}_{val_loss:.4f}.t7"


def save(path: str, rnn, opt: dict, vocab: dict[bytes, int], train_losses, val_losses: dict, i: int,
         epoch: float, val_loss: float) -> None:
    """Write a checkpoint in char-rnn's layout (atomically: ``torch.save`` writes a temp file, then renames).

    ``train_losses`` is a list indexed by iteration (written as Lua's 1-based array) and ``val_losses``
    maps iteration -> loss, as char-rnn keeps them.
    """
    from torch7 import nn

    table = {
        "protos": {"rnn": rnn, "criterion": nn.ClassNLLCriterion()},
        "opt": dict(opt),
        "train_losses": [float(v) for v in train_losses],
        "val_loss": float(val_loss),
        "val_losses": {float(k): float(v) for k, v in val_losses.items()},
        "i": float(i),
        "epoch": float(epoch),
        "vocab": vocab_to_lua(vocab),
    }
    torch.save(path, table)


def load(path: str) -> dict:
    """Read a char-rnn checkpoint (ours or Lua's); ``vocab`` comes back as {byte: 0-based index}."""
    table = torch.load(path)
    if not isinstance(table, dict) or "protos" not in table or "vocab" not in table:
        raise ValueError(f"{path}: not a char-rnn checkpoint (expected a table with protos and vocab)")
    table["vocab"] = vocab_from_lua(table["vocab"])
    opt = table.get("opt")
    table["opt"] = dict(opt) if isinstance(opt, dict) else {}
    return table
