"""The per-class tables behind ``convert``: which stored fields are 1-based in Torch7, the
serialization versions, defaults for fields old files lack, and constructor arguments of the small
prototype instances. Data only; ``convert`` explains the kinds.
"""

from __future__ import annotations


def _zeros1():
    import torch7 as torch

    return torch.zeros(1)

DIM = "dim"
LABEL = "label"
INDEX = "index"
PAIRS = "pairs"
SPARSE = "sparse"
POOL_INDEX = "pool_index"
PAD = "pad"

# typename -> {field: kind}. Looked up along the Python class's MRO, so subclasses (Mean of Sum,
# DepthConcat of Concat, Max/Min of _Extreme) inherit their base class's entries.
FIELDS: dict[str, dict[str, str]] = {
    "nn.Narrow": {"dimension": DIM, "index": DIM},
    "nn.Select": {"dimension": DIM, "index": DIM},
    "nn.Sum": {"dimension": DIM},
    "nn.Mean": {"dimension": DIM},
    "nn._Extreme": {"dimension": DIM, "_indices": INDEX},
    "nn.Max": {"dimension": DIM, "_indices": INDEX},
    "nn.Min": {"dimension": DIM, "_indices": INDEX},
    "nn.JoinTable": {"dimension": DIM},
    "nn.SplitTable": {"dimension": DIM},
    "nn.Concat": {"dimension": DIM},
    "nn.DepthConcat": {"dimension": DIM},
    "nn.Parallel": {"inputDimension": DIM, "outputDimension": DIM},
    "nn.Transpose": {"permutations": PAIRS},
    "nn.Padding": {"dim": DIM, "index": DIM},
    "nn.Replicate": {"dim": DIM},
    "nn.Unsqueeze": {"pos": DIM},
    "nn.Squeeze": {"dim": DIM},
    "nn.Index": {"dimension": DIM},
    "nn.SelectTable": {"index": DIM},
    "nn.NarrowTable": {"offset": DIM},
    "nn.MixtureTable": {"dim": DIM},
    "nn.GatedLinearUnit": {"dim": DIM},
    "nn.CMaxTable": {"maxIdx": INDEX},
    "nn.CMinTable": {"minIdx": INDEX},
    "nn.ClassNLLCriterion": {"target": INDEX, "ignoreIndex": LABEL},
    "nn.SpatialClassNLLCriterion": {"target": INDEX, "ignoreIndex": LABEL},
    "nn.WeightNorm": {"outputDim": DIM},
    "nn.Convert": {"inputBatchDim": DIM, "outputBatchDim": DIM},
    "nn.GPU": {"device": DIM, "outdevice": DIM},
    "nn.Kmeans": {"_minIndx": INDEX},
    "nn.Normalize": {"_indices": INDEX},
    "nn.PartialLinear": {"allcolumns": INDEX, "partition": INDEX},
    "nn.OneHot": {"_single": INDEX, "_input": INDEX},
    "nn.MaskedSelect": {"_maskIndices": INDEX, "_maskIndexBuffer": INDEX},
    "nn.SparseLinear": {"formatted_input": SPARSE},
    "nn.SpatialMaxPooling": {"indices": POOL_INDEX},
    "nn.SpatialAdaptiveMaxPooling": {"indices": POOL_INDEX},
    "nn.SpatialFractionalMaxPooling": {"indices": POOL_INDEX},
    "nn.VolumetricMaxPooling": {"indices": POOL_INDEX},
    "nn.VolumetricFractionalMaxPooling": {"indices": POOL_INDEX},
    "nn.SpatialMaxUnpooling": {"indices": POOL_INDEX},
    "nn.VolumetricMaxUnpooling": {"indices": POOL_INDEX},
    "nn.TemporalDynamicKMaxPooling": {"indices": INDEX},
    "nn.LookupTable": {"paddingValue": PAD, "_input": INDEX},
    "nn.SpatialConvolutionMap": {"connTable": INDEX},
    "nn.SpatialFullConvolutionMap": {"connTable": INDEX},
}

# Serialization versions ("V n") of the classes that declare one in Torch7.
VERSIONS: dict[str, int] = {"nn.GradientReversal": 2, "nn.BatchNormalization": 2, "nn.LookupTable": 4,
                            "nn.VolumetricMaxPooling": 2}

# Torch7's defaults of numeric fields that old files may lack (after conversion, i.e. 0-based).
DEFAULTS: dict[str, dict[str, object]] = {
    "nn.GradientReversal": {"lambda": 1},
    "nn.SoftPlus": {"beta": 1, "threshold": 20},
    "nn.Threshold": {"threshold": 1e-6, "val": 0},
    "nn.HardTanh": {"min_val": -1, "max_val": 1},
    "nn.LeakyReLU": {"negval": 0.01},
    "nn.ELU": {"alpha": 1},
    "nn.Padding": {"value": 0, "index": 0},
    "nn.Replicate": {"dim": 0},
    "nn.Sum": {"dimension": 0},
    "nn.Max": {"dimension": 0},
    "nn.Min": {"dimension": 0},
    "nn.Normalize": {"eps": 1e-10},
    "nn.Dropout": {"p": 0.5},
    "nn.ClassNLLCriterion": {"ignoreIndex": -100},
    "nn.Criterion": {"output": 0},
    "nn.BatchNormalization": {"eps": 1e-5, "momentum": 0.1, "affine": True},
}

# Constructor arguments of a small instance of the classes whose constructor needs some: the empty
# fields (None, booleans, empty tensors/lists/dicts) of that instance are the defaults of fields a file
# lacks (Torch7 writes no nil fields, and old files lack fields added later).
_PROTO_ARGS = {
    "nn.LSTM": lambda nn: (2, 2), "nn.GRU": lambda nn: (2, 2), "nn.RNN": lambda nn: (2, 2),
    "nn.VanillaRNN": lambda nn: (2, 2), "nn.TemporalAdapter": lambda nn: (nn.Identity(),),
    "OneHot": lambda nn: (2,), "nn.OneHot": lambda nn: (2,), "nn.Add": lambda nn: (2,),
    "nn.AddConstant": lambda nn: (1,), "nn.MulConstant": lambda nn: (1,), "nn.Bilinear": lambda nn: (2, 2, 2),
    "nn.Bottle": lambda nn: (nn.Identity(),), "nn.CAdd": lambda nn: (2,), "nn.CMul": lambda nn: (2,),
    "nn.CReLU": lambda nn: (1,), "nn.Clamp": lambda nn: (0, 1), "nn.ClassSimplexCriterion": lambda nn: (2,),
    "nn.Collapse": lambda nn: (1,), "nn.Concat": lambda nn: (0,), "nn.DepthConcat": lambda nn: (0,),
    "nn.Constant": lambda nn: (1,), "nn.Cosine": lambda nn: (2, 2), "nn.Euclidean": lambda nn: (2, 2),
    "nn.WeightedEuclidean": lambda nn: (2, 2), "nn.CriterionTable": lambda nn: (nn.MSECriterion(),),
    "nn.ModuleCriterion": lambda nn: (nn.MSECriterion(),), "nn.Decorator": lambda nn: (nn.Identity(),),
    "nn.DontCast": lambda nn: (nn.Identity(),), "nn.GPU": lambda nn: (nn.Identity(), 0),
    "nn.NaN": lambda nn: (nn.Identity(), 0), "nn.Profile": lambda nn: (nn.Identity(),),
    "nn.MapTable": lambda nn: (nn.Identity(),), "nn.WeightNorm": lambda nn: (nn.Linear(2, 2),),
    "nn.Index": lambda nn: (0,), "nn.IndexLinear": lambda nn: (2, 2), "nn.JoinTable": lambda nn: (0,),
    "nn.SplitTable": lambda nn: (0,), "nn.Kmeans": lambda nn: (2, 2), "nn.L1Penalty": lambda nn: (1,),
    "nn.Linear": lambda nn: (2, 2), "nn.LinearWeightNorm": lambda nn: (2, 2), "nn.PartialLinear": lambda nn: (2, 2),
    "nn.SparseLinear": lambda nn: (2, 2), "nn.Maxout": lambda nn: (2, 2, 2), "nn.Narrow": lambda nn: (0, 0),
    "nn.Select": lambda nn: (0, 0), "nn.NarrowTable": lambda nn: (0,), "nn.SelectTable": lambda nn: (0,),
    "nn.Normalize": lambda nn: (2,), "nn.PairwiseDistance": lambda nn: (2,), "nn.Parallel": lambda nn: (0, 0),
    "nn.PixelShuffle": lambda nn: (2,), "nn.Replicate": lambda nn: (2,), "nn.Reshape": lambda nn: (2,),
    "nn.View": lambda nn: (2,), "nn.Transpose": lambda nn: ((0, 1),), "nn.Unsqueeze": lambda nn: (0,),
    "nn.WeightedMSECriterion": lambda nn: (_zeros1(),), "nn.Padding": lambda nn: (0, 1), "nn.Power": lambda nn: (2,),
    "nn.LookupTable": lambda nn: (2, 2), "nn.TemporalConvolution": lambda nn: (1, 1, 1),
    "nn.TemporalDynamicKMaxPooling": lambda nn: (1,), "nn.TemporalMaxPooling": lambda nn: (1,),
    "nn.TemporalRowConvolution": lambda nn: (1, 1), "nn.TemporalSubSampling": lambda nn: (1, 1),
    "nn.SpatialConvolution": lambda nn: (1, 1, 1, 1), "nn.SpatialConvolutionMM": lambda nn: (1, 1, 1, 1),
    "nn.SpatialDilatedConvolution": lambda nn: (1, 1, 1, 1), "nn.SpatialFullConvolution": lambda nn: (1, 1, 1, 1),
    "nn.SpatialConvolutionLocal": lambda nn: (1, 1, 1, 1, 1, 1),
    "nn.SpatialDepthWiseConvolution": lambda nn: (1, 1, 1, 1),
    "nn.SpatialConvolutionMap": lambda nn: (nn.tables.oneToOne(1), 1, 1),
    "nn.SpatialFullConvolutionMap": lambda nn: (nn.tables.oneToOne(1), 1, 1),
    "nn.SpatialSubSampling": lambda nn: (1, 1, 1), "nn.SpatialMaxPooling": lambda nn: (1, 1),
    "nn.SpatialDilatedMaxPooling": lambda nn: (1, 1), "nn.SpatialAveragePooling": lambda nn: (1, 1),
    "nn.SpatialAdaptiveMaxPooling": lambda nn: (1, 1), "nn.SpatialAdaptiveAveragePooling": lambda nn: (1, 1),
    "nn.SpatialFractionalMaxPooling": lambda nn: (2, 2, 1, 1), "nn.SpatialLPPooling": lambda nn: (1, 2, 1, 1),
    "nn.SpatialMaxUnpooling": lambda nn: (nn.SpatialMaxPooling(1, 1),),
    "nn.SpatialZeroPadding": lambda nn: (0,), "nn.SpatialReflectionPadding": lambda nn: (0, 0, 0, 0),
    "nn.SpatialReplicationPadding": lambda nn: (0, 0, 0, 0), "nn.SpatialUpSamplingNearest": lambda nn: (1,),
    "nn.SpatialUpSamplingBilinear": lambda nn: (1,), "nn.UpSampling": lambda nn: (1,),
    "nn.VolumetricConvolution": lambda nn: (1, 1, 1, 1, 1),
    "nn.VolumetricDilatedConvolution": lambda nn: (1, 1, 1, 1, 1),
    "nn.VolumetricFullConvolution": lambda nn: (1, 1, 1, 1, 1), "nn.VolumetricMaxPooling": lambda nn: (1, 1, 1),
    "nn.VolumetricDilatedMaxPooling": lambda nn: (1, 1, 1), "nn.VolumetricAveragePooling": lambda nn: (1, 1, 1),
    "nn.VolumetricFractionalMaxPooling": lambda nn: (2, 2, 2, 1, 1, 1),
    "nn.VolumetricMaxUnpooling": lambda nn: (nn.VolumetricMaxPooling(1, 1, 1),),
    "nn.VolumetricReplicationPadding": lambda nn: (0, 0, 0, 0, 0, 0),
    "nn.BatchNormalization": lambda nn: (1,), "nn.SpatialBatchNormalization": lambda nn: (1,),
    "nn.VolumetricBatchNormalization": lambda nn: (1,), "nn.LayerNormalization": lambda nn: (1,),
    "nn.SpatialCrossMapLRN": lambda nn: (1,), "nn.FeatureLPPooling": lambda nn: (2, 1, 2, False),
    "nn.SpatialSubtractiveNormalization": lambda nn: (1,), "nn.SpatialDivisiveNormalization": lambda nn: (1,),
    "nn.SpatialContrastiveNormalization": lambda nn: (1,),
    "nn.Inception": lambda nn: ({"inputSize": 1, "outputSize": [1], "reduceSize": [1], "kernelSize": [1],
                                 "kernelStride": [1]},),
}
