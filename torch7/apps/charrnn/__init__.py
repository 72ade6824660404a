"""karpathy/char-rnn on torch7: train and sample character-level language models.

- ``charrnn-train -data_dir DIR`` (``python -m torch7.apps.charrnn.train``): every flag of char-rnn's
  ``train.lua``; trains on ``DIR/input.txt``, writes char-rnn checkpoints (``cv/lm_<savefile>_epoch..._...t7``).
- ``charrnn-sample CHECKPOINT`` (``python -m torch7.apps.charrnn.sample``): ``sample.lua``'s flags; reads
  checkpoints from Lua char-rnn (GPU ones too) and ours.

Modules: ``loader`` (CharSplitLMMinibatchLoader), ``models`` (the nngraph LSTM/GRU/RNN graphs), ``graph``
(char-rnn's clone-per-step training), ``fused`` (the same model on whole sequences with nn.LSTM/nn.RNN),
``checkpoint`` (the .t7 layout), ``train``, ``sample``.
"""
