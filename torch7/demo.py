"""`make demo`: char-rnn on Shakespeare, trained and sampled on the CPU in a few minutes.

Trains karpathy/char-rnn's default model (a 2-layer LSTM, 128 units) on the text shipped with the
package, printing progress and the validation loss, then samples at two temperatures from the
checkpoint it wrote (char-rnn's ``.t7`` layout). Run with ``python -m torch7.demo``; ``--text sonnets``
trains on the sonnets instead of the eight plays, ``--seconds`` sets the training budget.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
import time
from importlib import resources

from torch7.apps.charrnn import sample, train

TEXTS = {"plays": "shakespeare_8plays.txt.gz", "sonnets": "shakespeare_sonnets.txt.gz"}


def write_input(text: str, directory: str) -> str:
    data = gzip.decompress(resources.files("torch7.data").joinpath(TEXTS[text]).read_bytes())
    with open(os.path.join(directory, "input.txt"), "wb") as f:
        f.write(data)
    return directory


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", choices=sorted(TEXTS), default="plays")
    ap.add_argument("--seconds", type=float, default=200.0, help="training time budget")
    ap.add_argument("--iters", type=int, default=6000)
    ap.add_argument("--length", type=int, default=400, help="characters per sample")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    work = tempfile.mkdtemp(prefix="torch7-demo-")
    data_dir = write_input(args.text, work)
    print(f"torch7 demo: char-rnn (2-layer LSTM, rnn_size 128) on Shakespeare's {args.text}; files in {work}")
    flags = ["-data_dir", data_dir, "-checkpoint_dir", os.path.join(work, "cv"), "-savefile", "demo",
             "-max_iters", str(args.iters), "-max_seconds", str(args.seconds), "-print_every", "50",
             "-eval_val_every", "500", "-val_max_batches", "20", "-train_frac", "0.95", "-val_frac", "0.05"]
    opt = train.make_cmd().parse(flags)
    result = train.train(opt)
    print(f"\nvalidation loss {result['val_loss']:.4f} after {len(result['train_losses'])} iterations "
          f"({time.perf_counter() - t0:.0f} s); checkpoint {result['checkpoint']}")
    for temperature in (0.5, 1.0):
        print(f"\n---- sample, temperature {temperature} "
              f"(charrnn-sample {result['checkpoint']} -temperature {temperature}) ----")
        text = sample.sample_text(result["checkpoint"], args.length, "\n", temperature)
        sys.stdout.write(text.decode("utf-8", "replace") + "\n")
    print(f"\ndone in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
