"""How ``groups`` reach every internal split: scikit-learn's metadata routing.

Wherever skdl itself calls ``fit`` on a user's estimator (``compare``, the
label-shuffle test, the conformal adapters), the estimator may hold a split of
its own: a skdl net's early-stopping split, the inner folds of a search, a
pipeline's last step. Without metadata routing, scikit-learn hands ``groups``
to a search's splitter only, never to the estimators inside it, so a patient
could sit on both sides of a net's early-stopping split. skdl therefore fits
with routing switched on for that one call (the user's global configuration is
left as it is) and passes ``groups`` wherever something inside the estimator
consumes them. One mechanism, the same for bare nets, pipelines and searches.
"""

from __future__ import annotations

from typing import Any

from sklearn import config_context
from sklearn.utils.metadata_routing import get_routing_for_object


def consumes_groups(estimator: Any, method: str = "fit") -> bool:
    """Whether ``estimator`` (or anything inside it) consumes ``groups``.

    Asked under metadata routing: a skdl net requests ``groups`` in ``fit`` by
    default, a search consumes them through its splitter and routes them to
    its estimator, a pipeline routes them to the steps that request them.

    Parameters
    ----------
    estimator : estimator object
        A consumer (an estimator) or a router (a pipeline, a search).
    method : str, default="fit"
        The method called with ``groups``.

    Returns
    -------
    consumed : bool

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV, GroupKFold
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdl.neural_net import MLPNetClassifier
    >>> from skdl.utils._routing import consumes_groups
    >>> consumes_groups(LogisticRegression())
    False
    >>> consumes_groups(make_pipeline(MLPNetClassifier()))
    True
    >>> consumes_groups(GridSearchCV(LogisticRegression(), {}, cv=GroupKFold(3)))
    True
    """
    with config_context(enable_metadata_routing=True):
        routing = get_routing_for_object(estimator)
        return bool(routing.consumes(method=method, params=["groups"]))


def routed_fit(
    estimator: Any, X: Any, y: Any = None, *, groups: Any = None, **params: Any
) -> Any:
    """Fit ``estimator`` with metadata routing on for this call only.

    ``groups`` are passed when the estimator consumes them
    (:func:`consumes_groups`); other ``params`` (such as ``sample_weight``) are
    passed as given, and routed by scikit-learn's rules.

    Parameters
    ----------
    estimator : estimator object
        The estimator, pipeline or search to fit.
    X : array-like
        Training data.
    y : array-like, default=None
        Targets.
    groups : array-like of shape (n_samples,), default=None
        Group labels, for every split inside the estimator.
    **params : dict
        Other metadata for ``fit``.

    Returns
    -------
    estimator : estimator object
        The fitted estimator.

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn
    >>> from sklearn.model_selection import GridSearchCV, GroupKFold
    >>> from skdl.neural_net import MLPNetClassifier
    >>> from skdl.utils._routing import routed_fit
    >>> X = np.random.RandomState(0).randn(60, 3)
    >>> y = np.tile([0, 1], 30)
    >>> patients = np.repeat(np.arange(12), 5)
    >>> net = MLPNetClassifier(max_epochs=2, early_stopping=True, random_state=0)
    >>> search = GridSearchCV(net, {"lr": [1e-3]}, cv=GroupKFold(3))
    >>> _ = routed_fit(search, X, y, groups=patients)
    >>> sklearn.get_config()["enable_metadata_routing"]  # left as it was
    False
    """
    with config_context(enable_metadata_routing=True):
        if groups is not None and consumes_groups(estimator):
            params["groups"] = groups
        return estimator.fit(X, y, **params)
