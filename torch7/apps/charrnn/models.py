"""char-rnn's three models built with nngraph, node for node as ``model/LSTM.lua``, ``GRU.lua``, ``RNN.lua``.

Every graph takes ``[x, state_1, ..., state_k]`` and returns ``[next_state_1, ..., next_state_k, logprobs]``:
the LSTM has two states per layer (c then h), the GRU and the RNN one (h). ``x`` is a vector of 0-based
character indices (one per sequence of the batch).
"""

from __future__ import annotations

from torch7 import nn
from torch7.nn.OneHot import CharRNNOneHot


def _sum_of_linears(insize: int, x, rnn_size: int, prev_h, n: int, L: int):
    i2h = nn.Linear(insize, n * rnn_size)(x).annotate(name=f"i2h_{L}")
    h2h = nn.Linear(rnn_size, n * rnn_size)(prev_h).annotate(name=f"h2h_{L}")
    return nn.CAddTable()([i2h, h2h])


def _build(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float, k: int, cell):
    """char-rnn's common frame: inputs ``[x, k states per layer...]``, layer L's input is the one-hot x (L=1) or
    the previous layer's h (after dropout), ``cell(x, insize, states, L)`` returns the layer's new states (h last),
    and the decoder reads the top h."""
    inputs = [nn.Identity()() for _ in range(1 + k * n)]
    outputs = []
    for L in range(1, n + 1):
        if L == 1:
            x, insize = CharRNNOneHot(input_size)(inputs[0]), input_size
        else:
            x, insize = outputs[-1], rnn_size
            if dropout > 0:
                x = nn.Dropout(dropout)(x)
        outputs += cell(x, insize, inputs[1 + k * (L - 1):1 + k * L], L)
    top_h = outputs[-1]
    if dropout > 0:
        top_h = nn.Dropout(dropout)(top_h)
    proj = nn.Linear(rnn_size, output_size)(top_h).annotate(name="decoder")
    outputs.append(nn.LogSoftMax()(proj))
    return nn.gModule(inputs, outputs)


def lstm(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float = 0.0):
    """char-rnn's LSTM graph: gates input, forget, output (sigmoid) and transform (tanh), in that order."""

    def cell(x, insize, states, L):
        prev_c, prev_h = states
        all_sums = _sum_of_linears(insize, x, rnn_size, prev_h, 4, L)
        reshaped = nn.Reshape(4, rnn_size)(all_sums)
        n1, n2, n3, n4 = nn.SplitTable(1)(reshaped).split(4)  # 0-based dim 1 = Lua's dim 2
        in_gate, forget_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2)
        out_gate, in_transform = nn.Sigmoid()(n3), nn.Tanh()(n4)
        next_c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, in_transform])])
        return [next_c, nn.CMulTable()([out_gate, nn.Tanh()(next_c)])]

    return _build(input_size, output_size, rnn_size, n, dropout, 2, cell)


def gru(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float = 0.0):
    """char-rnn's GRU graph: the reset gate multiplies h before its projection (Cho et al.'s form)."""

    def cell(x, insize, states, L):
        (prev_h,) = states
        update_gate = nn.Sigmoid()(_sum_of_linears(insize, x, rnn_size, prev_h, 1, L))
        reset_gate = nn.Sigmoid()(_sum_of_linears(insize, x, rnn_size, prev_h, 1, L))
        gated_hidden = nn.CMulTable()([reset_gate, prev_h])
        p2 = nn.Linear(rnn_size, rnn_size)(gated_hidden)
        p1 = nn.Linear(insize, rnn_size)(x)
        candidate = nn.Tanh()(nn.CAddTable()([p1, p2]))
        zh = nn.CMulTable()([update_gate, candidate])
        one_minus_z = nn.AddConstant(1, False)(nn.MulConstant(-1, False)(update_gate))
        return [nn.CAddTable()([zh, nn.CMulTable()([one_minus_z, prev_h])])]

    return _build(input_size, output_size, rnn_size, n, dropout, 1, cell)


def rnn(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float = 0.0):
    """char-rnn's vanilla RNN graph: ``h = tanh(i2h(x) + h2h(prev_h))``."""

    def cell(x, insize, states, L):
        return [nn.Tanh()(_sum_of_linears(insize, x, rnn_size, states[0], 1, L))]

    return _build(input_size, output_size, rnn_size, n, dropout, 1, cell)


BUILDERS = {"lstm": lstm, "gru": gru, "rnn": rnn}


def states_per_layer(model: str) -> int:
    return 2 if model == "lstm" else 1


def named_nodes(gmodule) -> dict:
    """{annotation name: module} for the annotated nodes of a char-rnn graph (i2h_L, h2h_L, decoder)."""
    out = {}
    for node in gmodule.forwardnodes:
        name = node.data.get("annotations", {}).get("name")
        if name and node.data.get("module") is not None:
            out[name] = node.data["module"]
    return out
