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


def _layer_input(L: int, inputs, outputs, input_size: int, dropout: float):
    if L == 1:
        return CharRNNOneHot(input_size)(inputs[0]), input_size
    x = outputs[-1]
    if dropout > 0:
        x = nn.Dropout(dropout)(x)
    return x, None


def _decoder(top_h, rnn_size: int, output_size: int, dropout: float):
    if dropout > 0:
        top_h = nn.Dropout(dropout)(top_h)
    proj = nn.Linear(rnn_size, output_size)(top_h).annotate(name="decoder")
    return nn.LogSoftMax()(proj)


def lstm(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float = 0.0):
    """char-rnn's LSTM graph: gates input, forget, output (sigmoid) and transform (tanh), in that order."""
    inputs = [nn.Identity()() for _ in range(1 + 2 * n)]
    outputs = []
    for L in range(1, n + 1):
        prev_c, prev_h = inputs[2 * L - 1], inputs[2 * L]
        x, insize = _layer_input(L, inputs, outputs, input_size, dropout)
        insize = insize or rnn_size
        all_sums = _sum_of_linears(insize, x, rnn_size, prev_h, 4, L)
        reshaped = nn.Reshape(4, rnn_size)(all_sums)
        n1, n2, n3, n4 = nn.SplitTable(1)(reshaped).split(4)  # 0-based dim 1 = Lua's dim 2
        in_gate, forget_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2)
        out_gate, in_transform = nn.Sigmoid()(n3), nn.Tanh()(n4)
        next_c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, in_transform])])
        next_h = nn.CMulTable()([out_gate, nn.Tanh()(next_c)])
        outputs += [next_c, next_h]
    outputs.append(_decoder(outputs[-1], rnn_size, output_size, dropout))
    return nn.gModule(inputs, outputs)


def gru(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float = 0.0):
    """char-rnn's GRU graph: the reset gate multiplies h before its projection (Cho et al.'s form)."""
    inputs = [nn.Identity()() for _ in range(1 + n)]
    outputs = []
    for L in range(1, n + 1):
        prev_h = inputs[L]
        x, insize = _layer_input(L, inputs, outputs, input_size, dropout)
        insize = insize or rnn_size
        update_gate = nn.Sigmoid()(_sum_of_linears(insize, x, rnn_size, prev_h, 1, L))
        reset_gate = nn.Sigmoid()(_sum_of_linears(insize, x, rnn_size, prev_h, 1, L))
        gated_hidden = nn.CMulTable()([reset_gate, prev_h])
        p2 = nn.Linear(rnn_size, rnn_size)(gated_hidden)
        p1 = nn.Linear(insize, rnn_size)(x)
        candidate = nn.Tanh()(nn.CAddTable()([p1, p2]))
        zh = nn.CMulTable()([update_gate, candidate])
        one_minus_z = nn.AddConstant(1, False)(nn.MulConstant(-1, False)(update_gate))
        zhm1 = nn.CMulTable()([one_minus_z, prev_h])
        outputs.append(nn.CAddTable()([zh, zhm1]))
    outputs.append(_decoder(outputs[-1], rnn_size, output_size, dropout))
    return nn.gModule(inputs, outputs)


def rnn(input_size: int, output_size: int, rnn_size: int, n: int, dropout: float = 0.0):
    """char-rnn's vanilla RNN graph: ``h = tanh(i2h(x) + h2h(prev_h))``."""
    inputs = [nn.Identity()() for _ in range(1 + n)]
    outputs = []
    for L in range(1, n + 1):
        prev_h = inputs[L]
        x, insize = _layer_input(L, inputs, outputs, input_size, dropout)
        insize = insize or rnn_size
        outputs.append(nn.Tanh()(_sum_of_linears(insize, x, rnn_size, prev_h, 1, L)))
    outputs.append(_decoder(outputs[-1], rnn_size, output_size, dropout))
    return nn.gModule(inputs, outputs)


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
