"""The skorch nets that skdl estimators hold as ``net_``.

skdl never writes a training loop: these subclasses only use skorch's documented
override points (``infer``, ``get_loss``, ``_default_callbacks``) to

- read per-sample weights carried in the batch and weight the loss with them;
- use skdl's named default callbacks instead of skorch's ``PrintLog``;
- skip per-batch bookkeeping that costs as much as a small network's forward
  pass: re-setting train/eval mode on every submodule when it is already set,
  checking the fitted state once per ``forward_iter`` instead of per batch,
  and calling per-batch callback hooks that do nothing
  (``benchmarks/bench_fit_predict.py`` measures the effect).

Everything else (the epoch loop, optimizers, callbacks, pickling) is stock skorch.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from skorch import NeuralNet, NeuralNetClassifier, NeuralNetRegressor
from skorch.callbacks import Callback, EpochScoring, EpochTimer, PassthroughScoring
from skorch.dataset import get_len, unpack_data
from skorch.history import History
from skorch.utils import to_device, to_tensor

from skdl.neural_net._data import WEIGHT_KEY, pad_rows

_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_grad_computed")
# torch's optimizers whose ``step(closure)`` calls the closure exactly once, first.
_CLOSURE_FREE = frozenset(
    {
        torch.optim.Adam,
        torch.optim.AdamW,
        torch.optim.SGD,
        torch.optim.RMSprop,
        torch.optim.Adagrad,
        torch.optim.Adamax,
        torch.optim.NAdam,
        torch.optim.RAdam,
    }
)


@dataclass
class _LeanEpoch:
    """What the batch loop of one training epoch looks up once."""

    optimizer: torch.optim.Optimizer | None
    trees: list[tuple[torch.nn.Module, list[torch.nn.Module]]]


class _WeightedLossMixin:
    """Loss weighted by the ``sample_weight`` entry of a batch's ``X`` dict.

    The criterion is built with ``reduction="none"`` when the data carry
    weights; the batch loss is then ``sum(w_i * l_i) / sum(w_i)``, PyTorch's
    convention for weighted losses (``CrossEntropyLoss(weight=...)``), so
    weights of ones give the plain mean. Without weights it is built with
    ``reduction="mean"`` and its value is the batch loss.
    """

    device: Any
    criterion_: torch.nn.Module
    module_: torch.nn.Module

    def infer(self, x: Any, **fit_params: Any) -> torch.Tensor:
        if isinstance(x, Mapping) and WEIGHT_KEY in x:
            x = x["X"]
        if not fit_params and isinstance(x, torch.Tensor):
            # skorch's ``infer`` for a tensor: moved to the net's device, then
            # the module. One call instead of three on the per-batch path.
            return self.module_(x.to(self.device))
        return super().infer(x, **fit_params)  # type: ignore[misc]

    _modules: list[str]
    _criteria: list[str]

    def _module_trees(self) -> list[tuple[torch.nn.Module, list[torch.nn.Module]]]:
        """Each module and criterion of the net, with all its submodules."""
        trees = []
        for name in self._modules + self._criteria:
            module = getattr(self, name + "_")
            if isinstance(module, torch.nn.Module):
                trees.append((module, list(module.modules())))
        return trees

    def _set_training(self, training: bool = True) -> None:
        # skorch calls this before every batch; ``nn.Module.train`` re-assigns the
        # flag of every submodule through ``__setattr__``. Only switch the modules
        # that are not in the requested mode: the result is the same. Within an
        # epoch the module trees are listed once (``run_single_epoch``).
        lean = self.__dict__.get("_lean_epoch")
        trees = self._module_trees() if lean is None else lean.trees
        for module, members in trees:
            for member in members:
                if member.training != training:
                    module.train(training)
                    break

    history: Any
    callbacks_: list[tuple[str, Any]]

    def _lean_batches(self) -> bool:
        """Whether the batch loop may skip hooks that do nothing.

        True for skorch's own ``History`` and a net whose batch hooks are
        skorch's: the net's ``on_batch_begin`` only opens the batch's history
        record, which the lean loop does itself.
        """
        return type(self.history) is History and not any(
            getattr(type(self), hook) is not getattr(NeuralNet, hook)
            for hook in _BATCH_HOOKS
        )

    def _batch_listeners(self, hook: str) -> list[Any]:
        """Return the callbacks' bound ``hook`` methods that are not no-ops."""
        listeners = []
        for _, callback in self.callbacks_:
            method = getattr(callback, hook)
            if getattr(method, "__func__", method) is not getattr(Callback, hook):
                listeners.append(method)
        return listeners

    def run_single_epoch(
        self,
        iterator: Any,
        training: bool,
        prefix: str,
        step_fn: Any,
        **fit_params: Any,
    ) -> None:
        # skorch's loop, with the same records and hooks in the same order, but
        # a callback is only called on a batch hook it implements (skorch's
        # ``notify`` calls every callback's no-op too), and the batch record is
        # written into the epoch's list directly (``History.record_batch``
        # copies the whole history to find it).
        if iterator is None or not self._lean_batches():
            super().run_single_epoch(  # type: ignore[misc]
                iterator, training, prefix, step_fn, **fit_params
            )
            return
        begin = self._batch_listeners("on_batch_begin")
        end = self._batch_listeners("on_batch_end")
        batches = list.__getitem__(self.history, -1)["batches"]
        # Set for this epoch only; the net's own attribute checks refuse a
        # bare optimizer here, and nothing of it is pickled.
        self._lean_epoch = _LeanEpoch(
            self._closure_free_optimizer(), self._module_trees()
        )
        batch_count = 0
        try:
            for batch in iterator:
                record: dict[str, Any] = {}
                batches.append(record)
                for method in begin:
                    method(self, batch=batch, training=training)
                step = step_fn(batch, **fit_params)
                record[prefix + "_loss"] = step["loss"].item()
                x = batch[0] if isinstance(batch, tuple | list) else batch
                record[prefix + "_batch_size"] = (
                    len(x) if isinstance(x, torch.Tensor) else get_len(x)
                )
                for method in end:
                    method(self, batch=batch, training=training, **step)
                batch_count += 1
        finally:
            del self._lean_epoch
        self.history.record(prefix + "_batch_count", batch_count)

    _optimizers: list[str]

    def _closure_free_optimizer(self) -> torch.optim.Optimizer | None:
        """Return the net's optimizer if a step needs no closure and no hook.

        skorch passes the loss to ``optimizer.step`` as a closure (L-BFGS
        evaluates it several times) and calls ``on_grad_computed`` after the
        backward pass. For torch's first-order optimizers, which call the
        closure once at the start of ``step``, and with no callback on that
        hook, ``zero_grad``, forward, backward, ``step`` is the same update.
        """
        if len(self._optimizers) != 1 or self._batch_listeners("on_grad_computed"):
            return None
        optimizer = getattr(self, self._optimizers[0] + "_")
        if type(optimizer) not in _CLOSURE_FREE:
            return None
        return optimizer

    def train_step(self, batch: Any, **fit_params: Any) -> dict[str, Any]:
        lean = self.__dict__.get("_lean_epoch")
        optimizer = None if lean is None else lean.optimizer
        if optimizer is None:
            return super().train_step(batch, **fit_params)  # type: ignore[misc]
        optimizer.zero_grad()
        with torch.enable_grad():  # as inside ``step`` for the closure
            step = self.train_step_single(batch, **fit_params)  # type: ignore[attr-defined]
        optimizer.step()
        return step

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

    def _n_outputs(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> int:
        """Return how many outputs per sample the module must return."""
        return y_true.shape[1] if y_true.ndim == 2 else 1

    def _output_meaning(self, n_outputs: int) -> str:
        """Say what ``n_outputs`` outputs per sample are, for the shape error."""
        return f"{n_outputs} output(s) per sample"

    def get_loss(
        self,
        y_pred: torch.Tensor,
        y_true: Any,
        X: Any = None,
        training: bool = False,
    ) -> torch.Tensor:
        if not (isinstance(y_true, torch.Tensor) and y_true.device == y_pred.device):
            y_true = to_tensor(y_true, device=self.device)
        n_outputs = self._n_outputs(y_pred, y_true)
        if y_pred.shape != (len(y_true), n_outputs):
            # Checked before the loss: a 3-column output for 1 target would
            # broadcast in MSELoss, and 3 logits for 2 classes would train.
            expected = (len(y_true), n_outputs)
            raise ValueError(
                f"The module {type(self.module_).__name__} returned outputs of "
                f"shape {tuple(y_pred.shape)} for a batch of {len(y_true)} samples;"
                f" this task needs shape {expected}: "
                f"{self._output_meaning(n_outputs)}. Make the last "
                "layer return that many values (skdl passes n_outputs to a "
                "module whose constructor accepts it)."
            )
        loss = self.criterion_(y_pred, y_true)
        if loss.ndim == 0:  # reduction="mean": no weights (see _fit_net)
            return loss
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

    def _n_outputs(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> int:
        # skdl always passes ``classes``; a net built by hand may not.
        return len(self.classes) if self.classes is not None else y_pred.shape[-1]

    def _output_meaning(self, n_outputs: int) -> str:
        return f"one logit per class, {n_outputs} classes" + (
            " (2 logits for a binary problem, not 1)" if n_outputs == 2 else ""
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
