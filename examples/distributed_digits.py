"""torch-distlearn's MNIST example (``examples/mnist.lua``) on the 8x8 handwritten digits shipped with torch7.

The training digits are split across ``--nodes`` processes (node ``i`` takes every ``nodes``-th one,
as distlearn's ``Dataset`` partitions did). Every node draws its own mini-batches from its share,
computes gradients with ``nn``, and ``AllReduceSGD.sumAndNormalizeGradients`` averages them over the
nodes, so that every node applies the same update; at the end of an epoch
``synchronizeParameters`` re-aligns them (the shares can end after different numbers of steps).
With ``--ea`` the nodes instead train on their own and ``AllReduceEA`` pulls them toward a shared
center every ``--tau`` steps (elastic averaging); the center is what gets tested. Node 0 prints the
test error after every epoch; the final test error ends the output.

As in ``mnist.lua`` every node seeds the generator alike, so the split and the first weights agree
(and ``synchronizeParameters`` scatters node 0's weights before training anyway).

Run ``python examples/distributed_digits.py`` (2 local processes started by ``distributed.launch``),
``--nodes 4 --ea``, or Lua-style, one process per node found through ``LocalhostTree``'s rendezvous
file: ``for i in 0 1; do python examples/distributed_digits.py --nodeIndex $i --numNodes 2 & done; wait``
(the default file is named after the parent process; give ``--rendezvous PATH`` when the processes do not
share one, e.g. under separate ``timeout`` or ``nohup`` wrappers).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.resources
import sys
import time

import numpy as np

import torch7 as torch
from torch7 import distributed, nn


def read_digits():
    """The digits as ``(inputs, labels)``: a DoubleTensor 1797 x 64 in 0..1 and a LongTensor of 0-based labels."""
    with importlib.resources.files("torch7").joinpath("data/digits.csv.gz").open("rb") as f:
        rows = np.loadtxt(gzip.open(f, "rt"), delimiter=",", dtype=np.int64)
    return torch.from_numpy(rows[:, :64] / 16.0), torch.from_numpy(np.ascontiguousarray(rows[:, 64]))


def build_network(hidden):
    """Logistic regression (``hidden == 0``) or one hidden layer of ``hidden`` tanh units."""
    if hidden == 0:
        return nn.Sequential().add(nn.Linear(64, 10))
    return nn.Sequential().add(nn.Linear(64, hidden)).add(nn.Tanh()).add(nn.Linear(hidden, 10))


def test_error(net, inputs, labels):
    """Top-1 error in percent."""
    _, predicted = torch.max(net.forward(inputs), 1)
    wrong = int((predicted.numpy().reshape(-1) != labels.numpy()).sum())
    return 100.0 * wrong / labels.size(0)


def train(tree, args):
    """One node's training loop; returns ``{'testError': [per epoch], 'steps': n, 'seconds': s}``."""
    t0 = time.perf_counter()
    me, log = tree.nodeIndex, (print if tree.nodeIndex == 0 else (lambda *a, **k: None))
    torch.manualSeed(args.seed)  # the same split and initial weights on every node
    inputs, labels = read_digits()
    perm = torch.randperm(inputs.size(0)).long()
    test_idx, train_idx = perm[:args.test], perm[args.test:]
    shard = train_idx.numpy()[me::tree.numNodes].copy()
    test_x, test_y = inputs.index(0, test_idx), labels.index(0, test_idx)

    net = build_network(args.hidden)
    params, grads = net.getParameters()
    criterion = nn.CrossEntropyCriterion()
    if args.ea:
        algo = distributed.AllReduceEA(tree, args.tau, args.alpha)
    else:
        algo = distributed.AllReduceSGD(tree)
        algo.synchronizeParameters(params)  # no step yet: node 0's weights go to everyone
    log(f"{tree.numNodes} nodes, {'AllReduceEA' if args.ea else 'AllReduceSGD'}; node 0 trains on "
        f"{len(shard)} of {len(train_idx)} digits, batches of {args.batch}")

    torch.manualSeed(args.seed + 1 + me)  # but each node its own batch order
    errors, steps = [], 0
    for epoch in range(1, args.epochs + 1):
        order = shard[torch.randperm(len(shard)).long().numpy()]
        for start in range(0, len(order), args.batch):
            idx = torch.from_numpy(order[start:start + args.batch].copy())
            x, y = inputs.index(0, idx), labels.index(0, idx)
            net.zeroGradParameters()
            out = net.forward(x)
            criterion.forward(out, y)
            net.backward(x, criterion.backward(out, y))
            if args.ea:
                params.add(-args.lr, grads)
                algo.averageParameters(params)
            else:
                algo.sumAndNormalizeGradients(grads)
                params.add(-args.lr, grads)
            steps += 1
        if args.ea:
            algo.synchronizeCenter(params)
            saved = params.clone()
            params.copy(algo.center[0])  # test the center, the model the nodes agree on
            errors.append(test_error(net, test_x, test_y))
            params.copy(saved)
        else:
            algo.synchronizeParameters(params)
            errors.append(test_error(net, test_x, test_y))
        log(f"epoch {epoch:3d}: test error {errors[-1]:6.2f}%")
    return {"testError": errors, "steps": steps, "seconds": time.perf_counter() - t0,
            "paramsSum": float(params.sum())}


def parse_args(argv=None):
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, default=2, help="number of local processes (started by launch)")
    p.add_argument("--nodeIndex", type=int, default=None, help="run only this node (0-based), Lua-style")
    p.add_argument("--numNodes", type=int, default=None, help="with --nodeIndex: the number of nodes")
    p.add_argument("--rendezvous", default=None,
                   help="with --nodeIndex: the rendezvous file (default: named after the parent process)")
    p.add_argument("--ea", action="store_true", help="elastic averaging (AllReduceEA) instead of AllReduceSGD")
    p.add_argument("--tau", type=int, default=4, help="--ea: steps between averaging rounds")
    p.add_argument("--alpha", type=float, default=0.2, help="--ea: the elastic weight")
    p.add_argument("--epochs", type=int, default=10, help="passes over the training set")
    p.add_argument("--batch", type=int, default=16, help="mini-batch size per node")
    p.add_argument("--lr", type=float, default=0.5, help="learning rate")
    p.add_argument("--hidden", type=int, default=0, help="hidden units (0: logistic regression)")
    p.add_argument("--test", type=int, default=360, help="number of digits kept for testing")
    p.add_argument("--seed", type=int, default=1, help="random seed")
    return p.parse_args(argv)


def main(argv=None):
    """Train on local processes; returns every node's result dict (one when run with --nodeIndex)."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    if args.nodeIndex is not None:
        with distributed.LocalhostTree(args.nodeIndex, args.numNodes or args.nodes,
                                       rendezvous=args.rendezvous) as tree:
            results = [train(tree, args)]
    else:
        results = distributed.launch(train, args.nodes, args)
    if args.nodeIndex in (None, 0):
        print(f"test error: {results[0]['testError'][-1]:.2f}% ({time.perf_counter() - t0:.1f} s, "
              f"steps per node {[r['steps'] for r in results]})")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
