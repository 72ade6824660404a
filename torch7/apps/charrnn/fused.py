"""char-rnn's model on whole sequences with the fused nn.LSTM / nn.RNN (torch-rnn's approach).

The network is the same function as char-rnn's nngraph model run over ``seq_length`` clones: one-hot
input, ``num_layers`` recurrent layers with dropout between them, a decoder Linear and LogSoftMax; the
weights convert exactly to and from char-rnn's graph (``to_graph``/``from_graph``), so checkpoints keep
char-rnn's layout.
"""

from __future__ import annotations

import torch7 as torch
from torch7 import nn
from torch7.nn.OneHot import CharRNNOneHot

from . import models


class FusedCharModel:
    """char-rnn's LSTM or RNN language model over whole ``(N, T)`` batches.

    Args:
        vocab_size: number of characters.
        rnn_size: hidden units per layer.
        num_layers: stacked recurrent layers.
        model: ``'lstm'`` or ``'rnn'`` (char-rnn's GRU applies the reset gate before its projection,
            a different cell from the fused nn.GRU, so it trains through the graph).
        dropout: dropout between layers and before the decoder.
    """

    def __init__(self, vocab_size: int, rnn_size: int, num_layers: int, model: str = "lstm",
                 dropout: float = 0.0) -> None:
        if model not in ("lstm", "rnn"):
            raise ValueError(f"FusedCharModel: model {model!r} has no fused form (use lstm or rnn)")
        self.kind, self.V, self.H, self.L, self.dropout = model, vocab_size, rnn_size, num_layers, dropout
        cell = nn.LSTM if model == "lstm" else nn.RNN
        self.onehot = CharRNNOneHot(vocab_size)
        self.layers = [cell(vocab_size if L == 0 else rnn_size, rnn_size) for L in range(num_layers)]
        self.layers[0].gradInput = None  # Torch7's `gradInput = nil`: the one-hot input needs no gradient
        self.drops = [nn.Dropout(dropout) for _ in range(num_layers)] if dropout > 0 else []
        self.decoder = nn.Linear(rnn_size, vocab_size)
        self.lsm = nn.LogSoftMax()
        self.criterion = nn.ClassNLLCriterion()
        self.container = nn.Sequential()
        for m in [*self.layers, self.decoder]:
            self.container.add(m)
        self._inputs = [None] * num_layers

    # ---- parameters ----------------------------------------------------------------------
    def getParameters(self):
        return self.container.getParameters()

    def init_weights(self, params) -> None:
        """char-rnn's initialisation: every parameter uniform in [-0.08, 0.08], LSTM forget-gate biases 1."""
        params.uniform(-0.08, 0.08)
        if self.kind == "lstm":
            for lstm in self.layers:
                lstm.bias.narrow(0, self.H, self.H).fill(1)

    def type(self, typename: str):
        self.container.type(typename)
        self.onehot.type(typename)
        self.lsm.type(typename)
        self.criterion.type(typename)  # its gradInput buffer lives with the log-probabilities
        return self

    def training(self) -> None:
        for m in [*self.drops, *self.layers]:
            m.training()

    def evaluate(self) -> None:
        for m in [*self.drops, *self.layers]:
            m.evaluate()

    def states_per_layer(self) -> int:
        return models.states_per_layer(self.kind)

    # ---- forward / backward ----------------------------------------------------------------
    def forward(self, x, y, state: list):
        """Mean loss over the batch; ``state`` (char-rnn's order: c1, h1, c2, h2, ... or h1, h2, ...) is
        replaced in place by the states after the last step."""
        N, T = x.size(0), x.size(1)
        self._N, self._T = N, T
        h = self.onehot.forward(x)
        k = self.states_per_layer()
        # the layers read their initial states again in backward, and ``state`` is overwritten below
        if getattr(self, "_init", None) is None or len(self._init) != len(state):
            self._init = [s.clone() for s in state]
        for buf, s in zip(self._init, state):
            buf.resizeAs(s).copy(s)
        for L, layer in enumerate(self.layers):
            if L > 0 and self.drops:
                h = self.drops[L - 1].forward(h)
            inp = [*self._init[k * L:k * L + k], h]
            self._inputs[L] = inp
            h = layer.forward(inp)
        if self.drops:
            h = self.drops[-1].forward(h)
        self._top = h.view(N * T, self.H)
        logits = self.decoder.forward(self._top)
        lp = self.lsm.forward(logits)
        self._target = y.view(N * T)
        loss = self.criterion.forward(lp, self._target)
        for L, layer in enumerate(self.layers):
            out_T = layer.output.select(1, T - 1)
            if k == 2:
                state[2 * L].copy(layer.cell.select(1, T - 1))
                state[2 * L + 1].copy(out_T)
            else:
                state[L].copy(out_T)
        return loss

    def backward(self) -> None:
        """Accumulate gradients of char-rnn's objective (the per-step losses summed, each a batch mean)."""
        N, T = self._N, self._T
        dlp = self.criterion.backward(self.lsm.output, self._target).mul(T)
        dlogits = self.lsm.backward(self.decoder.output, dlp)
        dh = self.decoder.backward(self._top, dlogits).view(N, T, self.H)
        for L in range(self.L - 1, -1, -1):
            if self.drops:  # dropout L sits after layer L
                dh = self.drops[L].backward(self.layers[L].output, dh)
            grads = self.layers[L].backward(self._inputs[L], dh)
            if L:
                dh = grads[-1]

    # ---- conversion to and from char-rnn's graph --------------------------------------------
    def to_graph(self):
        """char-rnn's nngraph model holding a copy of these weights (i2h gets the bias, h2h a zero bias)."""
        g = models.BUILDERS[self.kind](self.V, self.V, self.H, self.L, self.dropout)
        g.type(self.decoder.weight.type())
        named = models.named_nodes(g)
        for L, layer in enumerate(self.layers, start=1):
            D = layer.weight.size(0) - self.H
            named[f"i2h_{L}"].weight.copy(layer.weight.narrow(0, 0, D).t())
            named[f"i2h_{L}"].bias.copy(layer.bias)
            named[f"h2h_{L}"].weight.copy(layer.weight.narrow(0, D, self.H).t())
            named[f"h2h_{L}"].bias.zero()
        named["decoder"].weight.copy(self.decoder.weight)
        named["decoder"].bias.copy(self.decoder.bias)
        return g

    def from_graph(self, g) -> None:
        """Load the weights of a char-rnn graph (ours or Lua's) into this model."""
        named = models.named_nodes(g)
        for L, layer in enumerate(self.layers, start=1):
            D = layer.weight.size(0) - self.H
            i2h, h2h = named[f"i2h_{L}"], named[f"h2h_{L}"]
            layer.weight.narrow(0, 0, D).copy(i2h.weight.t())
            layer.weight.narrow(0, D, self.H).copy(h2h.weight.t())
            layer.bias.copy(i2h.bias).add(h2h.bias.type(layer.bias.type()))
        self.decoder.weight.copy(named["decoder"].weight)
        self.decoder.bias.copy(named["decoder"].bias)


def zero_state(n_states: int, batch_size: int, rnn_size: int, typename: str = "torch.DoubleTensor") -> list:
    return [torch.Tensor(batch_size, rnn_size).type(typename).zero() for _ in range(n_states)]
