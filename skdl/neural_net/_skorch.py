"""The skorch nets that skdl estimators hold as ``net_``.

skdl never writes a training loop: these subclasses only use skorch's documented
override points (``infer``, ``get_loss``, ``_default_callbacks``) to

- read per-sample weights carried in the batch and weight the loss with them;
- use skdl's named default callbacks instead of skorch's ``PrintLog``;
- skip per-batch bookkeeping that costs as much as a small network's forward
  pass: re-setting train/eval mode on every submodule when it is already set,
  and checking the fitted state once per ``forward_iter`` instead of per batch
  (``benchmarks/bench_fit_predict.py`` measures the effect).

Everything else (the epoch loop, optimizers, callbacks, pickling) is stock skorch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor
from skorch.callbacks import EpochScoring, EpochTimer, PassthroughScoring
from skorch.dataset import unpack_data
from skorch.utils import to_device, to_tensor

from skdl.neural_net._data import WEIGHT_KEY, pad_rows


class _WeightedLossMixin:
    """Loss weighted by the ``sample_weight`` entry of a batch's ``X`` dict.

    The criterion is built with ``reduction="none"``; the batch loss is
    ``sum(w_i * l_i) / sum(w_i)``, PyTorch's convention for weighted losses
    (``CrossEntropyLoss(weight=...)``), so weights of ones give the plain mean.
    """

    device: Any
    criterion_: torch.nn.Module
    module_: torch.nn.Module

    def infer(self, x: Any, **fit_params: Any) -> torch.Tensor:
        if isinstance(x, Mapping) and WEIGHT_KEY in x:
            x = x["X"]
        return super().infer(x, **fit_params)  # type: ignore[misc]

    _modules: list[str]
    _criteria: list[str]

    def _set_training(self, training: bool = True) -> None:
        # skorch calls this before every batch; ``nn.Module.train`` re-assigns the
        # flag of every submodule through ``__setattr__``. Only switch the modules
        # that are not in the requested mode: the result is the same.
        for name in self._modules + self._criteria:
            module = getattr(self, name + "_")
            if isinstance(module, torch.nn.Module) and any(
                m.training != training for m in module.modules()
            ):
                module.train(training)

    def forward_iter(
        self, X: Any, training: bool = False, device: str = "cpu"
    ) -> Iterator[torch.Tensor]:
        # skorch's ``forward_iter`` calls ``evaluation_step`` per batch, which
        # checks the fitted state and sets the module mode each time. Do both once.
        self.check_is_fitted()  # type: ignore[attr-defined]
        dataset = self.get_dataset(X)  # type: ignore[attr-defined]
        iterator = self.get_iterator(dataset, training=training)  # type: ignore[attr-defined]
        size = None if training else getattr(iterator, "batch_size", None)
        self._set_training(training)
        with torch.set_grad_enabled(training):
            for batch in iterator:
                Xi, _ = unpack_data(batch)
                n_rows = len(Xi)
                if size is not None and n_rows < size and torch.is_tensor(Xi):
                    # Inference runs in batches of one fixed shape: the short last
                    # batch is filled up with copies of its last row and the extra
                    # outputs dropped, so that a sample's prediction does not
                    # depend on how many samples are predicted with it.
                    Xi = pad_rows(Xi, size)
                yield to_device(self.infer(Xi)[:n_rows], device=device)

    def _expected_output(
        self, y_pred: torch.Tensor, y_true: torch.Tensor
    ) -> tuple[tuple[int, ...], str]:
        """Shape the module must return for this batch, and what it means."""
        n_outputs = y_true.shape[1] if y_true.ndim == 2 else 1
        return (len(y_true), n_outputs), f"{n_outputs} output(s) per sample"

    def get_loss(
        self,
        y_pred: torch.Tensor,
        y_true: Any,
        X: Any = None,
        training: bool = False,
    ) -> torch.Tensor:
        y_true = to_tensor(y_true, device=self.device)
        expected, meaning = self._expected_output(y_pred, y_true)
        if tuple(y_pred.shape) != expected:
            # Checked before the loss: a 3-column output for 1 target would
            # broadcast in MSELoss, and 3 logits for 2 classes would train.
            raise ValueError(
                f"The module {type(self.module_).__name__} returned outputs of "
                f"shape {tuple(y_pred.shape)} for a batch of {len(y_true)} samples;"
                f" this task needs shape {expected}: {meaning}. Make the last "
                "layer return that many values (skdl passes n_outputs to a "
                "module whose constructor accepts it)."
            )
        loss = self.criterion_(y_pred, y_true)
        if loss.ndim > 1:  # regression with several targets: mean over targets
            loss = loss.reshape(len(loss), -1).mean(dim=1)
        if isinstance(X, Mapping) and WEIGHT_KEY in X:
            weight = to_tensor(X[WEIGHT_KEY], device=self.device)
            total = weight.sum().clamp_min(torch.finfo(weight.dtype).tiny)
            return (loss * weight).sum() / total
        return loss.mean()


def _default_callbacks(score: Any) -> list[tuple[str, Any]]:
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

    def _expected_output(
        self, y_pred: torch.Tensor, y_true: torch.Tensor
    ) -> tuple[tuple[int, ...], str]:
        # skdl always passes ``classes``; a net built by hand may not.
        n_classes = len(self.classes) if self.classes is not None else y_pred.shape[-1]
        return (len(y_true), n_classes), (
            f"one logit per class, {n_classes} classes"
            + (" (2 logits for a binary problem, not 1)" if n_classes == 2 else "")
        )


def _multilabel_accuracy(net: Any, X: Any, y: Any) -> float:
    """Fraction of (sample, task) labels predicted right from the logits."""
    logits = net.predict(X)
    return float(((logits > 0) == (np.asarray(y) > 0.5)).mean())


class SkdlNeuralNetMultilabel(_WeightedLossMixin, NeuralNetRegressor):
    """skorch net for several binary labels per sample (multi-task output).

    Targets are a float 0/1 matrix ``(n_samples, n_tasks)``, the criterion a
    binary cross-entropy on logits; ``predict`` returns the logits. The
    validation score is the per-label accuracy.
    """

    @property
    def _default_callbacks(self) -> list[tuple[str, Any]]:
        return _default_callbacks(_multilabel_accuracy)


class SkdlNeuralNetRegressor(_WeightedLossMixin, NeuralNetRegressor):
    """skorch regressor with weighted losses and skdl's default callbacks.

    Targets are 2-D ``(n_samples, n_outputs)``. The validation score is R^2.
    """

    @property
    def _default_callbacks(self) -> list[tuple[str, Any]]:
        return _default_callbacks("r2")
