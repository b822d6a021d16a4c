"""Shared parameter text for docstrings, inserted with :class:`Substitution`.

Text is written once here and substituted into ``{name}`` placeholders with
``str.format``-style fields. Docstrings are never rewritten with regular expressions.
"""

from __future__ import annotations

from typing import TypeVar

_T = TypeVar("_T")


class Substitution:
    """Decorator that fills ``{name}`` fields of a docstring with shared text.

    Only the given names are replaced; other braces are left alone, so literal
    braces in examples (dicts, sets) need no escaping.

    Parameters
    ----------
    **params : str
        Text for each placeholder name.

    Examples
    --------
    >>> from skdl.utils._docstring import Substitution
    >>> @Substitution(thing="a docstring field")
    ... def f():
    ...     '''Fill {thing}; leave {"a": 1} alone.'''
    >>> f.__doc__
    'Fill a docstring field; leave {"a": 1} alone.'
    """

    def __init__(self, **params: str) -> None:
        self.params = params

    def __call__(self, obj: _T) -> _T:
        doc = obj.__doc__
        if doc:
            for key, value in self.params.items():
                doc = doc.replace("{" + key + "}", value)
            obj.__doc__ = doc
        return obj


def _indent(text: str, spaces: int = 4) -> str:
    # The placeholder already sits at the right indentation: indent the rest only.
    first, *rest = text.split("\n")
    pad = " " * spaces
    return "\n".join([first, *(pad + line if line else line for line in rest)])


_RANDOM_STATE = """random_state : int, RandomState instance or None, default=None
    Controls every source of randomness in ``fit``: weight initialisation,
    dropout, mini-batch shuffling and the internal validation split. It is
    resolved with :func:`sklearn.utils.check_random_state` inside ``fit``.
    Pass an int for reproducible output across calls: the same
    ``random_state``, the same device and the same library versions give
    identical predictions."""

_TRAINING = """lr : float, default=1e-3
    Learning rate of the optimizer.

optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
default="adam"
    Optimizer. ``"sgd"`` uses Nesterov momentum 0.9, as scikit-learn's
    :class:`~sklearn.neural_network.MLPClassifier` does. A class (for example
    ``torch.optim.Adagrad``) is instantiated with ``lr`` and ``weight_decay``.

weight_decay : float, default=0.0
    L2 penalty passed to the optimizer (decoupled decay for ``"adamw"``).

batch_size : int or "auto", default="auto"
    Mini-batch size for training. ``"auto"`` means ``min(200, n_samples)``, as
    in scikit-learn's MLP. Inference runs in batches of one shape chosen when
    ``fit`` ends from what a row costs in memory (4 MiB of activations on the
    CPU, ``working_memory`` on a GPU, at most 8,192 rows; the last batch is
    filled up with copies of a row), so a sample's prediction does not depend
    on how many samples are predicted with it. ``net_params=
    {"iterator_valid__batch_size": n}`` sets it instead.

max_epochs : int, default=200
    Maximum number of passes over the training data.

early_stopping : bool, default=False
    If True, hold out ``validation_fraction`` of the training data, stop when
    the validation loss has not improved by ``tol`` for ``n_iter_no_change``
    epochs and restore the weights of the best epoch. The held-out part is
    made of whole groups when ``groups`` are passed to ``fit`` (no group is on
    both sides) and, for classifiers, is stratified on the labels when
    possible (a :class:`~skdl.exceptions.SkdlWarning` says when not): the
    same hold-out rule as :class:`~skdl.model_selection.TrainTuneTestSplit`
    and the conformal calibration part. Inside a scikit-learn search, the net
    gets ``groups`` only under metadata routing
    (``sklearn.config_context(enable_metadata_routing=True)``) or as
    ``<step>__groups`` of a pipeline; skdl's ``compare`` and conformal adapters
    pass them on by themselves. If False, training
    stops when the training loss has not improved by ``tol`` for
    ``n_iter_no_change`` epochs, as in scikit-learn's MLP.

validation_fraction : float, default=0.1
    Fraction of the training data held out for early stopping (approximate
    with ``groups``: whole groups, one of ``round(1 / validation_fraction)``
    stratified group folds). Only used if ``early_stopping=True``.

n_iter_no_change : int, default=10
    Number of epochs without an improvement of at least ``tol`` before
    training stops.

tol : float, default=1e-4
    Minimum absolute decrease of the monitored loss that counts as an
    improvement."""

_DEVICE = """device : str, default="cpu"
    Torch device to train and predict on: ``"cpu"``, ``"cuda"``,
    ``"cuda:1"``, ... ``"auto"`` picks ``"cuda"`` when
    ``torch.cuda.is_available()`` and ``"cpu"`` otherwise; it is resolved
    inside ``fit``, never at import."""

_VERBOSE_CALLBACKS = """verbose : int, default=0
    ``0`` is silent; ``1`` or more shows a progress bar over epochs with the
    training loss, the validation loss and the validation score.

callbacks : list of skorch callbacks or (name, callback) tuples, default=None
    Extra skorch callbacks, added after skdl's default ones, which are named
    ``epoch_timer``, ``train_loss``, ``valid_loss``, ``valid_score``,
    ``finite_loss`` (raises when training diverges), ``progress_bar`` (when
    ``verbose >= 1``) and ``early_stopping``; replace
    or tune those by name through ``net_params`` (for example
    ``{"callbacks__early_stopping": None}``). The list is copied and never
    modified; the callback objects in it receive their fitted state, as in
    skorch.

net_params : dict, default=None
    Escape hatch: extra keyword arguments for the underlying
    :class:`skorch.NeuralNet` that skdl does not set itself, for example
    ``{"callbacks__early_stopping__load_best": False}``,
    ``{"iterator_train__drop_last": True}`` or
    ``{"iterator_valid__batch_size": 8192}`` (the inference batch). A key that
    a flat parameter controls (``"lr"``, ``"batch_size"``, ...) or that
    carries skdl's wiring (``"module"``, ``"criterion"``, ``"train_split"``,
    ...) raises a ``ValueError`` naming what to set instead."""

_CLASS_BALANCE = """class_weight : dict, "balanced" or None, default=None
    Weights of the classes in the loss, as in scikit-learn: ``{label: weight}``
    (for example ``{1: 99}`` to weight the positives of a 1% problem), or
    ``"balanced"`` for ``n_samples / (n_classes * np.bincount(y))``.
    Multiplied by ``sample_weight``. With a multilabel ``y`` (several binary
    tasks) the weights apply per task and element: ``"balanced"`` weighs each
    task's positives and negatives by ``n_samples / (2 * count)`` in that task,
    and ``{1: w}`` weighs the positives of every task by ``w`` (the
    ``pos_weight`` of :class:`torch.nn.BCEWithLogitsLoss`).

batch_sampling : {"shuffle", "balanced"}, default="shuffle"
    How training mini-batches are drawn. ``"shuffle"`` visits every sample once
    per epoch in a random order. ``"balanced"`` draws each class equally often
    (with replacement, see :class:`~skdl.imbalance.BalancedBatchIterator`), so
    a rare class is oversampled in every batch without copying the data. Use
    it or ``class_weight``, rarely both: together they correct twice. Needs one
    label per sample (not a multilabel ``y``)."""

_SHARED = {
    "random_state": _indent(_RANDOM_STATE),
    "training_params": _indent(_TRAINING),
    "device": _indent(_DEVICE),
    "verbose_callbacks": _indent(_VERBOSE_CALLBACKS),
    "class_balance": _indent(_CLASS_BALANCE),
}

shared_docstrings = Substitution(**_SHARED)
"""Decorator inserting skdl's shared parameter text: ``{random_state}``,
``{training_params}``, ``{device}``, ``{verbose_callbacks}`` and
``{class_balance}``."""

_CALIBRATION = """prefit : bool, default=False
    If True, ``estimator`` is already trained: ``fit`` does not train it and
    conformalizes on all of ``X``, which must be held-out data that shares no
    group with the estimator's training data (skdl cannot check this without
    the training groups). Wrap the trained model in
    :class:`sklearn.frozen.FrozenEstimator` to keep it trained through
    ``clone`` (as in a search).
{mondrian}conformalize_size : float or int, default=0.2
    Size of the calibration part: a fraction of the samples (of the groups,
    with ``groups``), or a number of samples. Ignored when ``cv`` is given or
    ``prefit=True``.
cv : cross-validation splitter or list of (train, calibration), default=None
    A splitter whose first split gives the (training, calibration) indices,
    such as skdl's :class:`~skdl.model_selection.ChromosomeSplit`, or a list
    whose first pair is used. A splitter gets ``X``, ``y`` and ``groups``; the
    parts are checked to be disjoint and not to share a group.
random_state : int, RandomState instance or None, default=None
    Controls the calibration split when ``cv`` is None. The estimator's own
    randomness is its own ``random_state``."""

_MONDRIAN = """mondrian : bool, default=False
    Calibrate each class on its own calibration samples (class-conditional
    coverage). Needs enough calibration samples of every class.
"""

_CALIBRATION_ATTRIBUTES = """train_indices_ : ndarray of int
    Rows of ``X`` used to train ``estimator_`` (empty with ``prefit=True``).
calibration_indices_ : ndarray of int
    Rows of ``X`` used to conformalize; disjoint from ``train_indices_``.
n_features_in_ : int
    Number of features, when the estimator reports it.
feature_names_in_ : ndarray of str
    Feature names, when the estimator reports them."""

conformal_classifier_docstring = Substitution(
    calibration_params=_indent(_CALIBRATION.replace("{mondrian}", _MONDRIAN)),
    calibration_attributes=_indent(_CALIBRATION_ATTRIBUTES),
)
"""Shared parameter and attribute text of the split-conformal classifier."""

conformal_regressor_docstring = Substitution(
    calibration_params=_indent(_CALIBRATION.replace("{mondrian}", "")),
    calibration_attributes=_indent(_CALIBRATION_ATTRIBUTES),
)
"""Shared parameter and attribute text of the split-conformal regressor."""
