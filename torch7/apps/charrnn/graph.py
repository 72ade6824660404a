"""char-rnn's own training path: the nngraph model cloned ``seq_length`` times, parameters shared."""

from __future__ import annotations

from torch7 import nn

from . import models


class GraphCharModel:
    """char-rnn's model as Lua char-rnn trains it: one nngraph proto and ``seq_length`` clones.

    The clones share the proto's (flattened) parameters and gradients, as ``model_utils.clone_many_times``
    arranges; forward runs the clones one time step each, carrying the states; backward runs them in
    reverse, summing each step's loss gradient into the state gradients.

    Args:
        vocab_size, rnn_size, num_layers, model, dropout: as char-rnn's flags.
        rnn: an existing graph (from a checkpoint) instead of a fresh one.
    """

    def __init__(self, vocab_size: int, rnn_size: int, num_layers: int, model: str = "lstm",
                 dropout: float = 0.0, rnn=None) -> None:
        self.kind, self.V, self.H, self.L = model, vocab_size, rnn_size, num_layers
        self.rnn = rnn if rnn is not None else models.BUILDERS[model](vocab_size, vocab_size, rnn_size, num_layers,
                                                                    dropout)
        self.criterion = nn.ClassNLLCriterion()
        self.clones: list = []
        self._params = None

    def getParameters(self):
        if self._params is None:
            self._params = self.rnn.getParameters()
        return self._params

    def _clones_for(self, T: int) -> None:
        if self._params is None:
            self.getParameters()  # clones must share the flattened storage, so flatten first
        while len(self.clones) < T:
            self.clones.append((self.rnn.clone("weight", "bias", "gradWeight", "gradBias"), self.criterion.clone()))

    def init_weights(self, params) -> None:
        """char-rnn's initialisation: uniform in [-0.08, 0.08], then LSTM forget-gate biases of i2h set to 1."""
        params.uniform(-0.08, 0.08)
        if self.kind == "lstm":
            named = models.named_nodes(self.rnn)
            for L in range(1, self.L + 1):
                named[f"i2h_{L}"].bias.narrow(0, self.H, self.H).fill(1)

    def type(self, typename: str):
        self.rnn.type(typename)
        self.criterion.type(typename)  # the clones copy it: their gradInput lives with the log-probabilities
        self.clones, self._params = [], None
        return self

    def training(self) -> None:
        self._train = True

    def evaluate(self) -> None:
        self._train = False

    def states_per_layer(self) -> int:
        return models.states_per_layer(self.kind)

    def forward(self, x, y, state: list):
        """Mean loss over the steps (char-rnn's ``loss / seq_length``); ``state`` is advanced in place."""
        T = x.size(1)
        self._clones_for(T)
        self._x, self._y = x.t().contiguous(), y.t().contiguous()
        self._inputs, self._preds = [], []
        loss = 0.0
        prev = [s.clone() for s in state]
        for t in range(T):
            rnn_t, crit_t = self.clones[t]
            rnn_t.training() if getattr(self, "_train", True) else rnn_t.evaluate()
            inp = [self._x[t], *prev]
            out = rnn_t.forward(inp)
            self._inputs.append(inp)
            prev = out[:-1]
            self._preds.append(out[-1])
            loss += crit_t.forward(out[-1], self._y[t])
        for s, p in zip(state, prev):
            s.copy(p)
        self._zero_state = [s.clone().zero() for s in state]
        return loss / T

    def backward(self) -> None:
        T = len(self._preds)
        dstate = self._zero_state
        for t in range(T - 1, -1, -1):
            rnn_t, crit_t = self.clones[t]
            dout = crit_t.backward(self._preds[t], self._y[t])
            grads = rnn_t.backward(self._inputs[t], [*dstate, dout])
            dstate = grads[1:]

    def to_graph(self):
        return self.rnn
