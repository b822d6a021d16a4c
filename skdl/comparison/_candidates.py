"""Default candidate panels for :func:`skdl.comparison.compare`.

Every panel entry is ``(pipeline, param_grid)``. Each grid holds at least 12
configurations, so that with ``search="random"`` and ``n_iter <= 12`` every
candidate, classical or deep, is tuned with exactly the same number of
configurations. There is a panel for each task (binary, multiclass,
regression) and each kind of input (a table, a 1-D array of sequences).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler, StandardScaler
from sklearn.svm import SVC, SVR

from skdl.comparison._tabular import make_tabular_preprocessor, native_categorical_mask
from skdl.utils._sklearn import Interval, StrOptions, validate_params

Panel = dict[str, tuple[BaseEstimator, dict[str, list[Any]]]]

_ALPHAS = [10.0**e for e in range(-4, 4)] + [0.03, 0.3, 3.0, 30.0]


def _early_stopping(random_state: Any, max_epochs: int) -> dict[str, Any]:
    """Training settings shared by every default net: stop on a held-out part."""
    return {
        "max_epochs": max_epochs,
        "early_stopping": True,
        "n_iter_no_change": 5,
        "random_state": random_state,
    }


def _front_end(X: Any, native: bool) -> Any:
    """Return the preprocessing a tabular candidate starts with (fitted per fold)."""
    if X is None:  # a numeric matrix without missing values
        return "passthrough" if native else StandardScaler()
    return make_tabular_preprocessor(X, native=native)


def _boosting(task: str, X: Any, random_state: Any) -> tuple[Pipeline, dict]:
    """Gradient-boosted trees, given missing values and categories natively.

    Their own early stopping is off: its hold-out is a random split that
    ignores ``groups``, so boosting rounds are tuned by the grid instead.
    """
    model_class = (
        HistGradientBoostingRegressor
        if task == "regression"
        else HistGradientBoostingClassifier
    )
    mask = None if X is None else native_categorical_mask(X)
    model = model_class(
        max_iter=200,
        early_stopping=False,
        categorical_features=mask if mask is not None and mask.any() else None,
        random_state=random_state,
    )
    grid = {
        "model__learning_rate": [0.03, 0.1, 0.3],
        "model__max_leaf_nodes": [7, 15, 31, 63],
    }
    return Pipeline([("prep", _front_end(X, native=True)), ("model", model)]), grid


def _tabular(task: str, X: Any, random_state: Any, max_epochs: int) -> Panel:
    from skdl.neural_net import MLPNetClassifier, MLPNetRegressor

    def prepared(model: BaseEstimator) -> Pipeline:
        return Pipeline([("prep", _front_end(X, native=False)), ("model", model)])

    regression = task == "regression"
    forest = (RandomForestRegressor if regression else RandomForestClassifier)(
        n_estimators=200, random_state=random_state
    )
    net = (MLPNetRegressor if regression else MLPNetClassifier)(
        **_early_stopping(random_state, max_epochs)
    )
    panel: Panel = {
        "Ridge" if regression else "LogisticRegression": (
            prepared(Ridge() if regression else LogisticRegression(max_iter=5000)),
            {"model__alpha": _ALPHAS}
            if regression
            else {"model__C": [1 / a for a in _ALPHAS]},
        ),
        "RandomForest": (
            prepared(forest),
            {
                "model__max_features": ["sqrt", 0.5, 1.0],
                "model__min_samples_leaf": [1, 3, 10, 30],
            },
        ),
        "HistGradientBoosting": _boosting(task, X, random_state),
        "KNeighbors": (
            prepared(KNeighborsRegressor() if regression else KNeighborsClassifier()),
            {
                "model__n_neighbors": [1, 3, 5, 9, 15, 25],
                "model__weights": ["uniform", "distance"],
            },
        ),
    }
    if not regression:
        panel["GaussianNB"] = (
            prepared(GaussianNB()),
            {"model__var_smoothing": [10.0**e for e in range(-12, 0)]},
        )
    panel["SVM"] = (
        prepared(SVR() if regression else SVC(random_state=random_state)),
        {"model__C": [0.1, 1.0, 10.0, 100.0], "model__gamma": ["scale", 0.01, 0.1]},
    )
    panel["MLPNet"] = (
        prepared(net),
        {
            "model__hidden_layer_sizes": [(32,), (128,), (64, 64)],
            "model__lr": [1e-3, 1e-2],
            "model__dropout": [0.0, 0.3],
        },
    )
    return panel


def _sequence(task: str, random_state: Any, max_epochs: int) -> Panel:
    from skdl.neural_net import (
        ConvNetClassifier,
        ConvNetRegressor,
        TransformerNetClassifier,
        TransformerNetRegressor,
    )
    from skdl.preprocessing import KmerTokenizer, SequenceOneHotEncoder

    def kmers(model: BaseEstimator, scaled: bool = False) -> Pipeline:
        counts = CountVectorizer(analyzer="char", ngram_range=(1, 4), lowercase=True)
        # Linear models converge in tens of iterations on counts scaled to
        # [0, 1] (MaxAbsScaler keeps them sparse), in thousands on raw counts.
        scale = [("scale", MaxAbsScaler())] if scaled else []
        return Pipeline([("kmers", counts), *scale, ("model", model)])

    regression = task == "regression"
    settings = _early_stopping(random_state, max_epochs)
    conv = (ConvNetRegressor if regression else ConvNetClassifier)(**settings)
    transformer = (TransformerNetRegressor if regression else TransformerNetClassifier)(
        vocab_size=KmerTokenizer(k=3).vocab_size, **settings
    )
    ngrams = [(1, 3), (1, 4), (1, 5)]
    forest = (RandomForestRegressor if regression else RandomForestClassifier)(
        n_estimators=200, random_state=random_state
    )
    panel: Panel = {
        "Ridge (k-mers)" if regression else "LogisticRegression (k-mers)": (
            kmers(
                Ridge() if regression else LogisticRegression(max_iter=5000),
                scaled=True,
            ),
            {"kmers__ngram_range": ngrams, "model__alpha": [0.1, 1.0, 10.0, 100.0]}
            if regression
            else {"kmers__ngram_range": ngrams, "model__C": [0.01, 0.1, 1.0, 10.0]},
        ),
        "RandomForest (k-mers)": (
            kmers(forest),
            {"kmers__ngram_range": ngrams, "model__min_samples_leaf": [1, 3, 10, 30]},
        ),
    }
    if not regression:
        panel["NaiveBayes (k-mers)"] = (
            kmers(MultinomialNB()),
            {"kmers__ngram_range": ngrams, "model__alpha": [0.01, 0.1, 1.0, 10.0]},
        )
    panel["ConvNet"] = (
        Pipeline([("onehot", SequenceOneHotEncoder()), ("model", conv)]),
        {
            "model__filters": [(32,), (64, 64)],
            "model__kernel_size": [7, 15],
            "model__lr": [1e-3, 3e-3, 1e-2],
        },
    )
    panel["TransformerNet"] = (
        Pipeline([("tokens", KmerTokenizer(k=3)), ("model", transformer)]),
        {
            "model__d_model": [32, 64],
            "model__n_layers": [1, 2],
            "model__lr": [3e-4, 1e-3, 3e-3],
        },
    )
    return panel


@validate_params(
    {
        "kind": [StrOptions({"tabular", "sequence"})],
        "task": [StrOptions({"binary", "multiclass", "regression"})],
        "X": ["array-like", None],
        "random_state": ["random_state"],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def default_candidates(
    kind: str = "tabular",
    *,
    task: str = "binary",
    X: Any = None,
    random_state: Any = None,
    max_epochs: int = 100,
) -> Panel:
    """Return the default panel of candidates, each with its hyperparameter grid.

    Parameters
    ----------
    kind : {"tabular", "sequence"}, default="tabular"
        ``"tabular"``: a table. Logistic regression (ridge regression for a
        regression task), random forest, histogram gradient boosting, k-nearest
        neighbours, Gaussian naive Bayes (classification only), an RBF SVM and
        :class:`~skdl.neural_net.MLPNetClassifier` (or ``MLPNetRegressor``).
        Each starts with :func:`make_tabular_preprocessor` built from ``X``
        (impute with missing-value indicators and scale numbers, one-hot text
        columns); gradient boosting takes missing values and categories
        natively. ``"sequence"``: a 1-D array of DNA, RNA or protein strings;
        logistic (or ridge) regression, random forest and, for classification,
        multinomial naive Bayes on k-mer counts (scaled to [0, 1] for the
        linear models),
        :class:`~skdl.neural_net.ConvNetClassifier` on one-hot input and
        :class:`~skdl.neural_net.TransformerNetClassifier` on 3-mer tokens
        (their regressors for a regression task).
    task : {"binary", "multiclass", "regression"}, default="binary"
        What is predicted. Binary and multiclass share the classifiers.
    X : DataFrame, array-like or None, default=None
        The table the tabular panel's preprocessing is built from (column
        types only; nothing is fitted here). None: a numeric matrix without
        missing values, only standardized.
    random_state : int, RandomState instance or None, default=None
        Seed of the stochastic candidates (forests, boosting, SVM, nets).
    max_epochs : int, default=100
        Epoch cap of the nets, which stop early on a held-out part of each
        training fold.

    Returns
    -------
    candidates : dict
        ``{name: (pipeline, param_grid)}``. The final step of every pipeline is
        named ``"model"``; every grid holds at least 12 configurations.

    Examples
    --------
    >>> from skdl.comparison import default_candidates
    >>> sorted(default_candidates())
    ['GaussianNB', 'HistGradientBoosting', 'KNeighbors', 'LogisticRegression', \
'MLPNet', 'RandomForest', 'SVM']
    >>> sorted(default_candidates("sequence", task="regression"))
    ['ConvNet', 'RandomForest (k-mers)', 'Ridge (k-mers)', 'TransformerNet']

    A table with text columns and missing values gets its front end from
    ``X``'s column types:

    >>> import numpy as np
    >>> X = np.array([[1.5, "male"], [np.nan, "female"]], dtype=object)
    >>> pipeline, grid = default_candidates(X=X)["LogisticRegression"]
    >>> pipeline.named_steps["prep"].__class__.__name__
    'ColumnTransformer'
    """
    if kind == "sequence":
        return _sequence(task, random_state, max_epochs)
    return _tabular(task, X, random_state, max_epochs)
