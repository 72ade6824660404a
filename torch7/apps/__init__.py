"""Applications built on torch7: ``charrnn`` (karpathy/char-rnn) and ``tour`` (the tensor tour)."""
