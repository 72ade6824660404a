"""The .t7 class layer: every nn class goes through object_payload -> fill_instance(new_instance(...)) unchanged.

The round trip here is in memory (``_roundtrip`` copies tensors and storages, shares what was shared, and
calls the class hooks the reader and writer call); the same modules also go through ``torch.serialize`` /
``torch.deserialize`` when the reader and writer are present. The 1-based values Torch7 stores are
checked in the payloads, and old Torch7 layouts (missing fields) are upgraded on load.
"""

from __future__ import annotations

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn
from torch7.nn.OneHot import CharRNNOneHot
from torch7.serialization import convert
from torch7.serialization.classes import fill_instance, new_instance, object_payload, register_class

# ---- inputs --------------------------------------------------------------------------------------------------------

_rng = np.random.default_rng(7)


def R(*shape, lo=-1.0, hi=1.0):
    """A DoubleTensor of uniform values."""
    return torch.from_numpy(_rng.uniform(lo, hi, shape)).clone()


def P(*shape):
    """Positive values (for Log, Sqrt, ...)."""
    return R(*shape, lo=0.2, hi=2.0)


def L(*values):
    return torch.LongTensor(list(values))


def _probs(*shape):
    x = P(*shape)
    return x.div(float(x.sum()) * 1.01) if len(shape) == 1 else x.div(float(x.max()) * 1.01)


def _il_batch():
    keys = [L(0, 5, 3), L(2), L(5, 5, 1, 7)]
    vals = [torch.Tensor([0.5, -1, 2]), torch.Tensor([3]), torch.Tensor([1, -0.5, 0.25, 2])]
    return [keys, vals]


def _sparse(nnz, n_in=10):
    idx = np.random.default_rng(nnz).choice(n_in, nnz, replace=False)
    return torch.Tensor(np.stack([idx, np.random.default_rng(nnz + 7).uniform(-1, 1, nnz)], 1).tolist())


def _kmeans():
    m = nn.Kmeans(3, 2)
    m.weight.copy(torch.Tensor([[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]]))
    return m


def _partial():
    m = nn.PartialLinear(5, 6)
    m.setPartition(L(4, 1, 3))
    return m


def _eval(m):
    return m.evaluate()


def _vol_unpool():
    pool = nn.VolumetricMaxPooling(2, 2, 2)
    pool.forward(_VOL_X)
    return nn.VolumetricMaxUnpooling(pool)


def _spatial_unpool():
    pool = nn.SpatialMaxPooling(2, 2)
    pool.forward(_SPATIAL_X)
    return nn.SpatialMaxUnpooling(pool)


_VOL_X = R(2, 3, 4, 4, 4)
_SPATIAL_X = R(2, 3, 4, 6)


def _fixed(m):
    """A fractional max pooling with fixed pooling regions (drawn at its first forward)."""
    m.fixPoolingRegions()
    return m


def _running_stats(m, *shape):
    """A batch normalization with running statistics that are not the initial ones, in evaluation mode."""
    m.forward(R(*shape))
    return m.evaluate()


# ---- every class: (case id, module factory, input factory[, target factory]) ---------------------------------------

MODULES = [
    ("Abs", lambda: nn.Abs(), lambda: R(3, 4)),
    ("Add", lambda: nn.Add(4), lambda: R(3, 4)),
    ("Add-scalar", lambda: nn.Add(4, True), lambda: R(3, 4)),
    ("AddConstant", lambda: nn.AddConstant(2.5), lambda: R(3, 4)),
    ("Bilinear", lambda: nn.Bilinear(3, 4, 2), lambda: [R(5, 3), R(5, 4)]),
    ("Bottle", lambda: nn.Bottle(nn.Linear(4, 3)), lambda: R(2, 3, 4)),
    ("CAdd", lambda: nn.CAdd(3, 4), lambda: R(3, 4)),
    ("CAddTable", lambda: nn.CAddTable(), lambda: [R(3, 4), R(3, 4)]),
    ("CAddTensorTable", lambda: nn.CAddTensorTable(), lambda: [R(4), [R(4), R(4)]]),
    ("CDivTable", lambda: nn.CDivTable(), lambda: [R(3, 4), P(3, 4)]),
    ("CMaxTable", lambda: nn.CMaxTable(), lambda: [R(3, 4), R(3, 4), R(3, 4)]),
    ("CMinTable", lambda: nn.CMinTable(), lambda: [R(3, 4), R(3, 4), R(3, 4)]),
    ("CMul", lambda: nn.CMul(3, 4), lambda: R(3, 4)),
    ("CMulTable", lambda: nn.CMulTable(), lambda: [R(3, 4), R(3, 4)]),
    ("CReLU", lambda: nn.CReLU(3), lambda: R(2, 3, 2, 2)),
    ("CSubTable", lambda: nn.CSubTable(), lambda: [R(3, 4), R(3, 4)]),
    ("Clamp", lambda: nn.Clamp(-0.5, 0.7), lambda: R(3, 4)),
    ("Collapse", lambda: nn.Collapse(2), lambda: R(3, 2, 4)),
    ("Concat", lambda: nn.Concat(1).add(nn.Linear(5, 3)).add(nn.Linear(5, 2)), lambda: R(4, 5)),
    ("Concat-neg", lambda: nn.Concat(-1).add(nn.Linear(5, 3)).add(nn.Identity()), lambda: R(2, 5)),
    ("ConcatTable", lambda: nn.ConcatTable().add(nn.Linear(5, 3)).add(nn.Identity()), lambda: R(4, 5)),
    ("Constant", lambda: nn.Constant(R(5, 6), 2), lambda: R(4, 5, 6)),
    ("Container", lambda: nn.Container(), None),
    ("Contiguous", lambda: nn.Contiguous(), lambda: R(3, 4).t()),
    ("Convert", lambda: nn.Convert("bchw", "bf"), lambda: R(2, 3, 2, 2)),
    ("Convert-transpose", lambda: nn.Convert("bchw", "chwb"), lambda: R(2, 3, 2, 2)),
    ("Copy", lambda: nn.Copy("torch.DoubleTensor", "torch.FloatTensor"), lambda: R(2, 3)),
    ("CriterionTable", lambda: nn.CriterionTable(nn.MSECriterion()), lambda: [R(3), R(3)]),
    ("Cosine", lambda: nn.Cosine(5, 3), lambda: R(4, 5)),
    ("CosineDistance", lambda: nn.CosineDistance(), lambda: [R(4, 5), R(4, 5)]),
    ("Decorator", lambda: nn.Decorator(nn.Linear(4, 3)), lambda: R(2, 4)),
    ("DepthConcat", lambda: nn.DepthConcat(1).add(nn.Linear(4, 3)).add(nn.Linear(4, 2)), lambda: R(3, 4)),
    ("DontCast", lambda: nn.DontCast(nn.Linear(4, 3)), lambda: R(2, 4)),
    ("DotProduct", lambda: nn.DotProduct(), lambda: [R(3, 4), R(3, 4)]),
    ("Dropout", lambda: _eval(nn.Dropout(0.3)), lambda: R(3, 4)),
    ("Dropout-v1", lambda: _eval(nn.Dropout(0.3, True)), lambda: R(3, 4)),
    ("ELU", lambda: nn.ELU(0.7), lambda: R(3, 4)),
    ("Euclidean", lambda: nn.Euclidean(5, 3), lambda: R(4, 5)),
    ("Exp", lambda: nn.Exp(), lambda: R(3, 4)),
    ("FlattenTable", lambda: nn.FlattenTable(), lambda: [R(2), [R(3), [R(4)]]]),
    ("GPU", lambda: nn.GPU(nn.Linear(4, 3), 0), lambda: R(2, 4)),
    ("GatedLinearUnit", lambda: nn.GatedLinearUnit(), lambda: R(3, 4)),
    ("GatedLinearUnit-dim", lambda: nn.GatedLinearUnit(1), lambda: R(2, 4, 3)),
    ("GatedLinearUnit-neg", lambda: nn.GatedLinearUnit(-2), lambda: R(2, 2, 2, 3)),
    ("GradientReversal", lambda: nn.GradientReversal(0.7), lambda: R(3, 4)),
    ("HardShrink", lambda: nn.HardShrink(0.3), lambda: R(3, 4)),
    ("HardTanh", lambda: nn.HardTanh(-0.5, 0.5), lambda: R(3, 4)),
    ("Identity", lambda: nn.Identity(), lambda: R(3, 4)),
    ("Index", lambda: nn.Index(1), lambda: [R(3, 4), L(3, 0, 2)]),
    ("Inception", lambda: nn.Inception(inputSize=2, outputSize=[3], reduceSize=[2, 2, 1], kernelSize=[3],
                                       kernelStride=[1], transfer=nn.Tanh()), lambda: R(2, 2, 5, 5)),
    ("Inception-bn-single", lambda: _eval(nn.Inception({"inputSize": 3, "outputSize": [2, 2], "reduceSize": [2, 1],
                                                       "batchNorm": True, "padding": False})), lambda: R(3, 7, 7)),
    ("IndexLinear", lambda: nn.IndexLinear(8, 3).reset(), _il_batch),
    ("JoinTable", lambda: nn.JoinTable(1), lambda: [R(3, 4), R(3, 2)]),
    ("JoinTable-batch", lambda: nn.JoinTable(0, 1), lambda: [R(3, 4), R(3, 2)]),
    ("JoinTable-neg", lambda: nn.JoinTable(-1), lambda: [R(3, 4), R(3, 2)]),
    ("Kmeans", _kmeans, lambda: R(6, 2, lo=-6, hi=6)),
    ("L1Penalty", lambda: nn.L1Penalty(0.3), lambda: R(3, 4)),
    ("LeakyReLU", lambda: nn.LeakyReLU(0.2), lambda: R(3, 4)),
    ("Linear", lambda: nn.Linear(5, 3), lambda: R(4, 5)),
    ("Linear-noBias", lambda: nn.Linear(5, 3).noBias(), lambda: R(4, 5)),
    ("LinearWeightNorm", lambda: nn.LinearWeightNorm(5, 3), lambda: R(4, 5)),
    ("Log", lambda: nn.Log(), lambda: P(3, 4)),
    ("LogSigmoid", lambda: nn.LogSigmoid(), lambda: R(3, 4)),
    ("LogSoftMax", lambda: nn.LogSoftMax(), lambda: R(3, 4)),
    ("MM", lambda: nn.MM(True, False), lambda: [R(2, 4, 3), R(2, 4, 5)]),
    ("MV", lambda: nn.MV(), lambda: [R(2, 3, 4), R(2, 4)]),
    ("MapTable", lambda: nn.MapTable(nn.Linear(4, 2)), lambda: [R(3, 4), R(4), R(2, 4)]),
    ("MaskedSelect", lambda: nn.MaskedSelect(), lambda: [R(3, 4), torch.ByteTensor(3, 4).bernoulli(0.5)]),
    ("Max", lambda: nn.Max(1), lambda: R(3, 4)),
    ("Max-batch", lambda: nn.Max(0, 1), lambda: R(3, 4)),
    ("Maxout", lambda: nn.Maxout(5, 3, 4), lambda: R(2, 5)),
    ("Mean", lambda: nn.Mean(1), lambda: R(3, 4)),
    ("Min", lambda: nn.Min(-1), lambda: R(3, 4)),
    ("MixtureTable", lambda: nn.MixtureTable(), lambda: [_probs(3, 2), [R(3, 4), R(3, 4)]]),
    ("MixtureTable-dim", lambda: nn.MixtureTable(1), lambda: [_probs(3, 2), R(3, 2, 4)]),
    ("Module", lambda: nn.Module(), None),
    ("Mul", lambda: nn.Mul(), lambda: R(3, 4)),
    ("MulConstant", lambda: nn.MulConstant(-1.5), lambda: R(3, 4)),
    ("NaN", lambda: nn.NaN(nn.Linear(3, 2)), lambda: R(4, 3)),
    ("Narrow", lambda: nn.Narrow(1, 1, 2), lambda: R(3, 4)),
    ("Narrow-neg", lambda: nn.Narrow(-1, -3, -1), lambda: R(3, 4)),
    ("NarrowTable", lambda: nn.NarrowTable(1, 2), lambda: [R(1), R(2), R(3)]),
    ("Normalize", lambda: nn.Normalize(2), lambda: R(3, 5)),
    ("Normalize-inf", lambda: nn.Normalize(float("inf")), lambda: R(3, 5)),
    ("OneHot", lambda: nn.OneHot(5), lambda: L(3, 0, 4, 4, 1)),
    ("PReLU", lambda: nn.PReLU(4), lambda: R(3, 4)),
    ("Padding", lambda: nn.Padding(1, -2, 2, 7.0, 1), lambda: R(2, 4)),
    ("Padding-after", lambda: nn.Padding(0, 2, 1, -1.0), lambda: R(2, 4)),
    ("PairwiseDistance", lambda: nn.PairwiseDistance(2), lambda: [R(3, 4), R(3, 4)]),
    ("Parallel", lambda: nn.Parallel(1, 1).add(nn.Linear(4, 2)).add(nn.Linear(4, 3)), lambda: R(3, 2, 4)),
    ("ParallelTable", lambda: nn.ParallelTable().add(nn.Linear(4, 2)).add(nn.Linear(5, 3)),
     lambda: [R(3, 4), R(3, 5)]),
    ("PartialLinear", _partial, lambda: R(3, 5)),
    ("PixelShuffle", lambda: nn.PixelShuffle(2), lambda: R(2, 8, 2, 3)),
    ("Power", lambda: nn.Power(2.5), lambda: P(3, 4)),
    ("PrintSize", lambda: nn.PrintSize(), None),
    ("Profile", lambda: nn.Profile(nn.Linear(4, 3), 10**6), lambda: R(2, 4)),
    ("RReLU", lambda: _eval(nn.RReLU(0.1, 0.4)), lambda: R(3, 4)),
    ("ReLU", lambda: nn.ReLU(), lambda: R(3, 4)),
    ("ReLU6", lambda: nn.ReLU6(), lambda: R(3, 4).mul(8)),
    ("Replicate", lambda: nn.Replicate(3, 1, 1), lambda: R(2, 4)),
    ("Reshape", lambda: nn.Reshape(3, 4), lambda: R(2, 12)),
    ("Reshape-batch", lambda: nn.Reshape(6, True), lambda: R(1, 2, 3)),
    ("Select", lambda: nn.Select(1, 2), lambda: R(3, 4)),
    ("Select-neg", lambda: nn.Select(-1, -2), lambda: R(3, 4)),
    ("SelectTable", lambda: nn.SelectTable(1), lambda: [R(2), R(3), R(4)]),
    ("SelectTable-neg", lambda: nn.SelectTable(-1), lambda: [R(2), R(3), R(4)]),
    ("Sequential", lambda: nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh()), lambda: R(2, 4)),
    ("Sigmoid", lambda: nn.Sigmoid(), lambda: R(3, 4)),
    ("SoftMax", lambda: nn.SoftMax(), lambda: R(3, 4)),
    ("SoftMin", lambda: nn.SoftMin(), lambda: R(3, 4)),
    ("SoftPlus", lambda: nn.SoftPlus(2), lambda: R(3, 4)),
    ("SoftShrink", lambda: nn.SoftShrink(0.3), lambda: R(3, 4)),
    ("SoftSign", lambda: nn.SoftSign(), lambda: R(3, 4)),
    ("SparseLinear", lambda: nn.SparseLinear(10, 3), lambda: _sparse(4)),
    ("SpatialDropout", lambda: _eval(nn.SpatialDropout(0.3)), lambda: R(2, 3, 4, 4)),
    ("SpatialLogSoftMax", lambda: nn.SpatialLogSoftMax(), lambda: R(2, 3, 4, 4)),
    ("SpatialSoftMax", lambda: nn.SpatialSoftMax(), lambda: R(2, 3, 4, 4)),
    ("SplitTable", lambda: nn.SplitTable(1), lambda: R(3, 4)),
    ("SplitTable-batch", lambda: nn.SplitTable(0, 2), lambda: R(2, 3, 4)),
    ("Sqrt", lambda: nn.Sqrt(), lambda: P(3, 4)),
    ("Square", lambda: nn.Square(), lambda: R(3, 4)),
    ("Squeeze", lambda: nn.Squeeze(1), lambda: R(2, 1, 3, 1)),
    ("Squeeze-all", lambda: nn.Squeeze(), lambda: R(2, 1, 3, 1)),
    ("Sum", lambda: nn.Sum(1), lambda: R(3, 4)),
    ("Sum-batch", lambda: nn.Sum(0, 1, True, False), lambda: R(3, 4)),
    ("Tanh", lambda: nn.Tanh(), lambda: R(3, 4)),
    ("TanhShrink", lambda: nn.TanhShrink(), lambda: R(3, 4)),
    ("Threshold", lambda: nn.Threshold(0.1, -2), lambda: R(3, 4)),
    ("Transpose", lambda: nn.Transpose([0, 3], [0, 2]), lambda: R(2, 3, 2, 3)),
    ("Transpose-nid", lambda: nn.Transpose((0, 1)).setNumInputDims(2), lambda: R(2, 3, 4)),
    ("Unsqueeze", lambda: nn.Unsqueeze(1), lambda: R(2, 4, 3)),
    ("Unsqueeze-batch", lambda: nn.Unsqueeze(1, 3), lambda: R(5, 2, 4, 3)),
    ("View", lambda: nn.View(3, 4), lambda: R(2, 12)),
    ("View-nid", lambda: nn.View(-1).setNumInputDims(2), lambda: R(3, 2, 3)),
    ("VolumetricDropout", lambda: _eval(nn.VolumetricDropout(0.3)), lambda: R(2, 3, 2, 2, 2)),
    ("WeightNorm", lambda: nn.WeightNorm(nn.Linear(4, 3)), lambda: R(2, 4)),
    ("WeightNorm-dim", lambda: nn.WeightNorm(nn.Linear(4, 3), 1), lambda: R(2, 4)),
    ("WeightedEuclidean", lambda: nn.WeightedEuclidean(5, 3), lambda: R(4, 5)),
    ("WhiteNoise", lambda: _eval(nn.WhiteNoise(0.5, 0.2)), lambda: R(3, 4)),
    ("ZeroGrad", lambda: nn.ZeroGrad(), lambda: R(3, 4)),
    ("ZipTable", lambda: nn.ZipTable(), lambda: [[R(2), R(3)], [R(4), R(5)]]),
    ("ZipTableOneToMany", lambda: nn.ZipTableOneToMany(), lambda: [R(2), [R(3), R(4)]]),
]

# The convolution, pooling, padding, upsampling and normalization classes (only those present).
_CONV_CASES = [
    ("BatchNormalization", lambda: nn.BatchNormalization(4), lambda: R(5, 4)),
    ("BatchNormalization-eval", lambda: _running_stats(nn.BatchNormalization(4, 1e-3, 0.3), 6, 4), lambda: R(5, 4)),
    ("BatchNormalization-noaffine", lambda: _running_stats(nn.BatchNormalization(3, None, None, False), 4, 3),
     lambda: R(2, 3)),
    ("FeatureLPPooling", lambda: nn.FeatureLPPooling(2, 1, 2, True), lambda: P(2, 5, 3)),
    ("FeatureLPPooling-single", lambda: nn.FeatureLPPooling(3, 2, 3, False), lambda: P(7, 2)),
    ("LayerNormalization", lambda: nn.LayerNormalization(4), lambda: R(3, 4)),
    ("LookupTable", lambda: nn.LookupTable(10, 3), lambda: L(3, 0, 9, 3)),
    ("LookupTable-batch-padding", lambda: nn.LookupTable(10, 3, 2), lambda: L(3, 0, 2, 9, 2, 1).view(2, 3)),
    ("SpatialAdaptiveAveragePooling", lambda: nn.SpatialAdaptiveAveragePooling(3, 2), lambda: R(2, 3, 5, 7)),
    ("SpatialAdaptiveMaxPooling", lambda: nn.SpatialAdaptiveMaxPooling(3, 2), lambda: R(2, 3, 5, 7)),
    ("SpatialAveragePooling", lambda: nn.SpatialAveragePooling(3, 2, 2, 1, 1, 1), lambda: R(2, 3, 6, 7)),
    ("SpatialAveragePooling-exclude", lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1).ceil().setCountExcludePad(),
     lambda: R(3, 6, 8)),
    ("SpatialBatchNormalization", lambda: nn.SpatialBatchNormalization(3), lambda: R(2, 3, 4, 4)),
    ("SpatialBatchNormalization-eval", lambda: _running_stats(nn.SpatialBatchNormalization(3), 2, 3, 4, 4),
     lambda: R(3, 4, 4)),
    ("SpatialContrastiveNormalization", lambda: nn.SpatialContrastiveNormalization(2, torch.ones(3, 3)),
     lambda: R(2, 2, 6, 6)),
    ("SpatialConvolution", lambda: nn.SpatialConvolution(3, 4, 3, 2, 2, 1, 1, 0), lambda: R(2, 3, 5, 6)),
    ("SpatialConvolution-single", lambda: nn.SpatialConvolution(2, 3, 2, 2), lambda: R(2, 4, 5)),
    ("SpatialConvolutionLocal", lambda: nn.SpatialConvolutionLocal(3, 4, 6, 5, 3, 2), lambda: R(2, 3, 5, 6)),
    ("SpatialConvolutionMM", lambda: nn.SpatialConvolutionMM(3, 4, 3, 3, 1, 1, 1, 1), lambda: R(2, 3, 5, 6)),
    ("SpatialConvolutionMap", lambda: nn.SpatialConvolutionMap(nn.tables.random(3, 4, 2), 3, 2),
     lambda: R(2, 3, 5, 6)),
    ("SpatialCrossMapLRN", lambda: nn.SpatialCrossMapLRN(3, 1e-3, 0.6, 2), lambda: R(2, 7, 5, 6)),
    ("SpatialCrossMapLRN-single", lambda: nn.SpatialCrossMapLRN(4), lambda: R(5, 3, 4)),
    ("SpatialDepthWiseConvolution", lambda: nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1),
     lambda: R(2, 3, 5, 6)),
    ("SpatialDivisiveNormalization", lambda: nn.SpatialDivisiveNormalization(3, torch.Tensor([0.25, 0.5, 0.25])),
     lambda: R(2, 3, 6, 6)),
    ("SpatialDilatedConvolution", lambda: nn.SpatialDilatedConvolution(3, 2, 3, 3, 1, 1, 2, 2, 2, 2),
     lambda: R(2, 3, 6, 7)),
    ("SpatialDilatedMaxPooling", lambda: nn.SpatialDilatedMaxPooling(2, 2, 2, 2, 1, 1, 2, 2), lambda: R(2, 3, 7, 8)),
    ("SpatialFractionalMaxPooling", lambda: _fixed(nn.SpatialFractionalMaxPooling(2, 2, 3, 4)),
     lambda: R(2, 3, 7, 8)),
    ("SpatialFractionalMaxPooling-ratio", lambda: _fixed(nn.SpatialFractionalMaxPooling(3, 2, 0.5, 0.6)),
     lambda: R(3, 8, 9)),
    ("SpatialFullConvolutionMap", lambda: nn.SpatialFullConvolutionMap(nn.tables.full(3, 2), 3, 3, 2, 2),
     lambda: R(2, 3, 4, 5)),
    ("SpatialLPPooling", lambda: nn.SpatialLPPooling(3, 2, 2, 2), lambda: R(2, 3, 4, 6)),
    ("SpatialFullConvolution", lambda: nn.SpatialFullConvolution(3, 2, 3, 2, 2, 2, 1, 0, 1, 1), lambda: R(2, 3, 3, 4)),
    ("SpatialFullConvolution-single", lambda: nn.SpatialFullConvolution(2, 3, 2, 2), lambda: R(2, 3, 4)),
    ("SpatialMaxPooling", lambda: nn.SpatialMaxPooling(3, 2, 2, 1, 1, 1), lambda: R(2, 3, 6, 7)),
    ("SpatialMaxPooling-ceil", lambda: nn.SpatialMaxPooling(3, 3, 2, 2).ceil(), lambda: R(3, 6, 8)),
    ("SpatialMaxUnpooling", _spatial_unpool, lambda: nn.SpatialMaxPooling(2, 2).forward(_SPATIAL_X).clone()),
    ("SpatialReflectionPadding", lambda: nn.SpatialReflectionPadding(2, 1, 0, 3), lambda: R(2, 3, 4, 5)),
    ("SpatialReplicationPadding", lambda: nn.SpatialReplicationPadding(2, 1, 0, 3), lambda: R(2, 3, 4, 5)),
    ("SpatialSubtractiveNormalization", lambda: nn.SpatialSubtractiveNormalization(3, torch.ones(3, 3)),
     lambda: R(2, 3, 6, 6)),
    ("SpatialSubSampling", lambda: nn.SpatialSubSampling(3, 2, 2, 2, 2), lambda: R(2, 3, 6, 6)),
    ("SpatialUpSamplingNearest", lambda: nn.SpatialUpSamplingNearest(2), lambda: R(2, 3, 2, 3)),
    ("SpatialUpSamplingBilinear", lambda: nn.SpatialUpSamplingBilinear(2), lambda: R(2, 3, 2, 3)),
    ("SpatialUpSamplingBilinear-size", lambda: nn.SpatialUpSamplingBilinear({"oheight": 3, "owidth": 5}),
     lambda: R(3, 2, 3)),
    ("SpatialZeroPadding", lambda: nn.SpatialZeroPadding(1, -1, 2, 0), lambda: R(2, 3, 4, 5)),
    ("TemporalConvolution", lambda: nn.TemporalConvolution(4, 5, 3, 2), lambda: R(2, 7, 4)),
    ("TemporalDynamicKMaxPooling", lambda: nn.TemporalDynamicKMaxPooling(2, 0.5), lambda: R(2, 6, 3)),
    ("TemporalMaxPooling", lambda: nn.TemporalMaxPooling(2), lambda: R(2, 6, 3)),
    ("TemporalRowConvolution", lambda: nn.TemporalRowConvolution(4, 3), lambda: R(2, 7, 4)),
    ("TemporalSubSampling", lambda: nn.TemporalSubSampling(4, 2, 1), lambda: R(2, 6, 4)),
    ("UpSampling", lambda: nn.UpSampling(2, "nearest"), lambda: R(2, 3, 2, 3)),
    ("UpSampling-linear", lambda: nn.UpSampling(2, "linear"), lambda: R(2, 2, 2, 2, 3)),
    ("VolumetricAveragePooling", lambda: nn.VolumetricAveragePooling(2, 2, 2), lambda: R(2, 3, 4, 4, 4)),
    ("VolumetricBatchNormalization", lambda: nn.VolumetricBatchNormalization(2), lambda: R(2, 2, 3, 3, 3)),
    ("VolumetricConvolution", lambda: nn.VolumetricConvolution(3, 2, 2, 2, 2), lambda: R(2, 3, 4, 4, 4)),
    ("VolumetricDilatedConvolution", lambda: nn.VolumetricDilatedConvolution(3, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2),
     lambda: R(2, 3, 5, 5, 5)),
    ("VolumetricDilatedMaxPooling", lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2),
     lambda: R(2, 3, 5, 5, 5)),
    ("VolumetricFractionalMaxPooling", lambda: _fixed(nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)),
     lambda: R(2, 3, 6, 6, 6)),
    ("VolumetricFullConvolution", lambda: nn.VolumetricFullConvolution(3, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 1, 1, 1),
     lambda: R(2, 3, 3, 3, 3)),
    ("VolumetricMaxPooling", lambda: nn.VolumetricMaxPooling(2, 2, 2), lambda: R(2, 3, 4, 4, 4)),
    ("VolumetricReplicationPadding", lambda: nn.VolumetricReplicationPadding(1, 0, 2, 1, 0, 1),
     lambda: R(2, 2, 2, 3, 3)),
    ("VolumetricMaxUnpooling", _vol_unpool, lambda: nn.VolumetricMaxPooling(2, 2, 2).forward(_VOL_X).clone()),
]
MODULES += [c for c in _CONV_CASES if "nn." + c[0].split("-")[0] in nn.REGISTRY]
MODULES += [
    ("LSTM", lambda: nn.LSTM(3, 2), lambda: R(2, 4, 3)),
    ("LSTM-states", lambda: nn.LSTM(3, 2, rememberStates=True), lambda: [R(2, 2), R(2, 2), R(2, 4, 3)]),
    ("GRU", lambda: nn.GRU(3, 2), lambda: [R(2, 2), R(2, 4, 3)]),
    ("RNN", lambda: nn.RNN(3, 2), lambda: R(2, 4, 3)),
    ("VanillaRNN", lambda: nn.VanillaRNN(3, 2), lambda: R(2, 4, 3)),
    ("TemporalAdapter", lambda: nn.TemporalAdapter(nn.Linear(3, 2)), lambda: R(2, 4, 3)),
]

CRITERIONS = [
    ("TemporalCrossEntropyCriterion", lambda: nn.TemporalCrossEntropyCriterion(), lambda: R(2, 3, 4),
     lambda: torch.LongTensor([[0, 3, -1], [2, 2, 1]])),
    ("AbsCriterion", lambda: nn.AbsCriterion(), lambda: R(3, 4), lambda: R(3, 4)),
    ("BCECriterion", lambda: nn.BCECriterion(P(4)), lambda: _probs(3, 4), lambda: torch.Tensor(3, 4).bernoulli(0.5)),
    ("ClassNLLCriterion", lambda: nn.ClassNLLCriterion(P(4)), lambda: R(5, 4), lambda: L(0, 3, 2, 1, 3)),
    ("ClassNLLCriterion-ignore", lambda: nn.ClassNLLCriterion(None, True, 2), lambda: R(5, 4),
     lambda: L(0, 3, 2, 1, 2)),
    ("ClassSimplexCriterion", lambda: nn.ClassSimplexCriterion(4), lambda: R(3, 4), lambda: L(0, 3, 2)),
    ("CosineEmbeddingCriterion", lambda: nn.CosineEmbeddingCriterion(0.2), lambda: [R(3, 4), R(3, 4)],
     lambda: torch.Tensor([1, -1, 1])),
    ("Criterion", lambda: nn.Criterion(), None, None),
    ("CrossEntropyCriterion", lambda: nn.CrossEntropyCriterion(), lambda: R(5, 4), lambda: L(0, 3, 2, 1, 3)),
    ("DistKLDivCriterion", lambda: nn.DistKLDivCriterion(), lambda: R(3, 4), lambda: _probs(3, 4)),
    ("DistanceRatioCriterion", lambda: nn.DistanceRatioCriterion(), lambda: [P(4), P(4)], None),
    ("HingeEmbeddingCriterion", lambda: nn.HingeEmbeddingCriterion(0.5), lambda: R(4),
     lambda: torch.Tensor([1, -1, -1, 1])),
    ("L1Cost", lambda: nn.L1Cost(), lambda: R(3, 4), None),
    ("L1HingeEmbeddingCriterion", lambda: nn.L1HingeEmbeddingCriterion(0.5), lambda: [R(4), R(4)], lambda: -1),
    ("MSECriterion", lambda: nn.MSECriterion(), lambda: R(3, 4), lambda: R(3, 4)),
    ("MarginCriterion", lambda: nn.MarginCriterion(0.5), lambda: R(4), lambda: torch.Tensor([1, -1, -1, 1])),
    ("MarginRankingCriterion", lambda: nn.MarginRankingCriterion(0.3), lambda: [R(6), R(6)],
     lambda: torch.Tensor([1, -1, 1, 1, -1, -1])),
    ("ModuleCriterion", lambda: nn.ModuleCriterion(nn.MSECriterion(), nn.Identity(), nn.Identity()),
     lambda: R(2, 3), lambda: R(2, 3)),
    ("MultiCriterion", lambda: nn.MultiCriterion().add(nn.MSECriterion()).add(nn.SmoothL1Criterion(), 0.5),
     lambda: R(3, 4), lambda: R(3, 4)),
    ("MultiLabelMarginCriterion", lambda: nn.MultiLabelMarginCriterion(), lambda: R(2, 5),
     lambda: L(3, 0, -1, 0, 0, 1, 2, 4, -1, 0).view(2, 5)),
    ("MultiLabelSoftMarginCriterion", lambda: nn.MultiLabelSoftMarginCriterion(), lambda: R(3, 4),
     lambda: torch.Tensor(3, 4).bernoulli(0.5)),
    ("MultiMarginCriterion", lambda: nn.MultiMarginCriterion(1, P(4), 0.7), lambda: R(5, 4), lambda: L(0, 3, 2, 1, 3)),
    ("ParallelCriterion", lambda: nn.ParallelCriterion().add(nn.MSECriterion(), 0.3).add(nn.MultiMarginCriterion()),
     lambda: [R(2, 3), R(2, 4)], lambda: [R(2, 3), L(3, 1)]),
    ("SmoothL1Criterion", lambda: nn.SmoothL1Criterion(), lambda: R(3, 4), lambda: R(3, 4)),
    ("SoftMarginCriterion", lambda: nn.SoftMarginCriterion(), lambda: R(3, 4),
     lambda: torch.Tensor(3, 4).bernoulli(0.5).mul(2).add(-1)),
    ("SpatialAutoCropMSECriterion", lambda: nn.SpatialAutoCropMSECriterion(), lambda: R(2, 2, 3, 2),
     lambda: R(2, 2, 6, 5)),
    ("SpatialClassNLLCriterion", lambda: nn.SpatialClassNLLCriterion(P(4)), lambda: R(2, 4, 3, 2),
     lambda: L(*(_rng.integers(0, 4, 12).tolist())).view(2, 3, 2)),
    ("WeightedMSECriterion", lambda: nn.WeightedMSECriterion(torch.Tensor([1.0, -2.0, 0.5])), lambda: R(4, 3),
     lambda: R(4, 3)),
]

# ---- in-memory round trip through the class hooks ------------------------------------------------------------------


def _roundtrip(v, memo=None):
    """A copy of ``v`` built as the reader would from what the writer would write (sharing preserved)."""
    memo = {} if memo is None else memo
    key = id(v)
    if key in memo:
        return memo[key][1]
    if v is None or isinstance(v, (bool, int, float, str, bytes)):
        return v
    if torch.isStorage(v):
        c = v.clone() if hasattr(v, "clone") else type(v)(v.size()).copy(v)
        memo[key] = (v, c)
        return c
    if torch.isTensor(v):
        c = type(v)()
        memo[key] = (v, c)
        if v.storage() is not None and v.nElement():
            c.set(_roundtrip(v.storage(), memo), v.storageOffset(), v.size(), v.stride())
        return c
    if isinstance(v, (list, tuple)):
        c = []
        memo[key] = (v, c)
        c.extend(_roundtrip(x, memo) for x in v)
        return c
    if isinstance(v, dict):
        c = {}
        memo[key] = (v, c)
        for k, x in v.items():
            c[_roundtrip(k, memo)] = _roundtrip(x, memo)
        return c
    info = object_payload(v)
    if info is None:
        raise TypeError(f"cannot write object of type {type(v).__name__}")
    name, version, payload = info
    inst = new_instance(name)
    assert inst is not None, name
    memo[key] = (v, inst)
    fields = _roundtrip(payload, memo)  # the memo keeps the temporary payload alive: its id is not reused
    out = fill_instance(inst, version, fields)
    memo[key] = (v, out)
    return out


def _arrays(x):
    if isinstance(x, (list, tuple)):
        return [a for v in x for a in _arrays(v)]
    if torch.isTensor(x):
        return [np.array(x.numpy(), np.float64)]
    if isinstance(x, np.ndarray):
        return [x]
    return [np.array(float(x))]


def _same(a, b, tol=0.0):
    aa, bb = _arrays(a), _arrays(b)
    assert len(aa) == len(bb)
    for x, y in zip(aa, bb):
        assert x.shape == y.shape
        np.testing.assert_allclose(x, y, rtol=tol, atol=tol)


def _copy_in(x):
    if isinstance(x, (list, tuple)):
        return [_copy_in(v) for v in x]
    return x.clone() if torch.isTensor(x) else x


def _snapshot(x):
    return [a.copy() for a in _arrays(x)]


def _forward(m, inp, target=None, crit=False):
    if crit:
        return _snapshot(m.forward(_copy_in(inp), _copy_in(target)))
    return _snapshot(m.forward(_copy_in(inp)))


# ---- tests ---------------------------------------------------------------------------------------------------------

MODULE_IDS = [c[0] for c in MODULES]
CRIT_IDS = [c[0] for c in CRITERIONS]


def test_every_registered_class_has_a_case():
    built = {type(c[1]())._typename for c in MODULES + CRITERIONS}
    # only the package's own classes: tests elsewhere register user classes (nn.TimesTwo, ...)
    ours = {name for name, cls in nn.REGISTRY.items() if cls.__module__.startswith("torch7.nn.")}
    missing = sorted(ours - built - {"OneHot", "nn._Extreme"})
    assert missing == []
    assert new_instance("OneHot").__class__ is CharRNNOneHot  # char-rnn's global OneHot class


def test_every_class_has_a_prototype_and_loading_keeps_the_random_stream():
    convert._protos.clear()
    state = torch.getRNGState()
    for name, cls in nn.REGISTRY.items():
        if not cls.__module__.startswith("torch7.nn."):
            continue  # user classes registered by other tests
        assert convert._prototype(cls) is not None, name
        fill_instance(new_instance(name), 1, {})
    after = torch.getRNGState()
    assert np.array_equal(np.asarray(after.numpy()), np.asarray(state.numpy()))


@pytest.mark.parametrize("case", MODULES, ids=MODULE_IDS)
def test_module_roundtrip_same_outputs(case):
    name, make, inp = case
    m = make()
    if inp is None:
        c = _roundtrip(m)
        assert type(c) is type(m)
        return
    x = inp()
    expected = _forward(m, x)
    c = _roundtrip(m)
    assert type(c) is type(m) and c is not m
    _same(_forward(c, x), expected)
    # and again, after a second round trip of the copy (buffers filled by the forward above)
    _same(_forward(_roundtrip(c), x), expected)


@pytest.mark.parametrize("case", CRITERIONS, ids=CRIT_IDS)
def test_criterion_roundtrip_same_outputs(case):
    name, make, inp, target = case
    m = make()
    if inp is None:
        assert type(_roundtrip(m)) is type(m)
        return
    x = inp()
    t = target() if target is not None else None
    expected = _forward(m, x, t, crit=True)
    c = _roundtrip(m)
    assert type(c) is type(m) and c is not m
    _same(_forward(c, x, t, crit=True), expected)
    _same(_forward(_roundtrip(c), x, t, crit=True), expected)


_LUA_VALUES = [
    (lambda: nn.Narrow(0, 1, 2), {"dimension": 1, "index": 2, "length": 2}),
    (lambda: nn.Narrow(-1, -2, -1), {"dimension": -1, "index": -2, "length": -1}),
    (lambda: nn.Select(1, 0), {"dimension": 2, "index": 1}),
    (lambda: nn.Sum(1, 2), {"dimension": 2, "nInputDims": 2}),
    (lambda: nn.Mean(0), {"dimension": 1}),
    (lambda: nn.Max(2), {"dimension": 3}),
    (lambda: nn.Min(-1), {"dimension": -1}),
    (lambda: nn.JoinTable(0, 2), {"dimension": 1, "nInputDims": 2}),
    (lambda: nn.SplitTable(1), {"dimension": 2}),
    (lambda: nn.Concat(1), {"dimension": 2}),
    (lambda: nn.DepthConcat(0), {"dimension": 1}),
    (lambda: nn.Parallel(0, 1), {"inputDimension": 1, "outputDimension": 2}),
    (lambda: nn.Transpose((0, 1), (2, 3)), {"permutations": [[1, 2], [3, 4]]}),
    (lambda: nn.Padding(1, -2, 3, 7, 1), {"dim": 2, "pad": -2, "nInputDim": 3, "value": 7, "index": 2}),
    (lambda: nn.Replicate(3, 1, 2), {"nfeatures": 3, "dim": 2, "ndim": 2}),
    (lambda: nn.Unsqueeze(0, 2), {"pos": 1, "numInputDims": 2}),
    (lambda: nn.Squeeze(2), {"dim": 3}),
    (lambda: nn.Index(0), {"dimension": 1}),
    (lambda: nn.SelectTable(0), {"index": 1}),
    (lambda: nn.SelectTable(-1), {"index": -1}),
    (lambda: nn.NarrowTable(1, 2), {"offset": 2, "length": 2}),
    (lambda: nn.MixtureTable(2), {"dim": 3}),
    (lambda: nn.GatedLinearUnit(0), {"dim": 1}),
    (lambda: nn.WeightNorm(nn.Linear(3, 2), 1), {"outputDim": 2}),
    (lambda: nn.Convert("bchw", "chwb"), {"inputBatchDim": 1, "outputBatchDim": 4}),
    (lambda: nn.GPU(nn.Identity(), 0), {"device": 1, "outdevice": 1}),
    (lambda: nn.ClassNLLCriterion(None, True, 2), {"ignoreIndex": 3}),
    (lambda: nn.ClassNLLCriterion(), {"ignoreIndex": -100}),
    (lambda: nn.View(3, 4), {"numElements": 12}),
]


@pytest.mark.parametrize("i", range(len(_LUA_VALUES)))
def test_payload_holds_torch7_values(i):
    make, want = _LUA_VALUES[i]
    m = make()
    name, version, payload = object_payload(m)
    assert name == m._typename and version == 1
    for k, v in want.items():
        assert payload[k] == v, k
    back = fill_instance(new_instance(name), version, payload)
    for k in want:
        assert getattr(back, k) == getattr(m, k), k


def test_payload_leaves_out_nil_fields_and_keeps_python_values():
    m = nn.Linear(3, 2).noBias()
    name, _, payload = object_payload(m)
    assert name == "nn.Linear" and "bias" not in payload and payload["weight"] is m.weight
    assert "nInputDims" not in object_payload(nn.Sum(0))[2]
    s = nn.Sequential().add(nn.Tanh())
    assert object_payload(s)[2]["modules"] is s.modules  # nested modules: the writer asks for their payloads


def test_index_tensors_are_shifted_copies():
    m = nn.Max(1)
    x = R(3, 4)
    m.forward(x)
    idx = m._indices.clone()
    payload = object_payload(m)[2]
    assert payload["_indices"] is not m._indices
    np.testing.assert_array_equal(payload["_indices"].numpy(), idx.numpy() + 1)
    np.testing.assert_array_equal(m._indices.numpy(), idx.numpy())  # the module's tensor is left alone
    back = fill_instance(new_instance("nn.Max"), 1, payload)
    np.testing.assert_array_equal(back._indices.numpy(), idx.numpy())
    np.testing.assert_array_equal(payload["_indices"].numpy(), idx.numpy() + 1)  # the file's tensor too

    c = nn.CMaxTable()
    c.forward([R(4), R(4), R(4)])
    np.testing.assert_array_equal(object_payload(c)[2]["maxIdx"].numpy(), c.maxIdx.numpy() + 1)
    nll = nn.ClassNLLCriterion()
    nll.forward(R(3, 4), L(0, 3, 1))
    assert object_payload(nll)[2]["target"].tolist() == [1, 4, 2]


def test_sparse_linear_formatted_input():
    m = nn.SparseLinear(10, 3)
    x = [_sparse(3), _sparse(2)]
    m.forward(x)
    fi = m.formatted_input.clone()
    written = object_payload(m)[2]["formatted_input"]
    np.testing.assert_array_equal(written.numpy()[:, :2], fi.numpy()[:, :2] + 1)
    np.testing.assert_array_equal(written.numpy()[:, 2], fi.numpy()[:, 2])
    back = _roundtrip(m)
    np.testing.assert_array_equal(back.formatted_input.numpy(), fi.numpy())
    _same(back.forward(x), m.forward(x))


def test_partial_linear_keeps_partition_alias():
    m = nn.PartialLinear(3, 4)
    assert m.partition is m.allcolumns
    payload = object_payload(m)[2]
    assert payload["allcolumns"].tolist() == [1, 2, 3, 4] and payload["partition"] is payload["allcolumns"]
    back = _roundtrip(m)
    assert back.partition is back.allcolumns and back.allcolumns.tolist() == [0, 1, 2, 3]


def test_label_conversion():
    cls = nn.ClassNLLCriterion
    for lua, py in ((1, 0), (0, -1), (-100, -100), (5, 4)):
        assert convert.to_python(cls, 1, {"ignoreIndex": lua})["ignoreIndex"] == py
        c = new_instance("nn.ClassNLLCriterion")
        fill_instance(c, 1, {"ignoreIndex": lua})
        assert object_payload(c)[2]["ignoreIndex"] == lua


def test_float_dims_from_lua_numbers():
    m = fill_instance(new_instance("nn.Narrow"), 1, {"dimension": 2.0, "index": 3.0, "length": 1})
    assert (m.dimension, m.index) == (1, 2)
    assert m.forward(torch.Tensor([[1, 2, 3, 4]])).tolist() == [[3.0]]


# ---- old layouts and missing fields --------------------------------------------------------------------------------


def _lua_fields(m):
    """Only the fields Torch7 itself stores in a saved net (OpenCV's nets drop output/gradInput too)."""
    return object_payload(m)[2]


def test_dropout_without_v2_is_v1():
    p = {"p": 0.25, "train": False, "noise": torch.Tensor()}
    m = fill_instance(new_instance("nn.Dropout"), 1, p)
    assert m.v2 is False
    assert m.forward(torch.ones(3)).tolist() == [0.75] * 3
    m2 = fill_instance(new_instance("nn.Dropout"), 1, dict(p, v2=True))
    assert m2.forward(torch.ones(3)).tolist() == [1.0] * 3


def test_old_sum_squeezes_and_has_defaults():
    m = fill_instance(new_instance("nn.Sum"), 1, {"dimension": 2})
    assert m.squeeze is True and m.nInputDims is None and m.sizeAverage is False
    assert m.forward(torch.Tensor([[1, 2], [3, 4]])).tolist() == [3.0, 7.0]


def test_gradient_reversal_version():
    name, version, payload = object_payload(nn.GradientReversal(0.5))
    assert version == 2 and payload["lambda"] == 0.5
    old = fill_instance(new_instance(name), 1, {})
    assert getattr(old, "lambda") == 1


def test_missing_output_gradinput_type_get_defaults():
    lin = nn.Linear(3, 2)
    fields = {"weight": lin.weight.float(), "bias": lin.bias.float()}
    m = fill_instance(new_instance("nn.Linear"), 1, fields)
    assert m._type == "torch.FloatTensor" and m.output.type() == "torch.FloatTensor"
    assert m.gradInput.type() == "torch.FloatTensor"
    assert m.forward(torch.FloatTensor([1, 2, 3])).type() == "torch.FloatTensor"
    t = fill_instance(new_instance("nn.ConcatTable"), 1, {"modules": [nn.Identity()]})
    assert t.output == [] and t._type == "torch.DoubleTensor"
    c = fill_instance(new_instance("nn.MSECriterion"), 1, {"sizeAverage": True})
    assert c.output == 0 and c.forward(torch.Tensor([1, 2]), torch.Tensor([1, 4])) == 2.0
    old = fill_instance(new_instance("nn.Threshold"), 1, {"threshold": 0.5, "val": 0})
    assert old.inplace is False
    hardtanh = fill_instance(new_instance("nn.HardTanh"), 1, {})
    assert hardtanh.forward(torch.Tensor([-3, 0.5, 3])).tolist() == [-1, 0.5, 1]


# ---- convolution, pooling and normalization layouts ----------------------------------------------------------------


_POOLS = [
    ("SpatialMaxPooling", lambda: nn.SpatialMaxPooling(3, 2, 2, 1, 1, 1).ceil(), lambda: R(2, 3, 7, 6)),
    ("SpatialDilatedMaxPooling", lambda: nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2), lambda: R(3, 6, 5)),
    ("SpatialAdaptiveMaxPooling", lambda: nn.SpatialAdaptiveMaxPooling(3, 2), lambda: R(2, 3, 5, 7)),
    ("SpatialFractionalMaxPooling", lambda: _fixed(nn.SpatialFractionalMaxPooling(2, 2, 3, 3)), lambda: R(2, 6, 7)),
    ("VolumetricMaxPooling", lambda: nn.VolumetricMaxPooling(2, 2, 2), lambda: R(2, 2, 4, 4, 4)),
    ("VolumetricDilatedMaxPooling", lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 2),
     lambda: R(2, 5, 4, 5)),
    ("VolumetricFractionalMaxPooling", lambda: _fixed(nn.VolumetricFractionalMaxPooling(2, 2, 2, 2, 3, 2)),
     lambda: R(2, 5, 6, 5)),
    ("TemporalDynamicKMaxPooling", lambda: nn.TemporalDynamicKMaxPooling(3), lambda: R(2, 7, 3)),
]


@pytest.mark.parametrize("case", _POOLS, ids=[c[0] for c in _POOLS])
def test_pooling_indices_are_written_1_based(case):
    name, make, inp = case
    assert "nn." + name in nn.REGISTRY
    m = make()
    x = inp()
    out = m.forward(x).clone()
    ours = m.indices.clone()
    assert ours.type() == "torch.LongTensor" and int(ours.min()) >= 0
    typename, version, payload = object_payload(m)
    np.testing.assert_array_equal(payload["indices"].numpy(), ours.numpy() + 1)  # Lua's 1-based positions
    np.testing.assert_array_equal(m.indices.numpy(), ours.numpy())  # the module's own tensor is left alone
    back = fill_instance(new_instance(typename), version, payload)
    np.testing.assert_array_equal(back.indices.numpy(), ours.numpy())
    # the loaded indices drive the backward as they are (no forward in between)
    if name != "TemporalDynamicKMaxPooling":
        g = R(*out.size())
        np.testing.assert_array_equal(back.updateGradInput(x, g).numpy(), m.updateGradInput(x, g).numpy())


def test_old_float_indices_are_dropped_and_temporal_offsets_kept():
    m = fill_instance(new_instance("nn.SpatialMaxPooling"), 1,
                      {"kW": 2, "kH": 2, "dW": 2, "dH": 2, "indices": torch.Tensor(2, 3, 2, 2).fill(1)})
    assert m.indices.type() == "torch.LongTensor" and m.indices.nElement() == 0
    assert (m.padW, m.padH, m.ceil_mode) == (0, 0, False)  # files from before padding and ceil mode
    x = R(3, 4, 5)
    assert m.forward(x).size() == torch.Size([3, 2, 2])
    t = nn.TemporalMaxPooling(2)
    t.forward(R(6, 3))
    payload = object_payload(t)[2]  # THNN stores 0-based offsets in the window, as this library does
    np.testing.assert_array_equal(payload["indices"].numpy(), t.indices.numpy())


def test_max_unpooling_shares_its_pooling_indices():
    pool = nn.SpatialMaxPooling(2, 2)
    unpool = nn.SpatialMaxUnpooling(pool)
    net = nn.Sequential().add(pool).add(unpool)
    x = R(2, 3, 4, 6)
    want = net.forward(x).clone()
    back = _roundtrip(net)
    p2, u2 = back.modules
    assert u2.pooling is p2 and u2.indices is p2.indices
    np.testing.assert_array_equal(p2.indices.numpy(), pool.indices.numpy())
    _same(back.forward(x), want)


def test_spatial_convolution_old_layouts():
    ref = nn.SpatialConvolution(3, 4, 3, 2, 1, 1, 1, 1)
    x = R(2, 3, 5, 6)
    want = ref.forward(x).clone()
    w2 = ref.weight.clone().view(4, 3 * 2 * 3)
    old = {"nInputPlane": 3, "nOutputPlane": 4, "kW": 3, "kH": 2, "dW": 1, "dH": 1, "padding": 1,
           "weight": w2, "gradWeight": w2.clone().zero(), "bias": ref.bias.clone()}
    m = fill_instance(new_instance("nn.SpatialConvolution"), 1, dict(old))
    assert (m.padW, m.padH) == (1, 1) and "padding" not in vars(m)
    assert m.weight.size() == torch.Size([4, 3, 2, 3]) and m.gradWeight.size() == torch.Size([4, 3, 2, 3])
    _same(m.forward(x), want)
    mm = fill_instance(new_instance("nn.SpatialConvolutionMM"), 1, dict(old))
    assert mm.weight.size() == torch.Size([4, 18]) and (mm.padW, mm.padH) == (1, 1)  # MM keeps its 2-D weight
    _same(mm.forward(x), want)
    mm4 = fill_instance(new_instance("nn.SpatialConvolutionMM"), 1,
                        dict(old, weight=ref.weight.clone(), padW=1, padH=1))  # a 4-D weight: viewed 2-D
    assert mm4.weight.size() == torch.Size([4, 18])
    _same(mm4.forward(x), want)
    nopad = {k: v for k, v in old.items() if k != "padding"}
    m0 = fill_instance(new_instance("nn.SpatialConvolution"), 1, nopad)  # 2013 files: no padding at all
    assert (m0.padW, m0.padH) == (0, 0) and m0.forward(x).size() == torch.Size([2, 4, 4, 4])


def test_spatial_average_pooling_old_layouts():
    x = R(2, 3, 6, 6)
    old = fill_instance(new_instance("nn.SpatialAveragePooling"), 1, {"kW": 2, "kH": 3, "dW": 2, "dH": 3})
    assert (old.padW, old.padH, old.ceil_mode, old.count_include_pad) == (0, 0, False, True)
    assert old.divide is False  # Torch7 multiplies by kW*kH when the field is missing (sum pooling)
    a = x.numpy()
    sums = a.reshape(2, 3, 2, 3, 3, 2).sum(axis=(3, 5))
    np.testing.assert_allclose(old.forward(x).numpy(), sums, rtol=1e-12)
    new = fill_instance(new_instance("nn.SpatialAveragePooling"), 1,
                        {"kW": 2, "kH": 3, "dW": 2, "dH": 3, "divide": True})
    np.testing.assert_allclose(new.forward(x).numpy(), sums / 6, rtol=1e-12)
    keep = fill_instance(new_instance("nn.SpatialAveragePooling"), 1,
                         {"kW": 2, "kH": 2, "padW": 1, "padH": 1, "ceil_mode": True, "count_include_pad": False,
                          "divide": True, "dW": 1, "dH": 1})
    assert (keep.padW, keep.ceil_mode, keep.count_include_pad) == (1, True, False)


def test_full_convolution_without_adj():
    ref = nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)
    x = R(2, 2, 3, 4)
    want = ref.forward(x).clone()
    fields = {k: v for k, v in object_payload(ref)[2].items() if k not in ("adjW", "adjH")}
    m = fill_instance(new_instance("nn.SpatialFullConvolution"), 1, fields)
    assert (m.adjW, m.adjH) == (0, 0)
    _same(m.forward(x), want)


def test_volumetric_full_convolution_without_adj():
    ref = nn.VolumetricFullConvolution(2, 3, 2, 2, 2, 2, 2, 2)
    x = R(2, 2, 2, 3, 2)
    want = ref.forward(x).clone()
    fields = {k: v for k, v in object_payload(ref)[2].items() if k not in ("adjT", "adjW", "adjH")}
    m = fill_instance(new_instance("nn.VolumetricFullConvolution"), 1, fields)
    assert (m.adjT, m.adjW, m.adjH) == (0, 0, 0)
    _same(m.forward(x), want)


def test_volumetric_max_pooling_version():
    m = nn.VolumetricMaxPooling(2, 2, 2).ceil()
    name, version, payload = object_payload(m)
    assert version == 2 and payload["ceil_mode"] is True
    assert fill_instance(new_instance(name), 2, dict(payload)).ceil_mode is True
    old = fill_instance(new_instance(name), 1, dict(payload))  # VolumetricMaxPooling:read, version < 2
    assert old.ceil_mode is False
    bare = fill_instance(new_instance(name), 1, {"kT": 2, "kW": 2, "kH": 2, "dT": 2, "dW": 2, "dH": 2})
    assert (bare.padT, bare.padW, bare.padH) == (0, 0, 0)
    assert bare.forward(R(2, 4, 4, 4)).size() == torch.Size([2, 2, 2, 2])


def test_first_volumetric_layouts():
    x = R(2, 4, 4, 6)
    m = fill_instance(new_instance("nn.VolumetricAveragePooling"), 1,
                      {"kT": 2, "kW": 3, "kH": 2, "dT": 2, "dW": 3, "dH": 2})
    assert (m.padT, m.padW, m.padH, m.ceil_mode, m.count_include_pad) == (0, 0, 0, False, True)
    want = x.numpy().reshape(2, 2, 2, 2, 2, 2, 3).mean(axis=(2, 4, 6))
    np.testing.assert_allclose(m.forward(x).numpy(), want, rtol=1e-12)
    ref = nn.VolumetricConvolution(2, 3, 2, 2, 2)
    fields = {k: v for k, v in object_payload(ref)[2].items() if k not in ("padT", "padW", "padH")}
    c = fill_instance(new_instance("nn.VolumetricConvolution"), 1, fields)
    assert (c.padT, c.padW, c.padH) == (0, 0, 0)
    _same(c.forward(x), ref.forward(x))


def test_batch_normalization_running_std_upgrade():
    ref = _running_stats(nn.SpatialBatchNormalization(3, 1e-3), 4, 3, 2, 2)
    x = R(2, 3, 2, 2)
    want = ref.forward(x).clone()
    name, version, payload = object_payload(ref)
    assert name == "nn.SpatialBatchNormalization" and version == 2
    assert object_payload(nn.BatchNormalization(2))[1] == 2
    old = {k: v for k, v in payload.items() if k != "running_var"}
    old["running_std"] = ref.running_var.clone().add(ref.eps).pow(-0.5)  # what version 1 stored
    m = fill_instance(new_instance(name), 1, old)
    assert "running_std" not in vars(m)
    np.testing.assert_allclose(m.running_var.numpy(), ref.running_var.numpy(), rtol=1e-10)
    _same(m.forward(x), want, 1e-12)
    kept = fill_instance(new_instance(name), 2, dict(payload, running_std=torch.ones(3)))
    assert torch.isTensor(kept.running_std)  # version 2 files: running_var as it is
    np.testing.assert_array_equal(kept.running_var.numpy(), ref.running_var.numpy())
    bare = fill_instance(new_instance("nn.BatchNormalization"), 2,
                         {"running_mean": torch.zeros(2), "running_var": torch.ones(2), "train": False})
    assert (bare.eps, bare.momentum, bare.affine) == (1e-5, 0.1, True)


def test_lookup_table_padding_value_and_version():
    m = nn.LookupTable(6, 2)
    name, version, payload = object_payload(m)
    assert name == "nn.LookupTable" and version == 4 and payload["paddingValue"] == 0  # Lua: 0 = no padding
    back = fill_instance(new_instance(name), version, payload)
    assert back.paddingValue is None
    p = nn.LookupTable(6, 2, 3)
    assert object_payload(p)[2]["paddingValue"] == 4
    lua = fill_instance(new_instance(name), 4, {"weight": R(6, 2), "gradWeight": torch.zeros(6, 2),
                                                "paddingValue": 2})
    assert lua.paddingValue == 1
    idx = L(1, 3, 1)
    lua.forward(idx)
    lua.backward(idx, torch.ones(3, 2))
    assert lua.gradWeight.numpy()[1].tolist() == [0, 0] and lua.gradWeight.numpy()[3].tolist() == [1, 1]
    # version 1 files (fields of that time) still run
    v1 = fill_instance(new_instance(name), 1, {"weight": R(6, 2), "gradWeight": torch.zeros(6, 2),
                                               "size": torch.LongStorage([6, 2]), "inputs": {}})
    assert v1.paddingValue is None and v1.shouldScaleGradByFreq is False
    assert v1.forward(L(5, 0)).size() == torch.Size([2, 2])


@pytest.mark.parametrize("cls", ["SpatialConvolutionMap", "SpatialFullConvolutionMap"])
def test_connection_tables_are_1_based_in_files(cls):
    table = nn.tables.random(3, 4, 2)
    m = getattr(nn, cls)(table, 3, 2)
    x = R(2, 3, 5, 6)
    want = m.forward(x).clone()
    name, version, payload = object_payload(m)
    np.testing.assert_array_equal(payload["connTable"].numpy(), table.numpy() + 1)
    assert payload["connTable"].numpy().min() == 1
    back = fill_instance(new_instance(name), version, payload)
    np.testing.assert_array_equal(back.connTable.numpy(), m.connTable.numpy())
    _same(back.forward(x), want)


@pytest.mark.parametrize("case", MODULES, ids=MODULE_IDS)
def test_module_loads_without_python_only_empty_fields(case):
    """A file without the empty fields (None, flags, empty buffers) still gives a working module."""
    name, make, inp = case
    m = make()
    if inp is None:
        return
    x = inp()
    expected = _forward(m, x)
    name, version, payload = object_payload(m)
    slim = {k: v for k, v in payload.items() if not convert._is_empty_default(v) or isinstance(v, (bool, str))}
    if name != "nn.Copy":  # Copy's output type is its output tensor's
        slim.pop("output", None)
        slim.pop("gradInput", None)
    c = fill_instance(new_instance(name), version, _roundtrip(slim))
    _same(_forward(c, x), expected)


# ---- other classes -------------------------------------------------------------------------------------------------


def test_confusion_matrix_and_logger(tmp_path):
    from torch7 import optim

    cm = optim.ConfusionMatrix(3, ["a", "b", "c"])
    cm.batchAdd(L(0, 1, 2, 2), L(0, 1, 1, 2))
    cm.updateValids()
    c = _roundtrip(cm)
    assert type(c) is optim.ConfusionMatrix and c.classes == ["a", "b", "c"]
    assert c.mat.tolist() == cm.mat.tolist() and c.totalValid == cm.totalValid
    name, version, payload = object_payload(cm)
    assert name == "optim.ConfusionMatrix" and version == 1

    log = optim.Logger(str(tmp_path / "log.txt"))
    log.setNames(["loss"])
    log.add([0.5])
    name, _, payload = object_payload(log)
    assert name == "optim.Logger" and "file" not in payload
    back = _roundtrip(log)
    assert type(back) is optim.Logger and back.file is None and back.names == log.names
    log.file.close()


class _Blah:
    pass


def test_register_class_and_unknown():
    from torch7.serialization import classes

    name = "test_t7_classes.Blah"  # a name no other test uses; unregistered at the end
    register_class(name, _Blah)
    try:
        obj = new_instance(name)
        assert type(obj) is _Blah
        out = fill_instance(obj, 1, {"x": 3, "dim": 2})
        assert out is obj and obj.x == 3 and obj.dim == 2  # user classes: no conversion
        assert object_payload(obj) == (name, 1, {"x": 3, "dim": 2})
    finally:
        classes._USER.pop(name, None)
    assert new_instance(name) is None and object_payload(_Blah()) is None
    assert new_instance("nn.NoSuchModule") is None
    assert new_instance("nngraph.NoSuchClass") is None
    assert object_payload(object()) is None
    assert object_payload(np.zeros(2)) is None
    with pytest.raises(TypeError):
        register_class("", _Blah)


def test_non_table_payload_becomes_torch_object():
    from torch7.serialization.objects import TorchObject

    out = fill_instance(new_instance("nn.Linear"), 1, [1, 2])
    assert isinstance(out, TorchObject) and out.typename == "nn.Linear" and out.fields == [1, 2]


# ---- full serialize / deserialize (needs the reader and writer) ----------------------------------------------------

def _serialize(obj, fmt):
    from torch7 import serialization

    return serialization.deserialize(serialization.serialize(obj, fmt), fmt)


@pytest.mark.parametrize("fmt", ["binary", "ascii"])
@pytest.mark.parametrize("case", MODULES, ids=MODULE_IDS)
def test_module_serialize_roundtrip(case, fmt):
    name, make, inp = case
    m = make()
    if inp is None:
        assert type(_serialize(m, fmt)) is type(m)
        return
    x = inp()
    expected = _forward(m, x)
    c = _serialize(m, fmt)
    assert type(c) is type(m)
    _same(_forward(c, x), expected)


@pytest.mark.parametrize("case", CRITERIONS, ids=CRIT_IDS)
def test_criterion_serialize_roundtrip(case):
    name, make, inp, target = case
    m = make()
    if inp is None:
        assert type(_serialize(m, "binary")) is type(m)
        return
    x = inp()
    t = target() if target is not None else None
    expected = _forward(m, x, t, crit=True)
    c = _serialize(m, "binary")
    _same(_forward(c, x, t, crit=True), expected)


def test_inception_gradients_and_module_checks():
    """dpnn's Inception: Jacobians (input and parameters), type/clone/io round trips, Decorator print."""
    from nn_checks import check_module

    def make():
        return nn.Inception(inputSize=2, outputSize=[2], reduceSize=[2, 1, 1], kernelSize=[3], kernelStride=[1],
                            transfer=nn.Tanh())

    check_module(make, lambda: R(2, 2, 4, 4), repr_startswith="nn.Inception @ nn.DepthConcat")
    check_module(make, lambda: R(2, 4, 4), jacobian=True)
    with pytest.raises(ValueError, match="reduceSize"):
        nn.Inception(inputSize=2, outputSize=[2])
