"""skdl: deep learning that behaves exactly like scikit-learn.

Import the subpackages you need (``skdl.neural_net``, ``skdl.metrics``, ...).
Importing skdl has no side effects: nothing is seeded, no device is probed and no
global setting (of torch or of scikit-learn) is changed.
"""

try:
    from skdl._version import __version__
except ImportError:  # pragma: no cover - running from a tree without a build
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
