"""autograd.model: torch-autograd's ready-made networks, each returned as ``(f, params)``.

``f(params, input, ...)`` is a plain function autograd differentiates; ``params`` is a nested list/dict of
tensors (the layers' parameters, in order). Options are given as a dict (torch-autograd's ``opt`` table)
and/or as keyword arguments. ``NeuralNetwork``, ``SpatialNetwork`` and ``AlexNet`` are sequences of
functionalized nn layers (``autograd.nn``); their ``f.layers`` lists the layers (torch-autograd returns it
as a third value). The recurrent networks return ``(output, newState)`` from ``f(params, x, prevState)``.

Shapes: ``x`` of a recurrent network is ``batch x steps x features`` (or ``steps x features``, one
sequence); the hidden state is ``batch x hiddenFeatures``. Zero-initialized weights are created, as in
torch-autograd: initialize them (e.g. ``params[0]["W"].normal(0, 0.01)``) before training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch7 as torch

from . import util
from ._models_rnn import RecurrentFWNetwork, RecurrentGRUNetwork, RecurrentLSTMNetwork, RecurrentNetwork
from ._nest import options as _options

__all__ = ["NeuralNetwork", "SpatialNetwork", "AlexNet", "RecurrentNetwork", "RecurrentLSTMNetwork",
           "RecurrentGRUNetwork", "RecurrentFWNetwork", "Sequence"]


def _nn():
    from torch7 import autograd

    return autograd.nn



class Sequence:
    """``f(params, input)`` running ``layers`` in order; layer ``i`` gets ``params[layer2params[i]]`` if it has any.

    Args:
        layers: functionalized layers (``autograd.nn.X(...)`` results).
        layer2params: layer position -> position of its parameters in ``params``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> lin, p = autograd.nn.Linear(2, 1)
        >>> f = Sequence([lin, autograd.nn.Tanh()], {0: 0})
        >>> f([p], torch.zeros(2)).size()
        torch.Size([1])
    """

    def __init__(self, layers: list, layer2params: dict) -> None:
        self.layers = layers
        self.layer2params = layer2params

    def __call__(self, params: Any, input: Any) -> Any:
        for i, layer in enumerate(self.layers):
            pi = self.layer2params.get(i)
            input = layer(params[pi], input) if pi is not None else layer(input)
        return input


def _add(layers: list, params: list, layer2params: dict, made: Any) -> None:
    if isinstance(made, tuple):  # a layer with parameters: (f, params)
        layers.append(made[0])
        params.append(made[1])
        layer2params[len(layers) - 1] = len(params) - 1
    else:
        layers.append(made)


def _activation(name: str, cuda: bool) -> Any:
    if cuda:
        try:
            from torch7 import autograd

            return getattr(autograd.functionalize("cudnn"), name)()
        except (ImportError, AttributeError):
            pass
    return getattr(_nn(), name)()


def _network(build: Callable, opt: dict, params: list | None, layers: list | None,
             layer2params: dict | None) -> tuple[Sequence, list]:
    """``build`` the layers into the given (or new) lists, then ``(Sequence, params)`` (cast to CUDA with ``cuda``)."""
    params = [] if params is None else params
    layers = [] if layers is None else layers
    layer2params = {} if layer2params is None else layer2params
    build(opt, params, layers, layer2params)
    if opt.get("cuda", False):
        params[:] = util.cast(params, "cuda")
    return Sequence(layers, layer2params), params


def _neural_network(opt: dict, params: list, layers: list, layer2params: dict) -> None:
    nn = _nn()
    inputFeatures = opt.get("inputFeatures", 10)
    hiddenFeatures = opt.get("hiddenFeatures", [100, 2])
    batchNormalization = opt.get("batchNormalization", False)
    dropoutProb = opt.get("dropoutProb", 0)
    dropoutProbs = opt.get("dropoutProbs", [])
    activations = opt.get("activations", "ReLU")
    classifier = opt.get("classifier", False)
    cuda = opt.get("cuda", False)
    layers.append(nn.Reshape(inputFeatures))  # always flatten the input to its feature count
    for i, hiddens in enumerate(hiddenFeatures):
        if classifier and i == len(hiddenFeatures) - 1:  # the last layer gives raw scores
            activations, batchNormalization = None, False
        p = dropoutProbs[i] if i < len(dropoutProbs) and dropoutProbs[i] is not None else dropoutProb
        if p > 0:
            layers.append(nn.Dropout(p))
        _add(layers, params, layer2params, nn.Linear(inputFeatures, hiddens))
        if batchNormalization:
            _add(layers, params, layer2params, nn.BatchNormalization(hiddens))
        if activations:
            layers.append(_activation(activations, cuda))
        inputFeatures = hiddens


def NeuralNetwork(opt: dict | None = None, params: list | None = None, layers: list | None = None,
                  layer2params: dict | None = None, **kwargs: Any) -> tuple[Sequence, list]:
    """A multi-layer perceptron: Reshape, then per hidden size [Dropout,] Linear, [BatchNormalization,] activation.

    Args:
        opt: options (also accepted as keywords): ``inputFeatures`` [10], ``hiddenFeatures`` [[100, 2]],
            ``batchNormalization`` [False], ``dropoutProb`` [0], ``dropoutProbs`` (per layer) [[]],
            ``activations`` (an nn class name) ['ReLU'], ``classifier`` (no activation or batch
            normalization after the last layer) [False], ``cuda`` [False].
        params: a list to append the parameters to (default a new one).
        layers: a list to append the layers to (default a new one).
        layer2params: a dict to record layer -> parameter positions in (default a new one).

    Returns:
        ``(f, params)``: ``f(params, input)`` returns the last layer's output; ``params[i]`` is the
        ``[weight, bias]`` list of the i-th layer with parameters.

    Example:
        >>> import torch7 as torch
        >>> f, params = NeuralNetwork(inputFeatures=4, hiddenFeatures=[3, 2], classifier=True)
        >>> f(params, torch.ones(4)).size(), len(params)
        (torch.Size([2]), 2)
    """
    return _network(_neural_network, _options(opt, kwargs), params, layers, layer2params)


def _spatial_network(opt: dict, params: list, layers: list, layer2params: dict) -> None:
    nn = _nn()
    kernelSize = opt.get("kernelSize", 5)
    padding = opt.get("padding")
    inputFeatures = opt.get("inputFeatures", 3)
    hiddenFeatures = opt.get("hiddenFeatures", [16, 32, 64])
    batchNormalization = opt.get("batchNormalization", False)
    dropoutProb = opt.get("dropoutProb", 0)
    dropoutProbs = opt.get("dropoutProbs", [])
    activations = opt.get("activations", "ReLU")
    poolings = opt.get("poolings", [1, 1, 1])
    inputStride = opt.get("inputStride", 1)
    cuda = opt.get("cuda", False)
    pad = (kernelSize - 1) // 2 if padding is None else padding  # "same" padding for odd kernels
    conv, pool = nn.SpatialConvolutionMM, nn.SpatialMaxPooling
    if cuda:
        try:
            from torch7 import autograd

            cudnn = autograd.functionalize("cudnn")
            conv, pool = cudnn.SpatialConvolution, cudnn.SpatialMaxPooling
        except (ImportError, AttributeError):
            pass
    for i, hiddens in enumerate(hiddenFeatures):
        p = dropoutProbs[i] if i < len(dropoutProbs) and dropoutProbs[i] is not None else dropoutProb
        pooling = poolings[i] if i < len(poolings) and poolings[i] is not None else 1
        if p > 0:
            layers.append(nn.SpatialDropout(p))
        _add(layers, params, layer2params,
             conv(inputFeatures, hiddens, kernelSize, kernelSize, inputStride, inputStride, pad, pad))
        if batchNormalization:
            _add(layers, params, layer2params, nn.SpatialBatchNormalization(hiddens))
        if activations:
            layers.append(_activation(activations, cuda))
        if pooling > 1:
            layers.append(pool(pooling, pooling))
        inputFeatures, inputStride = hiddens, 1


def SpatialNetwork(opt: dict | None = None, params: list | None = None, layers: list | None = None,
                   layer2params: dict | None = None, **kwargs: Any) -> tuple[Sequence, list]:
    """A conv net: per hidden size [SpatialDropout,] conv, [SpatialBatchNormalization,] activation, [max pooling].

    Args:
        opt: options (also accepted as keywords): ``inputFeatures`` [3], ``hiddenFeatures`` [[16, 32, 64]],
            ``kernelSize`` [5], ``padding`` [(kernelSize - 1) // 2], ``poolings`` (per layer) [[1, 1, 1]],
            ``inputStride`` (first layer) [1], ``batchNormalization`` [False], ``dropoutProb`` [0],
            ``dropoutProbs`` [[]], ``activations`` ['ReLU'], ``cuda`` [False].
        params: a list to append the parameters to.
        layers: a list to append the layers to.
        layer2params: a dict of layer -> parameter positions to fill.

    Returns:
        ``(f, params)`` with ``f(params, images)`` for ``C x H x W`` or ``N x C x H x W`` images.

    Example:
        >>> import torch7 as torch
        >>> f, params = SpatialNetwork(inputFeatures=1, hiddenFeatures=[2], kernelSize=3, poolings=[2])
        >>> f(params, torch.ones(1, 4, 4)).size()
        torch.Size([2, 2, 2])
    """
    return _network(_spatial_network, _options(opt, kwargs), params, layers, layer2params)


def AlexNet(imageDepth: int, imageHeight: int, imageWidth: int, convOpt: dict | None = None,
            mlpOpt: dict | None = None, params: list | None = None, layers: list | None = None,
            layer2params: dict | None = None) -> tuple[Sequence, list]:
    """A SpatialNetwork then a NeuralNetwork classifier, for ``imageDepth x imageHeight x imageWidth`` images.

    Args:
        imageDepth: input planes (sets ``convOpt["inputFeatures"]``).
        imageHeight: input height.
        imageWidth: input width.
        convOpt: SpatialNetwork options (defaults as there; one ``kernelSize`` and ``padding`` for all layers).
        mlpOpt: NeuralNetwork options without ``inputFeatures`` (computed from a test forward);
            ``classifier`` defaults to True, ``hiddenFeatures`` to [100, 2].
        params: a list to append the parameters to.
        layers: a list to append the layers to.
        layer2params: a dict of layer -> parameter positions to fill.

    Returns:
        ``(f, params)``; ``f(params, images)`` gives the class scores.

    Example:
        >>> import torch7 as torch
        >>> f, params = AlexNet(1, 8, 8, {"hiddenFeatures": [2], "kernelSize": 3, "poolings": [2]},
        ...                     {"hiddenFeatures": [3]})
        >>> f(params, torch.ones(5, 1, 8, 8)).size()
        torch.Size([5, 3])
    """
    convOpt = dict(convOpt or {})
    mlpOpt = dict(mlpOpt or {})
    if convOpt.get("kernelSizes") is not None:
        raise NotImplementedError("autograd: AlexNet with per-layer kernel sizes is not supported")
    if convOpt.get("paddings") is not None:
        raise NotImplementedError("autograd: AlexNet with per-layer paddings is not supported")
    if mlpOpt.get("inputFeatures") is not None:
        raise ValueError("AlexNet: input features of the fully-connected layers cannot be set, do not specify them")
    convOpt["inputFeatures"] = imageDepth
    mlpOpt.setdefault("hiddenFeatures", [100, 2])
    mlpOpt.setdefault("classifier", True)
    if bool(mlpOpt.get("cuda")) != bool(convOpt.get("cuda")):
        convOpt["cuda"] = mlpOpt["cuda"] = True  # as torch-autograd: CUDA for one part means CUDA for both
    params = [] if params is None else params
    layers = [] if layers is None else layers
    layer2params = {} if layer2params is None else layer2params
    sp, params = SpatialNetwork(convOpt, params, layers, layer2params)
    test = torch.randn(1, imageDepth, imageHeight, imageWidth).typeAs(params[0][0]).contiguous()
    res = sp(params, test)
    mlpOpt["inputFeatures"] = res.size(1) * res.size(2) * res.size(3)
    _, params = NeuralNetwork(mlpOpt, params, layers, layer2params)
    return Sequence(layers, layer2params), params
