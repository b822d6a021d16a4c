"""Discovery of skdl's public estimators, for tests and docs."""

from __future__ import annotations

import importlib
import inspect

from sklearn.base import BaseEstimator

# Subpackages that hold public estimators. Kept explicit (no filesystem walk) so that
# discovery never imports an optional dependency's module by accident.
_ESTIMATOR_MODULES = ("skdl.neural_net", "skdl.conformal")


def all_estimators() -> list[tuple[str, type]]:
    """List skdl's public estimators.

    Returns
    -------
    estimators : list of (name, class) tuples
        Every public, concrete :class:`~sklearn.base.BaseEstimator` subclass
        exported in the ``__all__`` of skdl's estimator subpackages, sorted by name.

    Examples
    --------
    >>> from skdl.utils.discovery import all_estimators
    >>> names = [name for name, _ in all_estimators()]
    >>> "MLPNetClassifier" in names
    True
    """
    found = {}
    for module_name in _ESTIMATOR_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
            ):
                found[name] = obj
    return sorted(found.items())
