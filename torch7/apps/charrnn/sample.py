"""Sample text from a char-rnn checkpoint, as karpathy/char-rnn's ``sample.lua``.

``charrnn-sample CHECKPOINT.t7 [-length 2000] [-temperature 1] [-primetext ...] [-sample 1] [-seed 123]``
reads checkpoints written by Lua char-rnn (GPU ones included: CUDA tensors load as CPU tensors) and by
``charrnn-train``.
"""

from __future__ import annotations

import sys

import torch7 as torch
from torch7._core.backend import CudaUnavailableError

from . import checkpoint as ckpt
from .models import states_per_layer


def make_cmd():
    cmd = torch.CmdLine()
    cmd.text()
    cmd.text("Sample from a character-level language model")
    cmd.text()
    cmd.text("Options")
    cmd.argument("-model", "model checkpoint to use for sampling")
    cmd.option("-seed", 123, "random number generator's seed")
    cmd.option("-sample", 1, " 0 to use max at each timestep, 1 to sample at each timestep")
    cmd.option("-primetext", "", "used as a prompt to \"seed\" the state of the LSTM using a given sequence, "
               "before we sample.")
    cmd.option("-length", 2000, "number of characters to sample")
    cmd.option("-temperature", 1.0, "temperature of sampling")
    cmd.option("-gpuid", -1, "which gpu to use. -1 = use CPU")
    cmd.option("-opencl", 0, "use OpenCL (instead of CUDA)")
    cmd.option("-verbose", 1, "set to 0 to ONLY print the sampled text, no diagnostics")
    cmd.text()
    return cmd


class Sampler:
    """A loaded checkpoint and its recurrent state, ready to feed and sample characters.

    Args:
        checkpoint: a path, or a table from :func:`checkpoint.load`.
    """

    def __init__(self, checkpoint, typename: str | None = None) -> None:
        cp = ckpt.load(checkpoint) if isinstance(checkpoint, str) else checkpoint
        self.rnn = cp["protos"]["rnn"]
        if typename is not None:  # -gpuid: the network runs as CudaTensor
            self.rnn.type(typename)
        self.rnn.evaluate()
        self.opt = cp["opt"]
        self.vocab = cp["vocab"]
        self.ivocab = ckpt.ivocab(self.vocab)
        params, _ = self.rnn.parameters()
        self.typename = params[0].type() if params else "torch.DoubleTensor"
        n = int(self.opt.get("num_layers", 2)) * states_per_layer(str(self.opt.get("model", "lstm")))
        rnn_size = int(self.opt.get("rnn_size", 128))
        self.state = [torch.zeros(1, rnn_size).type(self.typename) for _ in range(n)]
        self.prediction = torch.Tensor(1, len(self.ivocab)).type(self.typename).fill(1.0 / len(self.ivocab))

    def feed(self, index: int) -> None:
        """Advance the state by one character (a 0-based vocabulary index)."""
        lst = self.rnn.forward([torch.Tensor([index]).type(self.typename), *self.state])
        self.state = [t.clone() for t in lst[:-1]]
        self.prediction = lst[-1]

    def prime(self, text: bytes) -> None:
        for b in text:
            key = bytes([b])
            if key not in self.vocab:
                raise ValueError(f"charrnn-sample: primetext character {key!r} is not in the model's vocabulary")
            self.feed(self.vocab[key])

    def next_index(self, sample: bool = True, temperature: float = 1.0) -> int:
        pred = self.prediction.double().view(-1)
        if not sample:
            return int(pred.numpy().argmax())
        if temperature <= 0:
            raise ValueError(f"charrnn-sample: temperature must be positive, got {temperature}")
        probs = torch.exp(pred / temperature)
        probs.div(probs.sum())
        return int(torch.multinomial(probs, 1)[0])

    def generate(self, length: int, sample: bool = True, temperature: float = 1.0) -> bytes:
        out = bytearray()
        for _ in range(length):
            i = self.next_index(sample, temperature)
            out += self.ivocab[i]
            self.feed(i)
        return bytes(out)


def sample_text(checkpoint, length: int = 2000, primetext: str | bytes = "", temperature: float = 1.0,
                sample: bool = True, seed: int = 123) -> bytes:
    """The primetext followed by ``length`` sampled characters, as bytes."""
    torch.manualSeed(seed)
    s = Sampler(checkpoint)
    prime = primetext.encode() if isinstance(primetext, str) else primetext
    s.prime(prime)
    return prime + s.generate(length, sample, temperature)


def main(argv: list[str] | None = None) -> int:
    opt = make_cmd().parse(sys.argv[1:] if argv is None else argv)
    torch.manualSeed(int(opt.seed))

    def gprint(*a):
        if opt.verbose == 1:
            print(*a)

    typename = None
    if opt.gpuid >= 0 and not opt.opencl:
        try:
            torch.cutorch.setDevice(int(opt.gpuid))
            torch.cutorch.manualSeed(int(opt.seed))
            typename = "torch.CudaTensor"
        except (CudaUnavailableError, IndexError) as e:  # char-rnn also falls back when cunn is missing
            gprint(f"charrnn-sample: {e}; falling back on CPU mode")
    s = Sampler(opt.model, typename)
    out = sys.stdout.buffer
    prime = opt.primetext.encode()
    if prime:
        gprint("seeding with " + opt.primetext)
        gprint("--------------------------")
        s.prime(prime)
        out.write(prime)
    else:
        gprint("missing seed text, using uniform probability over first character")
        gprint("--------------------------")
    for _ in range(int(opt.length)):
        i = s.next_index(bool(opt.sample), float(opt.temperature))
        out.write(s.ivocab[i])
        s.feed(i)
    out.write(b"\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
