"""How many rows a fitted net predicts at once.

Inference runs in batches of one fixed shape (the last one filled up, see
``_skorch.forward_iter``), so a sample's prediction does not depend on what is
predicted with it. That shape is chosen once, when ``fit`` ends, from what one
row costs in memory, not from the training ``batch_size``: a training batch
is sized for the optimizer, an inference batch for the hardware.

- Bytes per row are measured on one probe batch: the input plus the output of
  every leaf module (an upper bound on what a forward pass without gradients
  holds at once).
- On the CPU, the batch is sized to keep its activations in cache
  (:data:`CPU_BATCH_BYTES`): measured here, an MLP on 100 features predicted
  200,000 rows 2.2x faster in batches of 2,048 than of 256, and 2.3x slower
  again in batches of 8,192 (``benchmarks/bench_fit_predict.py``).
- On a GPU, it is sized to scikit-learn's ``working_memory``.
- Never more than ``working_memory`` nor :data:`MAX_ROWS` rows, and a power of
  two.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sklearn import get_config

#: Activation bytes of one CPU inference batch: a few MiB stay in cache.
CPU_BATCH_BYTES = 4 * 2**20
#: Rows of one inference batch at most: a one-row ``predict`` computes a whole
#: batch, so a batch stays cheap on its own (8,192 rows already predicted 11x
#: faster than 200 on an H100).
MAX_ROWS = 2**13
#: Rows of the probe batch that measures a row's bytes.
PROBE_ROWS = 32


def row_bytes(module: torch.nn.Module, probe: torch.Tensor) -> int:
    """Bytes one row holds in a forward pass: input plus every leaf's output.

    Parameters
    ----------
    module : torch.nn.Module
        The fitted module; its training mode is restored afterwards.
    probe : torch.Tensor
        A few rows of real input, on the module's device.

    Returns
    -------
    n_bytes : int
        At least 1.

    Examples
    --------
    >>> import torch
    >>> from skdl.neural_net._inference import row_bytes
    >>> mlp = torch.nn.Sequential(torch.nn.Linear(10, 5), torch.nn.ReLU())
    >>> row_bytes(mlp, torch.zeros(4, 10))  # (10 + 5 + 5) float32 values
    80
    """
    total = [probe.element_size() * probe[:1].numel()]

    def count(_module: Any, _args: Any, output: Any) -> None:
        for tensor in output if isinstance(output, tuple | list) else (output,):
            if isinstance(tensor, torch.Tensor) and tensor.ndim:
                total.append(tensor.element_size() * tensor.numel() // len(tensor))

    leaves = [m for m in module.modules() if not any(True for _ in m.children())]
    hooks = [leaf.register_forward_hook(count) for leaf in leaves]
    training = module.training
    try:
        module.eval()
        with torch.no_grad():
            module(probe)
    finally:
        for hook in hooks:
            hook.remove()
        module.train(training)
    return max(1, int(sum(total)))


def inference_rows(n_bytes: int, device: torch.device) -> int:
    """Rows per inference batch for rows of ``n_bytes`` on ``device``.

    Parameters
    ----------
    n_bytes : int
        Bytes per row, from :func:`row_bytes`.
    device : torch.device
        Where the module runs.

    Returns
    -------
    n_rows : int
        A power of two in ``[1, MAX_ROWS]``.

    Examples
    --------
    >>> import torch
    >>> from skdl.neural_net._inference import inference_rows
    >>> inference_rows(1208, torch.device("cpu"))  # an MLP on 100 features
    2048
    >>> inference_rows(1208, torch.device("cuda"))  # sklearn's working_memory
    8192
    """
    budget = int(get_config()["working_memory"] * 2**20)
    if device.type == "cpu":
        budget = min(budget, CPU_BATCH_BYTES)
    rows = min(MAX_ROWS, max(1, budget // n_bytes))
    return 1 << int(np.log2(rows))
