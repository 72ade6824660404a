"""Train a character-level language model, as karpathy/char-rnn's ``train.lua``.

Run ``charrnn-train -data_dir DIR`` (or ``python -m torch7.apps.charrnn.train``; ``-h`` lists the flags).
``DIR`` holds ``input.txt``. Checkpoints go to ``checkpoint_dir`` in char-rnn's layout.
"""

from __future__ import annotations

import math
import os
import sys

import torch7 as torch
from torch7 import optim
from torch7._core import types as T
from torch7._core.backend import CudaUnavailableError

from . import checkpoint as ckpt
from .fused import FusedCharModel, zero_state
from .graph import GraphCharModel
from .loader import CharSplitLMMinibatchLoader


def make_cmd():
    cmd = torch.CmdLine()
    cmd.text()
    cmd.text("Train a character-level language model")
    cmd.text()
    cmd.text("Options")
    cmd.option("-data_dir", "data/tinyshakespeare", "data directory. Should contain the file input.txt with input data")
    cmd.option("-rnn_size", 128, "size of LSTM internal state")
    cmd.option("-num_layers", 2, "number of layers in the LSTM")
    cmd.option("-model", "lstm", "lstm,gru or rnn")
    cmd.option("-learning_rate", 2e-3, "learning rate")
    cmd.option("-learning_rate_decay", 0.97, "learning rate decay")
    cmd.option("-learning_rate_decay_after", 10, "in number of epochs, when to start decaying the learning rate")
    cmd.option("-decay_rate", 0.95, "decay rate for rmsprop")
    cmd.option("-dropout", 0.0, "dropout for regularization, used after each RNN hidden layer. 0 = no dropout")
    cmd.option("-seq_length", 50, "number of timesteps to unroll for")
    cmd.option("-batch_size", 50, "number of sequences to train on in parallel")
    cmd.option("-max_epochs", 50.0, "number of full passes through the training data")
    cmd.option("-grad_clip", 5.0, "clip gradients at this value")
    cmd.option("-train_frac", 0.95, "fraction of data that goes into train set")
    cmd.option("-val_frac", 0.05, "fraction of data that goes into validation set")
    cmd.option("-init_from", "", "initialize network parameters from checkpoint at this path")
    cmd.option("-seed", 123, "torch manual random number generator seed")
    cmd.option("-print_every", 1, "how many steps/minibatches between printing out the loss")
    cmd.option("-eval_val_every", 1000, "every how many iterations should we evaluate on validation data?")
    cmd.option("-checkpoint_dir", "cv", "output directory where checkpoints get written")
    cmd.option("-savefile", "lstm", "filename to autosave the checkpont to. Will be inside checkpoint_dir/")
    cmd.option("-accurate_gpu_timing", 0, "set this flag to 1 to get precise timings when using GPU.")
    cmd.option("-gpuid", -1, "which gpu to use. -1 = use CPU")
    cmd.option("-opencl", 0, "use OpenCL (instead of CUDA)")
    cmd.text()
    cmd.text("torch7 additions")
    cmd.option("-impl", "fused", "fused (whole-sequence nn.LSTM/nn.RNN) or graph (char-rnn's nngraph clones)")
    cmd.option("-type", "float", "float or double: the tensor type to train in")
    cmd.option("-max_iters", 0, "stop after this many iterations (0 = max_epochs decides)")
    cmd.option("-max_seconds", 0.0, "stop after this much training time (0 = no limit)")
    cmd.option("-val_max_batches", 0, "evaluate on at most this many validation batches (0 = all)")
    cmd.option("-progress", 1, "1 = show a progress bar between printed lines (on a terminal)")
    cmd.option("-cudagraph", 0, "1 = with -gpuid, replay each training step as one captured CUDA graph")
    cmd.text()
    return cmd


def tensor_type(opt) -> str:
    """The tensor type training runs in: ``-type`` on the host, its CUDA twin with ``-gpuid >= 0``."""
    short = str(opt.type).capitalize()
    return T.CUDA_NAME_OF_SHORT[short] if opt.gpuid >= 0 else f"torch.{short}Tensor"


def build_model(opt, vocab_size: int, init_graph=None):
    impl = opt.impl if opt.model != "gru" else "graph"
    if impl == "fused":
        m = FusedCharModel(vocab_size, opt.rnn_size, opt.num_layers, opt.model, opt.dropout)
        if init_graph is not None:
            m.from_graph(init_graph)
    elif impl == "graph":
        m = GraphCharModel(vocab_size, opt.rnn_size, opt.num_layers, opt.model, opt.dropout, rnn=init_graph)
    else:
        raise ValueError(f"charrnn-train: -impl must be fused or graph, not {impl!r}")
    return m.type(tensor_type(opt))


def _on_device(batch, typename: str):
    """The loader's LongTensor batch as the index type of ``typename`` (a CudaLongTensor on the GPU: char-rnn
    copies each batch to the device)."""
    long_cls = T.tensor_class(typename)._long_cls
    return tuple(t if type(t) is long_cls else t.type(long_cls._typename) for t in batch)


def eval_split(model, loader, split_index: int, max_batches: int, typename: str) -> float:
    n = loader.split_sizes[split_index]
    if max_batches:
        n = min(n, max_batches)
    loader.reset_batch_pointer(split_index)
    state = zero_state(model.states_per_layer() * model.L, loader.batch_size, model.H, typename)
    model.evaluate()
    loss = 0.0
    for _ in range(n):
        x, y = _on_device(loader.next_batch(split_index), typename)
        loss += model.forward(x, y, state)
    model.training()
    return loss / max(n, 1)


def _load_init(opt, loader):
    if not opt.init_from:
        return None
    print(f"loading a model from checkpoint {opt.init_from}")
    cp = ckpt.load(opt.init_from)
    if cp["vocab"] != loader.vocab:
        raise ValueError(f"{opt.init_from}: the checkpoint's vocabulary differs from the data's")
    for k in ("rnn_size", "num_layers", "model"):
        if k in cp["opt"]:
            print(f"overwriting {k}={opt[k]} based on the checkpoint.")
            opt[k] = type(opt[k])(cp["opt"][k])
    return cp["protos"]["rnn"]


def train(opt, log=print) -> dict:
    """Run char-rnn training with the options ``opt``; returns the losses and the last checkpoint path."""
    torch.manualSeed(int(opt.seed))
    typename = tensor_type(opt)
    if opt.gpuid >= 0:  # the CUDA tensors' uniform() draws from the device generator
        torch.cutorch.setDevice(int(opt.gpuid))
        torch.cutorch.manualSeed(int(opt.seed))
    test_frac = max(0.0, 1 - (opt.train_frac + opt.val_frac))
    loader = CharSplitLMMinibatchLoader(opt.data_dir, opt.batch_size, opt.seq_length,
                                        (opt.train_frac, opt.val_frac, test_frac))
    if loader.warning:
        log(loader.warning)
    log(f"vocab size: {loader.vocab_size}")
    log(f"data load done. Number of data batches in train: {loader.ntrain}, val: {loader.nval}, test: {loader.ntest}")
    os.makedirs(opt.checkpoint_dir, exist_ok=True)
    init_graph = _load_init(opt, loader)
    model = build_model(opt, loader.vocab_size, init_graph)
    params, grad_params = model.getParameters()
    if init_graph is None:
        model.init_weights(params)
    log(f"number of parameters in the model: {params.nElement()}")
    state = zero_state(model.states_per_layer() * opt.num_layers, opt.batch_size, opt.rnn_size, typename)

    use_graph = bool(opt.cudagraph) and opt.gpuid >= 0
    if use_graph and (opt.dropout > 0 or not isinstance(model, FusedCharModel)):
        log("-cudagraph needs the fused model (-impl fused, lstm or rnn) and no dropout (a graph replays its "
            "dropout masks): running without it")
        use_graph = False
    batch: list = []  # this iteration's (x, y) on the device; with -cudagraph the same tensors, refilled

    def next_batch() -> None:
        xb, yb = loader.next_batch(0)
        if use_graph and batch:
            batch[0].copy(xb)
            batch[1].copy(yb)
        else:
            batch[:] = _on_device((xb, yb), typename)

    def feval(_x):
        grad_params.zero()
        loss = model.forward(batch[0], batch[1], state)
        model.backward()
        grad_params.clamp(-opt.grad_clip, opt.grad_clip)
        return loss, grad_params

    graph = None  # the captured step (-cudagraph); None: the next step runs as usual and is captured after

    train_losses, val_losses = [], {}
    optim_state = {"learningRate": opt.learning_rate, "alpha": opt.decay_rate}
    iterations = int(opt.max_epochs * loader.ntrain)
    if opt.max_iters:
        iterations = min(iterations, int(opt.max_iters))
    loss0, path, val_loss = None, None, math.nan
    model.training()
    timer, clock = torch.Timer(), torch.Timer()
    show_bar = opt.progress and opt.print_every > 1
    for i in range(1, iterations + 1):
        epoch = i / loader.ntrain
        timer.reset()
        next_batch()
        if graph is not None:
            graph.replay()
            loss = [model.criterion.output_tensor[0]]
        else:
            _, loss = optim.rmsprop(feval, params, optim_state)
            if use_graph:  # the learning rate and the buffers' memory are read at capture
                graph = torch.cutorch.CudaGraph(lambda: optim.rmsprop(feval, params, optim_state), warmup=0)
        elapsed = timer.time().real
        train_loss = float(loss[0])
        train_losses.append(train_loss)
        if i % loader.ntrain == 0 and opt.learning_rate_decay < 1 and epoch >= opt.learning_rate_decay_after:
            optim_state["learningRate"] *= opt.learning_rate_decay
            graph = None
            log(f"decayed learning rate by a factor {opt.learning_rate_decay} to {optim_state['learningRate']}")
        out_of_time = bool(opt.max_seconds) and clock.time().real > opt.max_seconds
        if i % opt.eval_val_every == 0 or i == iterations or out_of_time:
            graph = None  # evaluation runs the same modules eagerly: capture again afterwards
            val_loss = eval_split(model, loader, 1, opt.val_max_batches, typename)
            val_losses[i] = val_loss
            path = ckpt.checkpoint_name(opt.checkpoint_dir, opt.savefile, epoch, val_loss)
            log(f"evaluating loss on validation data: {val_loss:.4f}; saving checkpoint to {path}")
            ckpt.save(path, model.to_graph().clone().double(), _plain(opt), loader.vocab, train_losses,
                      val_losses, i, epoch, val_loss)
        if i % opt.print_every == 0:
            ratio = grad_params.norm() / params.norm()
            log(f"{i}/{iterations} (epoch {epoch:.3f}), train_loss = {train_loss:6.8f}, "
                f"grad/param norm = {ratio:6.4e}, time/batch = {elapsed:.4f}s")
        elif show_bar:
            torch.xlua.progress(i % opt.print_every, opt.print_every)
        if train_loss != train_loss:
            log("loss is NaN.  This usually indicates a bug.  Please check the issues page for existing issues, "
                "or create a new issue, if none exist.  Ideally, please state: your operating system, 32-bit/64-bit, "
                "your blas version, cpu/cuda/cl?")
            break
        loss0 = train_loss if loss0 is None else loss0
        if train_loss > loss0 * 3:
            log("loss is exploding, aborting.")
            break
        if out_of_time:
            log(f"stopping after {i} iterations: -max_seconds {opt.max_seconds} reached")
            break
    return {"train_losses": train_losses, "val_losses": val_losses, "checkpoint": path, "val_loss": val_loss,
            "loader": loader, "model": model}


def _plain(opt) -> dict:
    return {k: opt[k] for k in opt.keys()} if hasattr(opt, "keys") else dict(vars(opt))


def main(argv: list[str] | None = None) -> int:
    opt = make_cmd().parse(sys.argv[1:] if argv is None else argv)
    if opt.opencl:
        print("charrnn-train: OpenCL is not supported; falling back on CPU mode (use -gpuid for CUDA)")
        opt.opencl, opt.gpuid = 0, -1
    if opt.gpuid >= 0:
        try:
            torch.cutorch.setDevice(int(opt.gpuid))
            print(f"using CUDA on GPU {opt.gpuid}...")
        except (CudaUnavailableError, IndexError) as e:  # char-rnn also falls back when cunn is missing
            print(f"charrnn-train: {e}; falling back on CPU mode")
            opt.gpuid = -1
    train(opt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
