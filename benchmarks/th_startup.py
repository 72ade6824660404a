"""Start-up time of ``th -e "print(1)"`` (target: under 0.5 s; Lua Torch7's th: about 0.1 s).

Each figure is the median wall-clock time of several runs of a fresh process, measured in the same
run of this script: bare Python, ``python -c "import torch7"`` and ``th -e "print(1)"`` (which
preloads torch and binds nn/optim lazily), and for comparison ``th -e`` using ``nn``.

Run: ``python benchmarks/th_startup.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

LUA_TH_REFERENCE_S = 0.1  # `th -e "print(1)"` with LuaJIT Torch7 (trepl loads torch): about 0.1 s
TARGET_S = 0.5


def th_command() -> list[str]:
    exe = Path(sys.executable).parent / "th"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "torch7.cli.th"]


def median_time(cmd: list[str], runs: int) -> float:
    env = dict(os.environ, TREPL_HISTORY=os.devnull)
    subprocess.run(cmd, capture_output=True, check=True, env=env)  # warm-up: page cache, .pyc files
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("python -c 'import torch7'", [sys.executable, "-c", "import torch7"]),
        ('th -e "print(1)"', th_command() + ["-e", "print(1)"]),
        ('th -e "print(nn.Linear(2, 3))"', th_command() + ["-e", "print(nn.Linear(2, 3))"]),
    ]
    print(f"start-up time, median of {runs} runs (seconds)")
    results = {}
    for name, cmd in rows:
        results[name] = median_time(cmd, runs)
        print(f"  {name:34s} {results[name]:.3f}")
    ours = results['th -e "print(1)"']
    print(f"  {'Lua Torch7 th -e (reference)':34s} {LUA_TH_REFERENCE_S:.3f}")
    verdict = "OK" if ours < TARGET_S else "TOO SLOW"
    print(f'th -e "print(1)": {ours:.3f} s, target < {TARGET_S} s: {verdict}; '
          f"{ours / LUA_TH_REFERENCE_S:.1f}x Lua's reference")


if __name__ == "__main__":
    main()
