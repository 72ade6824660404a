"""A short tour of the Tensor library: ``python -m torch7.apps.tour``."""

from __future__ import annotations

import time

import torch7 as torch


def _show(title: str, code: str, env: dict) -> None:
    print(f"\n-- {title}")
    for line in code.strip().splitlines():
        print(f"th> {line}")
        try:
            result = eval(line, env)
        except SyntaxError:
            exec(line, env)
            continue
        if result is not None:
            print(result)


def main() -> None:
    t0 = time.perf_counter()
    env = {"torch": torch}
    print("torch7 tensor tour: Lua Torch7 semantics, Python conventions (0-based).")
    _show("seeded like Lua Torch", """
torch.manualSeed(123)
torch.uniform()
torch.manualSeed(0)
torch.random()
""", env)
    _show("construction and Torch7 printing", """
x = torch.Tensor([[1, 2, 3], [4, 5, 6]])
x
x.size()
torch.range(1, 5)
torch.eye(3).float()
""", env)
    _show("views share storage (narrow, select, transpose)", """
col = x.select(1, 0)
col.fill(-1)
x
x.t().isContiguous()
x.narrow(1, 1, 2)
""", env)
    _show("methods are in place, torch.* functions allocate", """
y = torch.ones(2, 3)
y.add(x)
torch.add(x, 10)
x * y
""", env)
    _show("reductions keep the dim, indices are 0-based", """
m = torch.Tensor([[3, 9, 1], [7, 2, 8]])
values, indices = torch.max(m, 1)
indices
m.sum(0)
m.sum()
""", env)
    _show("linear algebra", """
A = torch.Tensor([[4, 1], [1, 3]])
torch.mm(A, A)
torch.inverse(A)
values, vectors = torch.symeig(A, "V")
values
""", env)
    _show("random tensors from the Torch7 generator", """
torch.manualSeed(1)
torch.randn(2, 4)
""", env)
    print(f"\ntour finished in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
