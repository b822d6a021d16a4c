"""The only module of skdl that imports private scikit-learn names.

scikit-learn's parameter-validation machinery (``Interval``, ``StrOptions``,
``validate_params``, ``_fit_context``) lives in private modules. Importing it from
one place means that if scikit-learn moves it, a single file changes.
"""

from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.validation import _check_sample_weight, _num_samples

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_sample_weight",
    "_fit_context",
    "_num_samples",
    "_safe_indexing",
    "validate_parameter_constraints",
    "validate_params",
]
