"""skdl: deep learning that behaves exactly like scikit-learn.

Import the subpackages you need (``skdl.neural_net``, ``skdl.metrics``, ...).
Importing skdl has no side effects: nothing is seeded, no device is probed and no
global setting (of torch or of scikit-learn) is changed. ``skdl.compare`` is
:func:`skdl.comparison.compare`, imported on first use.
"""

from typing import Any

try:
    from skdl._version import __version__
except ImportError:  # pragma: no cover - running from a tree without a build
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    # skdl.compare (DESIGN.md's entry point) without importing torch at import.
    if name == "compare":
        from skdl.comparison import compare

        return compare
    raise AttributeError(f"module 'skdl' has no attribute {name!r}")
