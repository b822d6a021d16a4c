"""The skorch nets that skdl estimators hold as ``net_``.

skdl never writes a training loop: these subclasses only use skorch's documented
override points (``infer``, ``get_loss``, ``_default_callbacks``) to

- read per-sample weights carried in the batch and weight the loss with them;
- use skdl's named default callbacks instead of skorch's ``PrintLog``.

Everything else (the epoch loop, optimizers, callbacks, pickling) is stock skorch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor
from skorch.callbacks import EpochScoring, EpochTimer, PassthroughScoring
from skorch.utils import to_tensor

from skdl.neural_net._data import WEIGHT_KEY


class _WeightedLossMixin:
    """Loss weighted by the ``sample_weight`` entry of a batch's ``X`` dict.

    The criterion is built with ``reduction="none"``; the batch loss is
    ``sum(w_i * l_i) / sum(w_i)``, PyTorch's convention for weighted losses
    (``CrossEntropyLoss(weight=...)``), so weights of ones give the plain mean.
    """

    device: Any
    criterion_: torch.nn.Module

    def infer(self, x: Any, **fit_params: Any) -> torch.Tensor:
        if isinstance(x, Mapping) and WEIGHT_KEY in x:
            x = x["X"]
        return super().infer(x, **fit_params)  # type: ignore[misc]

    def get_loss(
        self,
        y_pred: torch.Tensor,
        y_true: Any,
        X: Any = None,
        training: bool = False,
    ) -> torch.Tensor:
        y_true = to_tensor(y_true, device=self.device)
        loss = self.criterion_(y_pred, y_true)
        if loss.ndim > 1:  # regression with several targets: mean over targets
            loss = loss.reshape(len(loss), -1).mean(dim=1)
        if isinstance(X, Mapping) and WEIGHT_KEY in X:
            weight = to_tensor(X[WEIGHT_KEY], device=self.device)
            total = weight.sum().clamp_min(torch.finfo(weight.dtype).tiny)
            return (loss * weight).sum() / total
        return loss.mean()


def _default_callbacks(score: str) -> list[tuple[str, Any]]:
    return [
        ("epoch_timer", EpochTimer()),
        ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
        ("valid_loss", PassthroughScoring(name="valid_loss")),
        (
            "valid_score",
            EpochScoring(score, name="valid_score", lower_is_better=False),
        ),
    ]


class SkdlNeuralNetClassifier(_WeightedLossMixin, NeuralNetClassifier):
    """skorch classifier with weighted losses and skdl's default callbacks.

    Labels are the integers ``0 .. n_classes - 1``; the skdl estimator maps
    them to and from the user's labels. The validation score is accuracy.
    """

    @property
    def _default_callbacks(self) -> list[tuple[str, Any]]:
        return _default_callbacks("accuracy")


class SkdlNeuralNetRegressor(_WeightedLossMixin, NeuralNetRegressor):
    """skorch regressor with weighted losses and skdl's default callbacks.

    Targets are 2-D ``(n_samples, n_outputs)``. The validation score is R^2.
    """

    @property
    def _default_callbacks(self) -> list[tuple[str, Any]]:
        return _default_callbacks("r2")
