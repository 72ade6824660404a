"""char-rnn's data loader: one text file -> vocabulary, byte tensor, train/val/test batches."""

from __future__ import annotations

import gzip
import os

import numpy as np

import torch7 as torch

from . import checkpoint as ckpt


def read_text(path: str) -> bytes:
    """The bytes of ``path`` (a ``.gz`` file is decompressed)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()


def build_vocab(text: bytes) -> dict[bytes, int]:
    """char-rnn's vocabulary: every distinct byte, sorted, mapped to 0-based indices."""
    return {bytes([b]): i for i, b in enumerate(sorted(set(text)))}


def find_input(data_dir: str) -> str:
    """The text file of a char-rnn data directory: ``input.txt`` (or ``input.txt.gz``)."""
    for name in ("input.txt", "input.txt.gz"):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"CharSplitLMMinibatchLoader: no input.txt in data directory {data_dir!r}")


class CharSplitLMMinibatchLoader:
    """Batches of (input, target) byte indices from a text file, split into train/val/test.

    As karpathy/char-rnn's loader: the text is cut to a multiple of ``batch_size * seq_length``, the
    targets are the inputs shifted by one (wrapping around), the data is laid out as ``batch_size``
    parallel streams, and consecutive batches continue each stream, so a recurrent state can be carried
    from one batch to the next. Like char-rnn it caches ``vocab.t7`` and ``data.t7`` next to the text
    (1-based indices, so Lua char-rnn reads them), when the directory is writable.

    Args:
        data_dir: directory with ``input.txt``; or the path of a text file itself.
        batch_size: number of parallel streams.
        seq_length: time steps per batch.
        split_fractions: (train, val, test) fractions of the batches.

    Example:
        >>> import os, tempfile
        >>> d = tempfile.mkdtemp(); _ = open(os.path.join(d, "input.txt"), "w").write("abcab" * 40)
        >>> loader = CharSplitLMMinibatchLoader(d, 2, 5, (0.8, 0.2, 0.0))
        >>> loader.vocab_size, loader.ntrain, loader.nval
        (3, 16, 4)
        >>> x, y = loader.next_batch(0)
        >>> x.size(), int(x[0][1]) == int(y[0][0])
        (torch.Size([2, 5]), True)
    """

    def __init__(self, data_dir: str, batch_size: int, seq_length: int, split_fractions=(0.95, 0.05, 0.0)) -> None:
        train_frac, val_frac, test_frac = split_fractions
        for name, f in zip(("train", "val", "test"), split_fractions):
            if not 0 <= f <= 1:
                raise ValueError(f"CharSplitLMMinibatchLoader: bad split fraction {f} for {name}, not between 0 and 1")
        self.batch_size, self.seq_length = batch_size, seq_length
        self.vocab, data = self._load(data_dir)
        self.vocab_size = len(self.vocab)
        step = batch_size * seq_length
        n = (len(data) // step) * step
        if n == 0:
            raise ValueError(f"CharSplitLMMinibatchLoader: {len(data)} characters are fewer than "
                             f"batch_size * seq_length = {step}; use a smaller batch_size or seq_length")
        x = data[:n]
        y = np.empty_like(x)
        y[:-1], y[-1] = x[1:], x[0]
        nb = n // step
        # (nbatches, batch_size, seq_length): stream b of batch k continues stream b of batch k-1
        self._x = np.ascontiguousarray(x.reshape(batch_size, nb, seq_length).transpose(1, 0, 2))
        self._y = np.ascontiguousarray(y.reshape(batch_size, nb, seq_length).transpose(1, 0, 2))
        self.nbatches = nb
        self.ntrain = int(nb * train_frac)
        if test_frac == 0:
            self.nval, self.ntest = nb - self.ntrain, 0
        else:
            self.nval = int(nb * val_frac)
            self.ntest = nb - self.ntrain - self.nval
        self.split_sizes = [self.ntrain, self.nval, self.ntest]
        self.batch_ix = [0, 0, 0]
        self.warning = None
        if nb < 50:
            self.warning = (f"WARNING: less than 50 batches in the data in total ({nb})? Looks like very small "
                            "dataset. You probably want to use smaller batch_size and/or seq_length.")

    def _load(self, data_dir: str):
        if os.path.isfile(data_dir):
            text = read_text(data_dir)
            vocab = build_vocab(text)
            return vocab, _encode(text, vocab)
        src = find_input(data_dir)
        vfile, dfile = os.path.join(data_dir, "vocab.t7"), os.path.join(data_dir, "data.t7")
        fresh = all(os.path.exists(p) and os.path.getmtime(p) >= os.path.getmtime(src) for p in (vfile, dfile))
        if fresh:
            vocab = ckpt.vocab_from_lua(torch.load(vfile))
            return vocab, torch.load(dfile).numpy().astype(np.int64) - 1
        text = read_text(src)
        vocab = build_vocab(text)
        data = _encode(text, vocab)
        if os.access(data_dir, os.W_OK):
            torch.save(vfile, ckpt.vocab_to_lua(vocab))
            torch.save(dfile, torch.from_numpy((data + 1).astype(np.uint8)) if len(vocab) < 256
                       else torch.from_numpy(data + 1))
        return vocab, data

    def reset_batch_pointer(self, split_index: int, batch_index: int = 0) -> None:
        self.batch_ix[split_index] = batch_index

    def next_batch(self, split_index: int):
        """The next ``(x, y)`` of split 0 (train), 1 (val) or 2 (test), as ``batch_size x seq_length`` LongTensors."""
        if self.split_sizes[split_index] == 0:
            name = ("train", "val", "test")[split_index]
            raise ValueError(f"CharSplitLMMinibatchLoader: the {name} split is empty (check train_frac/val_frac)")
        ix = self.batch_ix[split_index]
        self.batch_ix[split_index] = (ix + 1) % self.split_sizes[split_index]
        ix += sum(self.split_sizes[:split_index])
        return torch.from_numpy(self._x[ix].copy()), torch.from_numpy(self._y[ix].copy())


def _encode(text: bytes, vocab: dict[bytes, int]) -> np.ndarray:
    table = np.full(256, -1, dtype=np.int64)
    for ch, i in vocab.items():
        table[ch[0]] = i
    data = table[np.frombuffer(text, dtype=np.uint8)]
    if data.size and data.min() < 0:
        raise ValueError("CharSplitLMMinibatchLoader: the text has characters outside the vocabulary")
    return data
