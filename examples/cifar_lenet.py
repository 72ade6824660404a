"""The CIFAR-10 LeNet tutorial (tutorials §1) end to end: read a data set, train, report test accuracy.

The network is the tutorial's LeNet (two 5x5 convolutions with ReLU and 2x2 max pooling, then three
fully connected layers and ``LogSoftMax``), trained with ``nn.ClassNLLCriterion`` either example by
example with ``nn.StochasticGradient`` (``--optim sg``, the tutorial's way, the default) or in
mini-batches with ``optim.sgd`` over the flat vectors of ``getParameters()`` (``--optim sgd --batch N``).

Data (images are 32x32; class labels are 0-based everywhere in this program):

* ``--cifar DIR``: the CIFAR-10 binary version (``data_batch_*.bin`` for training, ``test_batch.bin``
  for testing; each record is 1 label byte then 3072 pixel bytes: the R, G and B planes of 32x32).
* ``--t7 FILE``: a Lua Torch ``.t7`` data set like the tutorial's ``cifar10-train.t7``, a table
  ``{data = ByteTensor N x 3 x 32 x 32, label = ByteTensor}`` with 1-based labels (converted to
  0-based). The test set is ``--t7-test FILE``, or the same name with ``train`` replaced by ``test``
  when that file exists, or else the last 20% of the training file.
* ``--mnist DIR``: MNIST-format idx files (``train-images-idx3-ubyte[.gz]`` ...). By default this is
  Fashion-MNIST from the Debian package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``)
  when it is installed, otherwise the 8x8 handwritten digits shipped as ``torch7/data/digits.csv.gz``
  (``--digits`` forces them). The 28x28 MNIST images are zero-padded to 32x32 and the 8x8 digits are
  enlarged 4x (nearest neighbour); both are grey, so the first convolution takes the data set's number
  of channels: ``SpatialConvolution(1, 6, 5, 5)`` for them, ``(3, 6, 5, 5)`` for CIFAR-10.

Inputs are normalized per channel with the training set's mean and standard deviation (as in the
tutorial), on the fly, so the data stay in memory as bytes.

Run ``python examples/cifar_lenet.py --help``; e.g.
``python examples/cifar_lenet.py --optim sgd --batch 32 --lr 0.05 --epochs 3`` trains on Fashion-MNIST.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.resources
import os
import struct
import sys
import time

import numpy as np

import torch7 as torch
from torch7 import nn, optim

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"

# idx type byte -> big-endian NumPy dtype
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


# ----------------------------------------------------------------------------------------------- readers

def read_cifar10(paths):
    """Read CIFAR-10 binary batch files.

    Args:
        paths: one path or a list of paths of files made of 3073-byte records (1 label byte, then the
            1024 R, 1024 G and 1024 B bytes of a 32x32 image, rows top to bottom).

    Returns:
        ``(data, labels)``: a ByteTensor ``N x 3 x 32 x 32`` and a LongTensor of ``N`` labels in 0..9.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    chunks = []
    for p in paths:
        raw = np.fromfile(p, dtype=np.uint8)
        if raw.size % 3073:
            raise ValueError(f"read_cifar10: {p} has {raw.size} bytes, not a multiple of 3073")
        chunks.append(raw.reshape(-1, 3073))
    rec = np.concatenate(chunks) if chunks else np.zeros((0, 3073), np.uint8)
    if rec.size and rec[:, 0].max() > 9:
        raise ValueError(f"read_cifar10: label {int(rec[:, 0].max())} out of range 0..9")
    data = np.ascontiguousarray(rec[:, 1:]).reshape(-1, 3, 32, 32)
    labels = rec[:, 0].astype(np.int64)
    return torch.from_numpy(data), torch.from_numpy(labels)


def read_t7_dataset(path):
    """Read a Lua Torch ``.t7`` data set ``{data = Tensor N x C x H x W, label = Tensor}`` (1-based labels).

    A ``data`` of size ``N x 3072`` is viewed as ``N x 3 x 32 x 32``.

    Returns:
        ``(data, labels)``: the ``data`` tensor as stored (a ByteTensor in the tutorial's files) and a
        LongTensor of 0-based labels.
    """
    d = torch.load(path)
    if not isinstance(d, dict) or "data" not in d or "label" not in d:
        raise ValueError(f"read_t7_dataset: {path} does not hold a table with 'data' and 'label'")
    data, label = d["data"], d["label"]
    if data.dim() == 2 and data.size(1) == 3072:
        data = data.view(data.size(0), 3, 32, 32)
    if data.dim() != 4 or data.size(0) != label.nElement():
        raise ValueError(f"read_t7_dataset: data of size {data.size()} does not match {label.nElement()} labels")
    labels = label.numpy().reshape(-1).astype(np.int64) - 1
    if labels.size and labels.min() < 0:
        raise ValueError("read_t7_dataset: labels must be 1-based (Lua); found 0")
    return data, torch.from_numpy(labels)


def read_idx(path):
    """Read an idx file (the MNIST format), gzipped when the name ends in ``.gz``.

    Format: two zero bytes, a type byte (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float,
    0x0E double), the number of dimensions, one big-endian int32 per dimension, then the data (big-endian).

    Returns:
        A tensor of the matching Torch7 type (ByteTensor for 0x08) and shape.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        buf = f.read()
    if len(buf) < 4 or buf[0] or buf[1] or buf[2] not in _IDX_DTYPES:
        raise ValueError(f"read_idx: {path} is not an idx file")
    ndim = buf[3]
    dims = struct.unpack(f">{ndim}i", buf[4:4 + 4 * ndim])
    dtype = np.dtype(_IDX_DTYPES[buf[2]])
    count = int(np.prod(dims, dtype=np.int64))
    a = np.frombuffer(buf, dtype=dtype, count=count, offset=4 + 4 * ndim).reshape(dims)
    return torch.from_numpy(a.astype(dtype.newbyteorder("=")))


def _idx_file(folder, stem):
    for name in (stem + ".gz", stem):
        p = os.path.join(folder, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"no {stem}[.gz] in {folder}")


def read_mnist(folder):
    """Read MNIST-format train and test sets from ``folder``, 28x28 images zero-padded to 1 x 32 x 32.

    Returns:
        ``((train_data, train_labels), (test_data, test_labels))``: ByteTensors ``N x 1 x 32 x 32`` and
        LongTensors of 0-based labels.
    """
    out = []
    for part in ("train", "t10k"):
        img = read_idx(_idx_file(folder, f"{part}-images-idx3-ubyte")).numpy()
        lab = read_idx(_idx_file(folder, f"{part}-labels-idx1-ubyte")).numpy().astype(np.int64)
        img = np.pad(img, ((0, 0), (2, 2), (2, 2)))[:, None]
        out.append((torch.from_numpy(np.ascontiguousarray(img)), torch.from_numpy(lab)))
    return out[0], out[1]


def read_digits(n_test=297):
    """The 1797 8x8 handwritten digits of ``torch7/data/digits.csv.gz`` as 1 x 32 x 32 byte images.

    Pixels (0..16) are scaled to 0..255 and each is repeated 4x4. The split into train and test sets is
    a fixed shuffle (independent of ``--seed``) with the last ``n_test`` examples for testing.

    Returns:
        ``((train_data, train_labels), (test_data, test_labels))`` as in ``read_mnist``.
    """
    with importlib.resources.files("torch7").joinpath("data/digits.csv.gz").open("rb") as f:
        rows = np.loadtxt(gzip.open(f, "rt"), delimiter=",", dtype=np.int64)
    img = (rows[:, :64].reshape(-1, 8, 8) * 255 // 16).astype(np.uint8)
    img = np.kron(img, np.ones((4, 4), np.uint8))[:, None]
    lab = rows[:, 64]
    order = np.random.default_rng(0).permutation(len(lab))
    img, lab = img[order], lab[order]
    k = len(lab) - n_test
    return ((torch.from_numpy(np.ascontiguousarray(img[:k])), torch.from_numpy(lab[:k].copy())),
            (torch.from_numpy(np.ascontiguousarray(img[k:])), torch.from_numpy(lab[k:].copy())))


# ----------------------------------------------------------------------------------------------- data set

class Dataset:
    """A data set for ``nn.StochasticGradient``: ``size()`` and ``dataset[i] = [input, target]``.

    Images stay as stored (bytes); inputs are made on demand as DoubleTensors (or FloatTensors with
    ``dtype=np.float32``), normalized per channel by ``mean`` and ``std``.

    Args:
        data: tensor ``N x C x H x W``.
        labels: LongTensor of ``N`` 0-based labels.
        mean, std: per-channel sequences; default the data's own statistics.
    """

    def __init__(self, data, labels, mean=None, std=None, dtype=np.float64):
        self.images = data.numpy()
        self.labels = labels.numpy().astype(np.int64)
        self.dtype = dtype
        if mean is None:
            mean = self.images.mean(axis=(0, 2, 3), dtype=np.float64)
        if std is None:
            std = np.sqrt(np.array([self.images[:, c].var(dtype=np.float64) for c in range(self.images.shape[1])]))
        self.mean = np.asarray(mean, np.float64).reshape(-1, 1, 1)
        self.std = np.maximum(np.asarray(std, np.float64), 1e-8).reshape(-1, 1, 1)

    def size(self):
        """The number of examples."""
        return len(self.labels)

    def nChannels(self):
        """The number of image channels."""
        return self.images.shape[1]

    def inputs(self, index):
        """The normalized inputs ``B x C x H x W`` for an index array (or ``C x H x W`` for an int)."""
        x = (self.images[index].astype(np.float64) - self.mean) / self.std
        return torch.from_numpy(np.ascontiguousarray(x, dtype=self.dtype))

    def __getitem__(self, i):
        return [self.inputs(int(i)), int(self.labels[i])]

    def batch(self, index):
        """``(inputs, targets)`` for an index array: a ``B x C x H x W`` tensor and a LongTensor."""
        return self.inputs(index), torch.from_numpy(self.labels[index])


# ----------------------------------------------------------------------------------------------- model

def lenet(n_channels=3):
    """The tutorial's LeNet for 32x32 images with ``n_channels`` channels and 10 classes."""
    net = nn.Sequential()
    net.add(nn.SpatialConvolution(n_channels, 6, 5, 5))
    net.add(nn.ReLU())
    net.add(nn.SpatialMaxPooling(2, 2, 2, 2))
    net.add(nn.SpatialConvolution(6, 16, 5, 5))
    net.add(nn.ReLU())
    net.add(nn.SpatialMaxPooling(2, 2, 2, 2))
    net.add(nn.View(16 * 5 * 5))
    net.add(nn.Linear(16 * 5 * 5, 120))
    net.add(nn.ReLU())
    net.add(nn.Linear(120, 84))
    net.add(nn.ReLU())
    net.add(nn.Linear(84, 10))
    net.add(nn.LogSoftMax())
    return net


def accuracy(net, dataset, batch=500):
    """The fraction of ``dataset`` whose most likely class under ``net`` is the label."""
    net.evaluate()
    correct = 0
    n = dataset.size()
    for start in range(0, n, batch):
        index = np.arange(start, min(n, start + batch))
        x, y = dataset.batch(index)
        _, pred = torch.max(net.forward(x), 1)
        correct += int((pred.numpy().reshape(-1) == y.numpy()).sum())
    net.training()
    return correct / max(n, 1)


def train_stochastic_gradient(net, criterion, trainset, lr, epochs, log):
    """The tutorial's way: ``nn.StochasticGradient``, one example at a time. Returns the epoch losses."""
    losses = []

    def hook(trainer, iteration, error):
        losses.append(error)
        log(f"epoch {iteration + 1}: loss {error:.4f}")

    trainer = nn.StochasticGradient(net, criterion)
    trainer.learningRate = lr
    trainer.maxIteration = epochs
    trainer.verbose = False
    trainer.hookIteration = hook
    trainer.train(trainset)
    return losses


def train_minibatch_sgd(net, criterion, trainset, lr, epochs, batch, momentum, log):
    """Mini-batches with ``optim.sgd`` on ``getParameters()``. Returns the epoch losses (batch means)."""
    params, grads = net.getParameters()
    config = {"learningRate": lr, "momentum": momentum}
    n = trainset.size()
    losses = []
    for epoch in range(epochs):
        order = torch.randperm(n).numpy().astype(np.int64)
        total, count = 0.0, 0
        for start in range(0, n, batch):
            x, y = trainset.batch(order[start:start + batch])

            def feval(p, x=x, y=y):
                if p is not params:
                    params.copy(p)
                grads.zero()
                out = net.forward(x)
                loss = criterion.forward(out, y)
                net.backward(x, criterion.backward(out, y))
                return loss, grads

            _, fs = optim.sgd(feval, params, config)
            total += fs[0] * len(y)
            count += len(y)
            torch.xlua.progress(min(start + batch, n), n)  # the tutorial's progress bar (terminals only)
        losses.append(total / max(count, 1))
        log(f"epoch {epoch + 1}: loss {losses[-1]:.4f}")
    return losses


# ----------------------------------------------------------------------------------------------- main

def load_data(args):
    """``(name, (train_data, train_labels), (test_data, test_labels))`` for the chosen source."""
    if args.cifar:
        files = sorted(f for f in os.listdir(args.cifar) if f.startswith("data_batch_") and f.endswith(".bin"))
        if not files:
            raise FileNotFoundError(f"no data_batch_*.bin in {args.cifar}")
        train = read_cifar10([os.path.join(args.cifar, f) for f in files])
        return "CIFAR-10", train, read_cifar10(os.path.join(args.cifar, "test_batch.bin"))
    if args.t7:
        train = read_t7_dataset(args.t7)
        test_path = args.t7_test
        guess = os.path.join(os.path.dirname(args.t7), os.path.basename(args.t7).replace("train", "test"))
        if test_path is None and guess != args.t7 and os.path.exists(guess):
            test_path = guess
        if test_path is not None:
            return os.path.basename(args.t7), train, read_t7_dataset(test_path)
        n = train[0].size(0)
        k = n - n // 5
        return (os.path.basename(args.t7), (train[0].narrow(0, 0, k), train[1].narrow(0, 0, k)),
                (train[0].narrow(0, k, n - k), train[1].narrow(0, k, n - k)))
    folder = args.mnist
    if folder is None and not args.digits and os.path.isdir(FASHION_MNIST_DIR):
        folder = FASHION_MNIST_DIR
    if folder is not None:
        return f"idx files in {folder}", *read_mnist(folder)
    return "8x8 digits (torch7/data/digits.csv.gz)", *read_digits()


def parse_args(argv=None):
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = p.add_mutually_exclusive_group()
    src.add_argument("--cifar", metavar="DIR", help="CIFAR-10 binary folder (data_batch_*.bin, test_batch.bin)")
    src.add_argument("--t7", metavar="FILE", help="a Lua .t7 data set {data, label} (labels 1-based)")
    src.add_argument("--mnist", metavar="DIR", help=f"MNIST-format idx files (default {FASHION_MNIST_DIR})")
    src.add_argument("--digits", action="store_true", help="the 8x8 digits shipped with torch7")
    p.add_argument("--t7-test", metavar="FILE", help="the test set for --t7")
    p.add_argument("--optim", choices=["sg", "sgd"], default="sg",
                   help="sg: nn.StochasticGradient per example (the tutorial); sgd: mini-batch optim.sgd")
    p.add_argument("--batch", type=int, default=32, help="mini-batch size for --optim sgd")
    p.add_argument("--epochs", type=int, default=5, help="passes over the training set")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default 0.001 for sg, 0.05 for sgd)")
    p.add_argument("--momentum", type=float, default=0.9, help="momentum for --optim sgd")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training examples")
    p.add_argument("--test-limit", type=int, default=None, help="use only the first N test examples")
    p.add_argument("--seed", type=int, default=1, help="random seed (weights and shuffling)")
    p.add_argument("--float", action="store_true", help="train in single precision (FloatTensor)")
    return p.parse_args(argv)


def main(argv=None, log=print):
    """Run the tutorial; returns ``{'losses': [per-epoch loss], 'accuracy': test accuracy, 'seconds': ...}``."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    torch.manualSeed(args.seed)
    name, (xtr, ytr), (xte, yte) = load_data(args)
    if args.limit is not None:
        xtr, ytr = xtr.narrow(0, 0, min(args.limit, xtr.size(0))), ytr.narrow(0, 0, min(args.limit, ytr.size(0)))
    if args.test_limit is not None:
        k = min(args.test_limit, xte.size(0))
        xte, yte = xte.narrow(0, 0, k), yte.narrow(0, 0, k)
    dtype = np.float32 if args.float else np.float64
    trainset = Dataset(xtr, ytr, dtype=dtype)
    testset = Dataset(xte, yte, trainset.mean, trainset.std, dtype=dtype)
    log(f"data: {name}: {trainset.size()} training and {testset.size()} test images of "
        f"{trainset.nChannels()}x32x32")

    net = lenet(trainset.nChannels())
    criterion = nn.ClassNLLCriterion()
    if args.float:
        net.float()
        criterion.float()
    if args.optim == "sg":
        lr = 0.001 if args.lr is None else args.lr
        log(f"training with nn.StochasticGradient, learning rate {lr}, {args.epochs} epochs")
        losses = train_stochastic_gradient(net, criterion, trainset, lr, args.epochs, log)
    else:
        lr = 0.05 if args.lr is None else args.lr
        log(f"training with optim.sgd, batches of {args.batch}, learning rate {lr}, momentum {args.momentum}, "
            f"{args.epochs} epochs")
        losses = train_minibatch_sgd(net, criterion, trainset, lr, args.epochs, args.batch, args.momentum, log)
    acc = accuracy(net, testset)
    seconds = time.perf_counter() - t0
    log(f"test accuracy: {100 * acc:.2f}% ({seconds:.1f} s)")
    return {"losses": losses, "accuracy": acc, "seconds": seconds, "net": net}


if __name__ == "__main__":
    main(sys.argv[1:])
