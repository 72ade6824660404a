"""torchnet's MNIST example (``example/mnist.lua``) on the 8x8 handwritten digits shipped with torch7.

As in torchnet's example, a logistic regression (``nn.Linear`` then ``nn.CrossEntropyCriterion``)
is trained by ``tnt.SGDEngine`` on mini-batches; a ``tnt.AverageValueMeter`` (loss) and a
``tnt.ClassErrorMeter`` (top-1 error) are reset in the ``onStartEpoch`` hook and updated in
``onForwardCriterion``; the same engine's ``test`` then measures the test set. Beyond the Lua
example: the test set is measured after every epoch (from the ``onEndEpoch`` hook), ``--hidden N``
adds a hidden layer, ``--optim sgd|adam`` trains with ``tnt.OptimEngine`` and ``optim.sgd`` /
``optim.adam`` instead, and ``--log FILE`` writes one JSON line per epoch through a ``tnt.Log``.

Data: the 1797 digits of ``torch7/data/digits.csv.gz`` (64 pixel values 0..16, then the label
0..9, per row), pixels scaled to 0..1. A random permutation (``--seed``) leaves ``--test`` of them
for testing. Samples come from a ``tnt.ListDataset`` of indices (as ``mnist.lua`` does), training
samples through a ``tnt.ShuffleDataset`` re-drawn every epoch, grouped by ``tnt.BatchDataset`` and
read with ``tnt.DatasetIterator``. Class labels are 0-based.

Run ``python examples/tnt_digits.py --help``; e.g. ``python examples/tnt_digits.py --hidden 32 --optim adam``.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.resources
import sys
import time

import numpy as np

import torch7 as torch
from torch7 import nn, optim, tnt


def read_digits():
    """The digits as ``(inputs, labels)``: a DoubleTensor 1797 x 64 in 0..1 and a LongTensor of 0-based labels."""
    with importlib.resources.files("torch7").joinpath("data/digits.csv.gz").open("rb") as f:
        rows = np.loadtxt(gzip.open(f, "rt"), delimiter=",", dtype=np.int64)
    return torch.from_numpy(rows[:, :64] / 16.0), torch.from_numpy(np.ascontiguousarray(rows[:, 64]))


def get_iterator(inputs, labels, indices, batchsize, shuffle=False):
    """A ``tnt.DatasetIterator`` over batches of the samples ``indices`` (a LongTensor of row numbers).

    Each sample is ``{"input": 64 pixels, "target": LongTensor{label}}``, as in ``mnist.lua``;
    ``BatchDataset`` stacks them into ``B x 64`` inputs and ``B x 1`` targets. With ``shuffle`` the
    batches come from a ``tnt.ShuffleDataset``: ``iterator.exec("resample")`` draws a new order.
    """
    dataset = tnt.ListDataset(
        list=indices,
        load=lambda idx: {"input": inputs[idx], "target": torch.LongTensor([labels[idx]])},
    )
    if shuffle:
        dataset = tnt.ShuffleDataset(dataset)
    return tnt.DatasetIterator(tnt.BatchDataset(dataset, batchsize))


def build_network(hidden):
    """Logistic regression (``hidden == 0``, torchnet's example) or one hidden layer of ``hidden`` tanh units."""
    if hidden == 0:
        return nn.Sequential().add(nn.Linear(64, 10))
    return nn.Sequential().add(nn.Linear(64, hidden)).add(nn.Tanh()).add(nn.Linear(hidden, 10))


def parse_args(argv=None):
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=20, help="passes over the training set")
    p.add_argument("--batch", type=int, default=32, help="mini-batch size")
    p.add_argument("--lr", type=float, default=None,
                   help="learning rate (default 1; 0.5 with --optim sgd, 0.01 with --optim adam)")
    p.add_argument("--hidden", type=int, default=0, help="hidden units (0: logistic regression)")
    p.add_argument("--optim", choices=["none", "sgd", "adam"], default="none",
                   help="none: tnt.SGDEngine (torchnet's example); sgd/adam: tnt.OptimEngine with that optim method")
    p.add_argument("--momentum", type=float, default=0.5, help="momentum for --optim sgd")
    p.add_argument("--test", type=int, default=360, help="number of digits kept for testing")
    p.add_argument("--seed", type=int, default=1, help="random seed (split, weights, shuffling)")
    p.add_argument("--log", metavar="FILE", default=None, help="also write one JSON line per epoch to FILE")
    return p.parse_args(argv)


def main(argv=None, log=print):
    """Train and test; returns ``{'train_loss', 'train_error', 'test_error'}`` (per-epoch lists), ``'seconds'``."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    torch.manualSeed(args.seed)
    inputs, labels = read_digits()
    n = inputs.size(0)
    if not 0 < args.test < n:
        raise ValueError(f"--test must be between 1 and {n - 1}, got {args.test}")
    perm = torch.randperm(n).long()
    train_it = get_iterator(inputs, labels, perm[args.test:], args.batch, shuffle=True)
    test_it = get_iterator(inputs, labels, perm[:args.test], args.batch)
    log(f"data: {n - args.test} training and {args.test} test digits of 8x8, batches of {args.batch}")

    net = build_network(args.hidden)
    criterion = nn.CrossEntropyCriterion()

    meter = tnt.AverageValueMeter()
    clerr = tnt.ClassErrorMeter(topk=[1])
    history = {"train_loss": [], "train_error": [], "test_loss": [], "test_error": []}
    epoch_log = tnt.Log(["epoch", "train_loss", "train_error", "test_loss", "test_error"])
    if args.log:
        epoch_log.attach("onFlush", [tnt.logview.json(filename=args.log, keys=epoch_log.keys()[:-1])])

    engine = tnt.SGDEngine() if args.optim == "none" else tnt.OptimEngine()

    def on_start_epoch(state):
        meter.reset()
        clerr.reset()
        if state["training"]:
            state["iterator"].exec("resample")  # a new order of the training set every epoch (torchnet's idiom)

    def on_forward_criterion(state):
        meter.add(state["criterion"].output)
        clerr.add(state["network"].output, state["sample"]["target"])

    def on_end_epoch(state):
        train_loss, train_error = meter.value()[0], clerr.value(1)
        on_start_epoch({"training": False})
        engine.test(state["network"], test_it, state["criterion"])
        test_loss, test_error = meter.value()[0], clerr.value(1)
        for key, v in zip(history, (train_loss, train_error, test_loss, test_error)):
            history[key].append(v)
        log(f"epoch {state['epoch']:3d}: train loss {train_loss:.4f}, train error {train_error:6.2f}%; "
            f"test loss {test_loss:.4f}, test error {test_error:6.2f}%")
        epoch_log.set(epoch=state["epoch"], train_loss=train_loss, train_error=train_error,
                      test_loss=test_loss, test_error=test_error)
        epoch_log.flush()

    engine.hooks.onStartEpoch = on_start_epoch
    engine.hooks.onForwardCriterion = on_forward_criterion
    engine.hooks.onEndEpoch = on_end_epoch

    if args.optim == "none":
        lr = 1.0 if args.lr is None else args.lr
        log(f"tnt.SGDEngine, learning rate {lr}, {args.epochs} epochs, {args.hidden or 'no'} hidden units")
        engine.train(network=net, criterion=criterion, iterator=train_it, lr=lr, maxepoch=args.epochs)
    else:
        method = optim.sgd if args.optim == "sgd" else optim.adam
        lr = (0.5 if args.optim == "sgd" else 0.01) if args.lr is None else args.lr
        config = {"learningRate": lr}
        if args.optim == "sgd":
            config["momentum"] = args.momentum
        log(f"tnt.OptimEngine with optim.{args.optim} {config}, {args.epochs} epochs, "
            f"{args.hidden or 'no'} hidden units")
        engine.train(network=net, criterion=criterion, iterator=train_it, maxepoch=args.epochs,
                     optimMethod=method, config=config)
    epoch_log.close()

    seconds = time.perf_counter() - t0
    log(f"test loss: {history['test_loss'][-1]:.4f}; test error: {history['test_error'][-1]:.2f}% "
        f"({seconds:.1f} s)")
    return {**history, "seconds": seconds, "net": net}


if __name__ == "__main__":
    main(sys.argv[1:])
