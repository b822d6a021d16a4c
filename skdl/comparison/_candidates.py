"""Default candidate panels for :func:`skdl.comparison.compare`.

Every panel entry is ``(pipeline, param_grid)``. Each grid holds at least 12
configurations, so that with ``search="random"`` and ``n_iter <= 12`` every
candidate, classical or deep, is tuned with exactly the same number of
configurations.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skdl.utils._sklearn import Interval, StrOptions, validate_params

Panel = dict[str, tuple[BaseEstimator, dict[str, list[Any]]]]


def _early_stopping(random_state: Any, max_epochs: int) -> dict[str, Any]:
    """Training settings shared by every default net: stop on a held-out part."""
    return {
        "max_epochs": max_epochs,
        "early_stopping": True,
        "n_iter_no_change": 5,
        "random_state": random_state,
    }


def _tabular(random_state: Any, max_epochs: int) -> Panel:
    from skdl.neural_net import MLPNetClassifier

    def scaled(model: BaseEstimator) -> Pipeline:
        return Pipeline([("scale", StandardScaler()), ("model", model)])

    net = MLPNetClassifier(**_early_stopping(random_state, max_epochs))
    return {
        "LogisticRegression": (
            scaled(LogisticRegression(max_iter=5000)),
            {"model__C": [10.0**e for e in range(-4, 4)] + [0.03, 0.3, 3.0, 30.0]},
        ),
        "RandomForest": (
            scaled(RandomForestClassifier(n_estimators=200, random_state=random_state)),
            {
                "model__max_features": ["sqrt", 0.5, 1.0],
                "model__min_samples_leaf": [1, 3, 10, 30],
            },
        ),
        "KNeighbors": (
            scaled(KNeighborsClassifier()),
            {
                "model__n_neighbors": [1, 3, 5, 9, 15, 25],
                "model__weights": ["uniform", "distance"],
            },
        ),
        "GaussianNB": (
            scaled(GaussianNB()),
            {"model__var_smoothing": [10.0**e for e in range(-12, 0)]},
        ),
        "SVM": (
            scaled(SVC(random_state=random_state)),
            {
                "model__C": [0.1, 1.0, 10.0, 100.0],
                "model__gamma": ["scale", 0.01, 0.1],
            },
        ),
        "MLPNet": (
            scaled(net),
            {
                "model__hidden_layer_sizes": [(32,), (128,), (64, 64)],
                "model__lr": [1e-3, 1e-2],
                "model__dropout": [0.0, 0.3],
            },
        ),
    }


def _sequence(random_state: Any, max_epochs: int) -> Panel:
    from skdl.neural_net import ConvNetClassifier, TransformerNetClassifier
    from skdl.preprocessing import KmerTokenizer, SequenceOneHotEncoder

    def kmers(model: BaseEstimator) -> Pipeline:
        counts = CountVectorizer(analyzer="char", ngram_range=(1, 4), lowercase=True)
        return Pipeline([("kmers", counts), ("model", model)])

    conv = ConvNetClassifier(**_early_stopping(random_state, max_epochs))
    transformer = TransformerNetClassifier(
        vocab_size=KmerTokenizer(k=3).vocab_size,
        **_early_stopping(random_state, max_epochs),
    )
    return {
        "LogisticRegression (k-mers)": (
            kmers(LogisticRegression(max_iter=5000)),
            {
                "kmers__ngram_range": [(1, 3), (1, 4), (1, 5)],
                "model__C": [0.001, 0.01, 0.1, 1.0],
            },
        ),
        "RandomForest (k-mers)": (
            kmers(RandomForestClassifier(n_estimators=200, random_state=random_state)),
            {
                "kmers__ngram_range": [(1, 3), (1, 4), (1, 5)],
                "model__min_samples_leaf": [1, 3, 10, 30],
            },
        ),
        "NaiveBayes (k-mers)": (
            kmers(MultinomialNB()),
            {
                "kmers__ngram_range": [(1, 3), (1, 4), (1, 5)],
                "model__alpha": [0.01, 0.1, 1.0, 10.0],
            },
        ),
        "ConvNet": (
            Pipeline([("onehot", SequenceOneHotEncoder()), ("model", conv)]),
            {
                "model__filters": [(32,), (64, 64)],
                "model__kernel_size": [7, 15],
                "model__lr": [1e-3, 3e-3, 1e-2],
            },
        ),
        "TransformerNet": (
            Pipeline([("tokens", KmerTokenizer(k=3)), ("model", transformer)]),
            {
                "model__d_model": [32, 64],
                "model__n_layers": [1, 2],
                "model__lr": [3e-4, 1e-3, 3e-3],
            },
        ),
    }


@validate_params(
    {
        "kind": [StrOptions({"tabular", "sequence"})],
        "random_state": ["random_state"],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def default_candidates(
    kind: str = "tabular", *, random_state: Any = None, max_epochs: int = 100
) -> Panel:
    """Return the default panel of candidates, each with its hyperparameter grid.

    Parameters
    ----------
    kind : {"tabular", "sequence"}, default="tabular"
        ``"tabular"``: a numeric feature matrix; logistic regression, random
        forest, k-nearest neighbours, Gaussian naive Bayes, an RBF SVM and
        :class:`~skdl.neural_net.MLPNetClassifier`, each after a
        ``StandardScaler``. ``"sequence"``: a 1-D array of DNA strings;
        logistic regression, random forest and multinomial naive Bayes on
        k-mer counts, :class:`~skdl.neural_net.ConvNetClassifier` on one-hot
        input and :class:`~skdl.neural_net.TransformerNetClassifier` on 3-mer
        tokens.
    random_state : int, RandomState instance or None, default=None
        Seed of the stochastic candidates (forests, SVM, nets).
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
    ['GaussianNB', 'KNeighbors', 'LogisticRegression', 'MLPNet', 'RandomForest', 'SVM']
    >>> pipeline, grid = default_candidates("sequence")["ConvNet"]
    >>> sorted(grid)
    ['model__filters', 'model__kernel_size', 'model__lr']
    """
    if kind == "sequence":
        return _sequence(random_state, max_epochs)
    return _tabular(random_state, max_epochs)
