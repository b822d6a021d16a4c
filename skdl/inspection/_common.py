"""What the inspection functions share: the estimator's parts and its response.

A fitted estimator is a bare model or a :class:`~sklearn.pipeline.Pipeline`;
the steps before the model are applied once, and the response is always read
through the model's own ``predict`` path, on one scale for every method:

- classifiers: the target class's log-probability minus the mean
  log-probability of the other classes. For two classes this is the log-odds
  ``log p1 - log p0``; for a softmax net it equals the same combination of
  logits, so the gradient methods (on logits) and in-silico mutagenesis (on
  ``predict_log_proba``) measure one quantity;
- one sigmoid output per task (multilabel nets): that task's log-odds;
- regressors: the predicted value of the target output.

Log-probabilities are floored at ``log(1e-12)``: a random forest says 0 and 1
outright, and an infinite log-odds would turn every effect into NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from skdl.preprocessing import SequenceOneHotEncoder


def split_pipeline(estimator: Any, caller: str) -> tuple[Any, Any]:
    """Return ``(steps before the model or None, the fitted model)``."""
    if isinstance(estimator, Pipeline):
        check_is_fitted(estimator)
        model = estimator.steps[-1][1]
        pre = estimator[:-1] if len(estimator.steps) > 1 else None
    else:
        model, pre = estimator, None
    if model in (None, "passthrough") or not hasattr(model, "fit"):
        raise TypeError(
            f"{caller}: the last step of the pipeline must be a fitted "
            f"estimator; got {model!r}."
        )
    check_is_fitted(model)
    return pre, model


def first_encoder(estimator: Any) -> SequenceOneHotEncoder | None:
    """Return the pipeline's first step when it is a fitted one-hot sequence encoder."""
    if isinstance(estimator, Pipeline):
        first = estimator.steps[0][1]
        if isinstance(first, SequenceOneHotEncoder):
            return first
    return None


@dataclass
class Response:
    """What is measured: per-sample output indices and how to read them."""

    #: ``"class"`` (softmax over classes), ``"task"`` (one sigmoid per task) or
    #: ``"output"`` (regression).
    kind: str
    #: Index of the measured class, task or output, per sample.
    index: NDArray[np.intp]
    #: The target as the user names it (class labels or output indices).
    labels: NDArray[Any]
    #: Number of classes, tasks or outputs.
    n_outputs: int

    def describe(self) -> str:
        """Name the response briefly, for plots and reports."""
        unique = np.unique(self.labels)
        noun = {"class": "class", "task": "task", "output": "output"}[self.kind]
        which = (
            f"{noun} {unique[0]}"
            if len(unique) == 1
            else f"each sample's target {noun}"
        )
        if self.kind == "class":
            return (
                f"log-odds of {which}"
                if self.n_outputs == 2
                else f"log-probability of {which} against the others"
            )
        if self.kind == "task":
            return f"log-odds of {which}"
        return f"predicted {which}" if self.n_outputs > 1 else "prediction"

    def weights(self) -> NDArray[np.float64]:
        """Matrix ``M`` with the response of output ``k`` as column ``k``.

        ``logits @ M[:, index]`` is the response for a softmax net: the
        target's logit minus the mean logit of the other classes.
        """
        k = self.n_outputs
        if self.kind != "class" or k == 1:
            return np.eye(k)
        M = np.full((k, k), -1.0 / (k - 1))
        np.fill_diagonal(M, 1.0)
        return M

    def from_log_proba(self, log_proba: NDArray[Any], rows: Any) -> NDArray[Any]:
        """Return the response from log-probabilities, for samples ``rows``."""
        index = self.index[rows]
        picked = np.take_along_axis(log_proba, index[:, None], axis=1)[:, 0]
        k = self.n_outputs
        return np.asarray(picked - (log_proba.sum(axis=1) - picked) / (k - 1))


#: Floor of the log-probabilities (a probability of 1e-12).
LOG_FLOOR = float(np.log(1e-12))


def _is_multilabel(model: Any) -> bool:
    """Whether a classifier gives one probability per task (not per class)."""
    if getattr(model, "_multilabel_dtype", None) is not None:
        return True
    binarizer = getattr(model, "_label_binarizer", None)  # sklearn's MLP
    return getattr(binarizer, "y_type_", None) == "multilabel-indicator"


def resolve_response(
    estimator: Any,
    model: Any,
    target: Any,
    n_samples: int,
    caller: str,
    probe: Any = None,
) -> Response:
    """Check ``target`` against the model and return the per-sample response.

    ``None`` means the positive class ``classes_[1]`` of a binary classifier,
    the only output of a regressor, and for more classes or outputs it is
    refused here (the callers that can choose one per sample do so first).
    ``probe()`` predicts one sample, for a regressor without ``n_outputs_``.
    """
    if is_classifier(estimator):
        classes = np.asarray(model.classes_)
        kind = "task" if _is_multilabel(model) else "class"
        if target is None:
            if kind == "class" and len(classes) == 2:
                target = classes[1]
            else:
                raise ValueError(
                    f"{caller}: the model has {len(classes)} "
                    f"{'tasks' if kind == 'task' else 'classes'} "
                    f"{classes.tolist()!r}; pass target=<label> (one for all "
                    "samples, or one per sample)."
                )
        # No cast to the classes' type: "binding_site" must not become "bind".
        labels = np.asarray(target, dtype=object)
        labels = np.broadcast_to(labels, (n_samples,)) if labels.ndim == 0 else labels
        if labels.shape != (n_samples,):
            raise ValueError(
                f"{caller}: target must be one label or one label per sample "
                f"({n_samples}); got shape {labels.shape}."
            )
        position = {label: i for i, label in enumerate(classes.tolist())}
        # numpy scalars as Python values, as classes.tolist() gives them.
        labels = np.asarray(
            [t.item() if isinstance(t, np.generic) else t for t in labels.tolist()],
            dtype=object,
        )
        unknown = [
            t
            for t in labels.tolist()
            if t not in position
            or isinstance(t, bool) != isinstance(classes.tolist()[position[t]], bool)
        ]
        if unknown:
            raise ValueError(
                f"{caller}: target {unknown[0]!r} is not one of the model's "
                f"{'tasks' if kind == 'task' else 'classes'} {classes.tolist()!r}."
            )
        index = np.fromiter((position[t] for t in labels.tolist()), np.intp, n_samples)
        return Response(kind, index, classes[index], len(classes))
    n_outputs = getattr(model, "n_outputs_", None)
    if n_outputs is None:
        # Not every regressor records it (Ridge, k-NN): one prediction tells.
        n_outputs = 1 if probe is None else int(np.reshape(probe(), (1, -1)).shape[1])
    n_outputs = int(n_outputs)
    if target is None:
        if n_outputs > 1:
            raise ValueError(
                f"{caller}: the model predicts {n_outputs} outputs; pass "
                "target=<output index>."
            )
        target = 0
    labels = np.asarray(target)
    labels = np.broadcast_to(labels, (n_samples,)) if labels.ndim == 0 else labels
    if (
        labels.shape != (n_samples,)
        or labels.dtype.kind not in "iu"
        or (labels < 0).any()
        or (labels >= n_outputs).any()
    ):
        raise ValueError(
            f"{caller}: for a regressor, target is the index of an output in "
            f"[0, {n_outputs}), one for all samples or one per sample; got "
            f"{target!r}."
        )
    return Response("output", labels.astype(np.intp), np.asarray(labels), n_outputs)


def response_scores(
    estimator: Any, X: Any, response: Response, rows: Any
) -> NDArray[np.float64]:
    """Return the response of ``estimator`` on ``X``, whose samples are ``rows``."""
    if response.kind in ("class", "task"):
        # log(0) is expected (a forest's certain votes): floored just below.
        with np.errstate(divide="ignore"):
            if hasattr(estimator, "predict_log_proba"):
                log_proba = np.asarray(estimator.predict_log_proba(X), np.float64)
            else:
                log_proba = np.log(np.asarray(estimator.predict_proba(X), float))
        log_proba = np.maximum(log_proba, LOG_FLOOR)
        if response.kind == "task":
            # log p - log(1 - p), exactly also where p is within 1e-8 of 1.
            lp = np.take_along_axis(log_proba, response.index[rows][:, None], 1)[:, 0]
            return np.asarray(lp - np.maximum(np.log(-np.expm1(lp)), LOG_FLOOR))
        totals = np.exp(log_proba).sum(axis=1)
        if not np.allclose(totals, 1.0, atol=1e-3):
            raise ValueError(
                "the classifier's probabilities do not sum to 1 over its classes "
                f"(sums from {totals.min():.3g} to {totals.max():.3g}): a model "
                "with one probability per task is not supported here; skdl's "
                "multilabel nets are."
            )
        return response.from_log_proba(log_proba, rows)
    out = np.asarray(estimator.predict(X), dtype=np.float64)
    out = out.reshape(len(out), -1)
    return np.asarray(
        np.take_along_axis(out, response.index[rows][:, None], axis=1)[:, 0]
    )
