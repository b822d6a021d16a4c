"""Stop a fit whose loss is no longer finite, with the fix in the message."""

from __future__ import annotations

from typing import Any

import numpy as np
from skorch.callbacks import Callback

from skdl.exceptions import NonFiniteLossError


class FiniteLossCheck(Callback):
    """Raise :class:`~skdl.exceptions.NonFiniteLossError` when training diverges.

    A loss of NaN or infinity means the weights are no longer finite: every
    later epoch is wasted and every prediction meaningless (a classifier would
    predict its first class everywhere). scikit-learn's MLP raises in that
    case; this callback does the same at the end of the first epoch whose
    training loss is not finite, naming the epoch and the learning rate. skdl
    estimators add it under the name ``finite_loss``.

    Parameters
    ----------
    caller : str, default="fit"
        Name used in the message (skdl passes the estimator's class name).

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.exceptions import NonFiniteLossError
    >>> from skdl.neural_net import MLPNetRegressor
    >>> X = np.random.RandomState(0).randn(50, 3)
    >>> y = X @ [1e6, 1e6, 1e6]
    >>> reg = MLPNetRegressor(optimizer="sgd", lr=100, max_epochs=5, random_state=0)
    >>> try:
    ...     reg.fit(X, y)
    ... except NonFiniteLossError as e:
    ...     print(str(e)[:48])
    MLPNetRegressor: training diverged: the training
    """

    def __init__(self, caller: str = "fit") -> None:
        self.caller = caller

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        loss = net.history[-1].get("train_loss")
        if loss is None or np.isfinite(loss):
            return
        epoch = net.history[-1]["epoch"]
        lr = getattr(net, "lr", None)
        suggestion = "" if lr is None else f" (for example lr={lr / 10:g})"
        raise NonFiniteLossError(
            f"{self.caller}: training diverged: the training loss is {loss} at "
            f"epoch {epoch}, so the network's weights are no longer finite "
            f"(lr={lr}). Lower the learning rate{suggestion}, scale the inputs, "
            "or use optimizer='adam'."
        )
