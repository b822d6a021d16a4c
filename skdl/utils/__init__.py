"""Utilities: estimator discovery and helpers shared across skdl.

Most helpers here are private (``skdl.utils._*``). The public part is
:mod:`skdl.utils.discovery`.
"""

from skdl.utils.discovery import all_estimators

__all__ = ["all_estimators"]
