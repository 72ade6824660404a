"""The CUDA plumbing that runs without a GPU: types, refusals, cutorch's API over CuPy, torch7.cudnn's import.

CI has no GPU, so cutorch's functions are driven through ``FakeCupy`` below: a test double with the
few ``cupy.cuda`` calls they make (names and signatures checked against CuPy 14.2). It checks our side
of the translation (0-based ids, range checks, cutorch's (free, total) order, per-device streams and
seeds), not CuPy. The ``gpu``-marked tests at the end run the same calls on a real device.
"""

from __future__ import annotations

import importlib
import sys
import types

import numpy as np
import pytest
from cuda_fakes import FakeCupy

import torch7 as torch
from torch7 import cutorch, nn
from torch7._core import backend
from torch7.cutorch import rng, streams

HOSTS = {"Cuda": "Float", "CudaDouble": "Double", "CudaHalf": "Half", "CudaByte": "Byte", "CudaChar": "Char",
         "CudaShort": "Short", "CudaInt": "Int", "CudaLong": "Long"}
CUTORCH_CALLS = [  # (name, args) of every cutorch function that needs a device
    ("getDevice", ()), ("setDevice", (0,)), ("withDevice", (0, lambda: 1)), ("synchronize", ()),
    ("synchronizeAll", ()), ("getMemoryUsage", ()), ("getDeviceProperties", (0,)), ("getRuntimeVersion", ()),
    ("getDriverVersion", ()), ("getPeerToPeerAccess", (0, 0)), ("reserveStreams", (2,)), ("getNumStreams", ()),
    ("setStream", (0,)), ("getStream", ()), ("setDefaultStream", ()), ("streamSynchronize", (0,)),
    ("streamWaitFor", (0, [0])), ("streamBarrier", ([0],)), ("manualSeed", (1,)), ("manualSeedAll", (1,)),
    ("seed", ()), ("seedAll", ()), ("initialSeed", ()), ("createCudaHostTensor", (2, 3)), ("CudaGraph", ()),
]


@pytest.fixture
def no_cuda():
    old = backend._set_for_tests(None, "test: no CUDA here")
    yield
    backend._restore(old)


@pytest.fixture
def fake_cupy():
    cp = FakeCupy(2)
    old = backend._set_for_tests(cp)
    streams._RESERVED.clear()
    streams._CURRENT.clear()
    rng._INITIAL.clear()
    yield cp
    backend._restore(old)
    streams._RESERVED.clear()
    streams._CURRENT.clear()
    rng._INITIAL.clear()


# ---- the types ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("short", HOSTS)
def test_cuda_types_exist_with_their_host_types(short):
    tcls, scls = getattr(torch, f"{short}Tensor"), getattr(torch, f"{short}Storage")
    host = getattr(torch, f"{HOSTS[short]}Tensor")
    assert issubclass(tcls, torch.Tensor) and issubclass(scls, torch.Storage)
    assert tcls._typename == f"torch.{short}Tensor" and scls._typename == f"torch.{short}Storage"
    assert tcls._dtype == host._dtype and tcls._host_typename == host._typename
    assert tcls._storage_cls is scls and torch.tensor_class(f"torch.{short}Tensor") is tcls
    assert f"{short}Tensor" in dir(torch)


@pytest.mark.parametrize("short", HOSTS)
def test_without_cuda_every_way_to_make_a_cuda_tensor_says_why(no_cuda, short):
    name = f"torch.{short}Tensor"
    method = "cuda" if short == "Cuda" else "cuda" + short[4:]
    x = torch.rand(2, 3)
    for make in (lambda: getattr(torch, f"{short}Tensor")(2, 3), lambda: getattr(torch, f"{short}Tensor")(),
                 lambda: getattr(torch, f"{short}Storage")(4), lambda: x.type(name), lambda: getattr(x, method)(),
                 lambda: torch.DoubleStorage(2).type(f"torch.{short}Storage")):
        with pytest.raises(torch.CudaUnavailableError, match=rf"torch\.{short}(Tensor|Storage): CUDA is not "
                                                            "available: test: no CUDA here"):
            make()
    assert x.type() == "torch.DoubleTensor"


def test_default_type_cannot_become_cuda(no_cuda):
    with pytest.raises(torch.CudaUnavailableError, match="torch.CudaTensor: CUDA is not available"):
        torch.setdefaulttensortype("torch.CudaTensor")
    assert torch.getdefaulttensortype() == "torch.DoubleTensor"


def test_real_probe_names_the_extra_or_the_missing_device():
    old = backend._set_for_tests(None)
    backend._STATE.tried = False
    try:
        available = backend.is_available()
        if not available:
            with pytest.raises(torch.CudaUnavailableError) as e:
                torch.rand(2).cuda()
            msg = str(e.value)
            assert ("CuPy is not installed" in msg and "pip install 'torch7[cuda]'" in msg
                    and "cupy-cuda12x" in msg) or "found no" in msg
    finally:
        backend._restore(old)


def test_probe_of_a_cupy_without_driver(monkeypatch):
    broken = FakeCupy(0)

    def no_driver():
        raise RuntimeError("cudaErrorInsufficientDriver: CUDA driver version is insufficient")

    broken.cuda.runtime.getDeviceCount = no_driver
    monkeypatch.setitem(sys.modules, "cupy", broken)
    old = backend._set_for_tests(None)
    backend._STATE.tried = False
    try:
        assert not backend.is_available() and cutorch.getDeviceCount() == 0
        with pytest.raises(torch.CudaUnavailableError, match="found no usable CUDA device .*InsufficientDriver"):
            cutorch.getDevice()
    finally:
        backend._restore(old)


def test_array_module():
    a = np.zeros(3)
    assert backend.array_module(a) is np and backend.array_module(torch.rand(2)) is np


# ---- nn ----------------------------------------------------------------------------------------------------
def _net():
    return nn.Sequential().add(nn.Linear(3, 4)).add(nn.ReLU()).add(nn.Linear(4, 2)).add(nn.LogSoftMax())


@pytest.mark.parametrize("how", ["cuda", "cudaDouble", "cudaHalf", "type"])
def test_module_cuda_refuses_before_touching_anything(no_cuda, how):
    net = _net()
    w = net.modules[0].weight
    call = (lambda: net.type("torch.CudaTensor")) if how == "type" else getattr(net, how)
    with pytest.raises(torch.CudaUnavailableError, match=r"nn.Sequential.type\('torch.Cuda\w*Tensor'\): CUDA is "
                                                         "not available"):
        call()
    assert net.modules[0].weight is w and net.type() == "torch.DoubleTensor"
    assert net.forward(torch.rand(5, 3)).size() == torch.Size([5, 2])


def test_criterion_and_graph_cuda_refuse(no_cuda):
    crit = nn.ClassNLLCriterion()
    with pytest.raises(torch.CudaUnavailableError, match=r"nn.ClassNLLCriterion.type\('torch.CudaTensor'\)"):
        crit.cuda()
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Linear(2, 2)(x)])
    with pytest.raises(torch.CudaUnavailableError, match=r"nn.gModule.type\('torch.CudaTensor'\)"):
        g.cuda()
    assert g.forward(torch.rand(2)).size() == torch.Size([2])


def test_load_with_map_location_cuda(no_cuda, tmp_path):
    p = str(tmp_path / "x.t7")
    torch.save(p, torch.rand(2))
    with pytest.raises(torch.CudaUnavailableError, match=r"torch.load\(map_location='cuda'\): CUDA is not"):
        torch.load(p, map_location="cuda")
    assert torch.load(p, map_location="cpu").size() == torch.Size([2])


# ---- cutorch ---------------------------------------------------------------------------------------------------
def test_cutorch_without_cuda(no_cuda):
    assert cutorch.getDeviceCount() == 0 and cutorch.isAvailable() is False and cutorch.hasHalf
    for name, args in CUTORCH_CALLS:
        with pytest.raises(torch.CudaUnavailableError, match=rf"cutorch\.{name}: CUDA is not available"):
            getattr(cutorch, name)(*args)


def test_cutorch_devices_are_zero_based(fake_cupy):
    rt = fake_cupy.cuda.runtime
    assert cutorch.isAvailable() and cutorch.getDeviceCount() == 2 and cutorch.getDevice() == 0
    cutorch.setDevice(1)
    assert rt.dev == 1 and cutorch.getDevice() == 1
    for bad in (2, -1, True, "1"):
        with pytest.raises(IndexError, match=r"cutorch.setDevice: device .* out of range \(this machine has 2 CUDA "
                                             "devices, numbered from 0\\)"):
            cutorch.setDevice(bad)
    assert cutorch.withDevice(0, cutorch.getDevice) == 0 and rt.dev == 1

    def boom():
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        cutorch.withDevice(0, boom)
    assert rt.dev == 1  # switched back after the error


def test_cutorch_memory_properties_versions(fake_cupy):
    assert cutorch.getMemoryUsage() == (100, 1000)  # current device 0: (free, total)
    assert cutorch.getMemoryUsage(1) == (200, 2000) and cutorch.getDevice() == 0
    p = cutorch.getDeviceProperties(1)
    assert p["name"] == "Fake H100 1" and p["totalGlobalMem"] == 2000 and p["freeGlobalMem"] == 200
    assert (p["major"], p["minor"], p["multiProcessorCount"], p["warpSize"]) == (9, 0, 132, 32)
    assert cutorch.getRuntimeVersion() == 13000 and cutorch.getDriverVersion() == 13010
    assert cutorch.getPeerToPeerAccess(0, 1) is True and cutorch.getPeerToPeerAccess(1, 1) is False
    cutorch.synchronize()
    cutorch.synchronizeAll()
    assert fake_cupy.cuda.runtime.log == [("sync", 0), ("sync", 0), ("sync", 1)]


def test_cutorch_streams_per_device(fake_cupy):
    assert cutorch.getNumStreams() == 0 and cutorch.getStream() == 0
    cutorch.reserveStreams(3, True)
    assert cutorch.getNumStreams() == 3 and all(s.non_blocking for s in streams._RESERVED[0])
    cutorch.setStream(2)
    assert cutorch.getStream() == 2 and fake_cupy.current_stream is streams._RESERVED[0][1]
    cutorch.withDevice(1, lambda: None)
    cutorch.setDevice(1)
    assert cutorch.getNumStreams() == 0 and cutorch.getStream() == 0  # streams belong to their device
    with pytest.raises(IndexError, match="cutorch.setStream: stream 1 is not reserved on device 1"):
        cutorch.setStream(1)
    cutorch.setDevice(0)
    cutorch.streamWaitFor(1, [2, 3])
    s1, s2, s3 = streams._RESERVED[0]
    assert [ev.stream for ev in s1.waited] == [s2, s3]
    cutorch.streamBarrier([1, 2])
    assert [ev.stream for ev in s2.waited] == [s1, s2]
    cutorch.streamSynchronize(3)
    assert s3.synced == 1
    cutorch.setDefaultStream()
    assert cutorch.getStream() == 0 and fake_cupy.current_stream is fake_cupy.cuda.Stream.null


def test_cutorch_seeds_per_device(fake_cupy):
    cutorch.manualSeed(123)
    cutorch.manualSeed(7, 1)
    assert fake_cupy.seeds == [(0, 123), (1, 7)] and cutorch.getDevice() == 0
    assert cutorch.initialSeed() == 123 and cutorch.initialSeed(1) == 7
    cutorch.manualSeedAll(5)
    assert fake_cupy.seeds[-2:] == [(0, 5), (1, 5)]
    s = cutorch.seed()
    assert cutorch.initialSeed() == s and fake_cupy.seeds[-1] == (0, s) and s >= 0
    s = cutorch.seedAll()
    assert cutorch.initialSeed(0) == cutorch.initialSeed(1) == s


# ---- torch7.cudnn ---------------------------------------------------------------------------------------------
def _import_cudnn(monkeypatch, frontend):
    monkeypatch.setitem(sys.modules, "cudnn", frontend)
    monkeypatch.delitem(sys.modules, "torch7.cudnn", raising=False)
    return importlib.import_module("torch7.cudnn")


def test_cudnn_without_the_frontend_names_the_extra(monkeypatch):
    with pytest.raises(ImportError, match=r"torch7.cudnn needs NVIDIA's cuDNN frontend.*pip install "
                                          r"'torch7\[cudnn\]'.*the nn modules run without it"):
        _import_cudnn(monkeypatch, None)  # None in sys.modules: "import cudnn" fails


def test_cudnn_with_the_frontend_but_no_gpu(monkeypatch, no_cuda):
    with pytest.raises(ImportError, match="torch7.cudnn: torch7.cudnn: CUDA is not available"):
        _import_cudnn(monkeypatch, types.ModuleType("cudnn"))


# torch7.cudnn's layers, with a stand-in frontend on StrictCupy: tests/test_cudnn.py.


# ---- on a real GPU ----------------------------------------------------------------------------------------
gpu = pytest.mark.skipif(not backend.is_available(), reason="needs CuPy and an NVIDIA GPU")


@pytest.mark.gpu
@gpu
def test_cutorch_on_the_device():
    n = cutorch.getDeviceCount()
    assert n >= 1 and 0 <= cutorch.getDevice() < n
    p = cutorch.getDeviceProperties(0)
    free, total = cutorch.getMemoryUsage(0)
    assert isinstance(p["name"], str) and p["name"] and 0 < free <= total == p["totalGlobalMem"]
    cutorch.reserveStreams(2)
    cutorch.setStream(1)
    cutorch.streamWaitFor(1, [2])
    cutorch.streamBarrier([1, 2])
    cutorch.setDefaultStream()
    cutorch.synchronizeAll()
    cutorch.manualSeed(3)
    assert cutorch.initialSeed() == 3
    h = cutorch.createCudaHostTensor(2, 3)
    assert h.type() == "torch.FloatTensor" and h.sum() == 0
