"""Conformal prediction sets and intervals for deep and classical estimators.

The adapters are scikit-learn estimators (cloneable, usable in ``Pipeline`` and
``GridSearchCV``) that hold a conformalized mapie object. They need mapie
(``pip install skdl[conformal]``) when fitted; importing them does not.
skdl's estimators and splitters also work directly inside mapie's own
``SplitConformal*`` and ``CrossConformal*`` classes.
"""

from skdl.conformal._split import (
    SplitConformalNetClassifier,
    SplitConformalNetRegressor,
)

__all__ = ["SplitConformalNetClassifier", "SplitConformalNetRegressor"]
