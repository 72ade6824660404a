"""The Module/Container/Criterion API, getParameters, the trainer, and Linear through the checker."""

from __future__ import annotations

import numpy as np
import pytest
from nn_checks import check_module, compare_with_torch, copy_to_torch

import torch7 as torch
from torch7 import nn
from torch7._core import backend


def test_linear_checker():
    check_module(lambda: nn.Linear(5, 3), lambda: torch.randn(4, 5), repr_startswith="nn.Linear(5 -> 3)")
    check_module(lambda: nn.Linear(5, 3), lambda: torch.randn(5))
    check_module(lambda: nn.Linear(5, 3).noBias(), lambda: torch.randn(2, 5),
                 repr_startswith="nn.Linear(5 -> 3) without bias")


def test_linear_against_pytorch():
    pt = pytest.importorskip("torch")
    m = nn.Linear(6, 4)
    ref = pt.nn.Linear(6, 4).double()
    copy_to_torch(m, ref)
    compare_with_torch(m, ref, torch.randn(3, 6))


@pytest.mark.parametrize("shape", [(4, 6), (6,)])
def test_linear_gradinput_nil(shape):
    """Torch7's `net:get(1).gradInput = nil`: the first Linear skips its input gradient, same parameter grads."""
    torch.manualSeed(1)
    net = nn.Sequential().add(nn.Linear(6, 5)).add(nn.Tanh()).add(nn.Linear(5, 2))
    ref = net.clone()
    net.get(0).gradInput = None
    x = torch.randn(*shape)
    for m in (net, ref):
        m.zeroGradParameters()
        m.backward(x, m.forward(x).clone().fill(1))
    assert net.gradInput is None and ref.gradInput.size() == x.size()
    np.testing.assert_array_equal(net.getParameters()[1].numpy(), ref.getParameters()[1].numpy())


def test_sequential_print_and_errors():
    net = nn.Sequential().add(nn.Linear(10, 5)).add(nn.Identity())
    assert repr(net) == ("nn.Sequential {\n  [input -> (1) -> (2) -> output]\n  (1): nn.Linear(10 -> 5)\n"
                         "  (2): nn.Identity\n}")
    with pytest.raises(ValueError, match=r"In 1 module of nn.Sequential: nn.Linear\(10 -> 5\): input of size 3x7"):
        net.forward(torch.randn(3, 7))
    outer = nn.Sequential().add(nn.Identity()).add(net)
    with pytest.raises(ValueError, match="In 2 module of nn.Sequential: In 1 module of nn.Sequential"):
        outer.forward(torch.randn(3, 7))


def test_container_api():
    net = nn.Sequential().add(nn.Linear(2, 3)).add(nn.Linear(3, 4))
    assert net.size() == 2 and len(net) == 2 and net.get(0).weight.size() == (3, 2)
    net.insert(nn.Identity(), 1)
    assert [m._typename for m in net.modules] == ["nn.Linear", "nn.Identity", "nn.Linear"]
    assert net.remove(1)._typename == "nn.Identity"
    assert [m._typename for m in net.listModules()] == ["nn.Sequential", "nn.Linear", "nn.Linear"]
    nodes, containers = net.findModules("nn.Linear")
    assert len(nodes) == 2 and containers == [net, net]
    seen = []
    net.apply(lambda m: seen.append(m._typename))
    assert seen == ["nn.Sequential", "nn.Linear", "nn.Linear"]
    net.evaluate()
    assert not net.get(0).train
    net.training()
    assert net.get(1).train
    assert net.clearState() is net


def test_get_parameters_flattens_and_repoints():
    net = nn.Sequential().add(nn.Linear(3, 4)).add(nn.Linear(4, 2))
    w0 = net.get(0).weight.clone()
    flat, gflat = net.getParameters()
    assert flat.nElement() == 3 * 4 + 4 + 4 * 2 + 2 == gflat.nElement()
    np.testing.assert_array_equal(net.get(0).weight.numpy(), w0.numpy())
    flat.fill(0.5)
    assert (net.get(1).bias.numpy() == 0.5).all()
    assert net.get(0).weight.storage() is flat.storage()


def test_get_parameters_counts_shared_storage_once():
    a = nn.Linear(3, 3)
    b = a.clone("weight", "bias", "gradWeight", "gradBias")
    net = nn.Sequential().add(a).add(b)
    flat, gflat = net.getParameters()
    assert flat.nElement() == 12
    flat.fill(2)
    assert (b.weight.numpy() == 2).all() and b.weight.storage() is a.weight.storage()


def test_update_parameters_and_zero_grad():
    m = nn.Linear(2, 2)
    w = m.weight.clone()
    m.gradWeight.fill(1)
    m.updateParameters(0.1)
    np.testing.assert_allclose(m.weight.numpy(), w.numpy() - 0.1)
    m.zeroGradParameters()
    assert not m.gradWeight.numpy().any()


def test_type_casts_keep_sharing():
    a = nn.Linear(3, 3)
    b = a.clone("weight")
    net = nn.Sequential().add(a).add(b).float()
    assert a.weight.type() == "torch.FloatTensor" and a.output.type() == "torch.FloatTensor"
    assert net.get(0).weight.storage() is net.get(1).weight.storage()
    assert net.type() == "torch.FloatTensor"


def test_mse_criterion():
    c = nn.MSECriterion()
    x, y = torch.randn(3, 4), torch.randn(3, 4)
    assert c.forward(x, y) == pytest.approx(((x.numpy() - y.numpy()) ** 2).mean())
    np.testing.assert_allclose(c.backward(x, y).numpy(), 2 * (x.numpy() - y.numpy()) / 12)
    loss, grad = c(x, y)
    assert loss == c.output and grad is c.gradInput


def test_stochastic_gradient_fits_a_line():
    torch.manualSeed(0)
    xs = torch.randn(32, 1)
    ys = xs * 3 + 1

    class Data:
        def size(self):
            return 32

        def __getitem__(self, i):
            return xs[i], ys[i]

    m = nn.Linear(1, 1)
    t = nn.StochasticGradient(m, nn.MSECriterion())
    t.learningRate, t.maxIteration, t.verbose = 0.05, 30, False
    seen = []
    t.hookIteration = lambda trainer, it, err: seen.append(err)
    t.train(Data())
    assert len(seen) == 30 and seen[-1] < 1e-4
    assert m.weight[0][0] == pytest.approx(3, abs=1e-2) and m.bias[0] == pytest.approx(1, abs=1e-2)


@pytest.mark.skipif(backend.is_available(), reason="the refusal without a GPU (test_cuda_tensor covers the GPU)")
def test_cuda_cast_says_what_is_missing():
    m = nn.Linear(2, 2)
    with pytest.raises(torch.CudaUnavailableError,
                       match=r"nn.Linear.type\('torch.CudaTensor'\): CUDA is not available: .*torch7\[cuda\]"):
        m.cuda()
    assert m.weight.type() == "torch.DoubleTensor" and m.type() == "torch.DoubleTensor"  # nothing half-cast


def test_flatten_accepts_a_tensor_listed_twice():
    lin = nn.Linear(2, 3)
    w = lin.weight.clone()
    flat = nn.Module.flatten([lin.weight, lin.bias, lin.weight])
    assert flat.nElement() == 9 and lin.weight.storage() is flat.storage()
    assert np.array_equal(lin.weight.numpy(), w.numpy())


# Found by feeding every module of the test suite derived wrong inputs (a table, a number, an empty tensor):
# these answered with Python's words ("'list' object has no attribute '_a'") or failed on empty tensors.
@pytest.mark.parametrize("call,msg", [
    (lambda x: nn.Linear(3, 2).forward([x, x]),
     r"^nn.Linear: wrong kind of argument: input a table of 2 \(a torch.DoubleTensor of size 2x3, a torch"),
    (lambda x: nn.Sequential().add(nn.Tanh()).add(nn.Linear(3, 2)).forward(3),
     r"^In 1 module of nn.Sequential: nn.Tanh: wrong kind of argument: input int 3"),
    (lambda x: nn.Tanh().backward(x, [x]),
     r"^nn.Tanh: wrong kind of argument: input a torch.DoubleTensor of size 2x3 and gradOutput a table of 1"),
    (lambda x: nn.Abs().forward([x]), r"^nn.Abs: wrong kind of argument: input a table of 1"),
    (lambda x: nn.MSECriterion().forward(x, 3),
     r"^nn.MSECriterion: wrong kind of argument: input a torch.DoubleTensor of size 2x3 and target int 3"),
])
def test_wrong_kind_of_argument_names_the_module(call, msg):
    with pytest.raises(TypeError, match=msg):
        call(torch.Tensor(2, 3).fill(1))


@pytest.mark.parametrize("make", [nn.Abs, nn.Exp, nn.Dropout, nn.Square, lambda: nn.L1Penalty(1, True)],
                         ids=["Abs", "Exp", "Dropout", "Square", "L1Penalty"])
def test_elementwise_modules_take_empty_tensors(make):
    m = make()
    assert m.forward(torch.Tensor()).nElement() == 0
    assert m.backward(torch.Tensor(), torch.Tensor()).nElement() == 0


def test_empty_inputs_of_replicate_and_sparse_linear():
    with pytest.raises(ValueError, match="nn.Replicate: cannot replicate an empty tensor"):
        nn.Replicate(2).forward(torch.Tensor())
    assert nn.SparseLinear(5, 3).forward([]).nElement() == 0
