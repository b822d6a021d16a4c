"""Base classes and mixins for users who build their own skdl estimators.

- :class:`BaseNetEstimator`: the fit/predict plumbing of every skdl deep estimator
  (validation, the skorch net, the fast batch path, early stopping, determinism).
  Subclass it together with a classifier or regressor mixin and implement
  ``_module_spec``.
- :class:`DeterminismMixin`: the ``random_state`` contract for torch code.

The implementations live in :mod:`skdl.neural_net._base` and
:mod:`skdl.utils._seeding`; this module only gathers the public names so that
``skdl.neural_net`` never has to import ``skdl.base`` (no import cycles).
"""

from skdl.neural_net._base import BaseNetEstimator
from skdl.utils._seeding import DeterminismMixin

__all__ = ["BaseNetEstimator", "DeterminismMixin"]
