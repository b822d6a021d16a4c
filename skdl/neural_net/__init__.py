"""Deep estimators: scikit-learn estimators that hold a trained skorch net.

The base class for new architectures is :class:`skdl.base.BaseNetEstimator`.
"""

from skdl.neural_net._mlp import MLPNetClassifier, MLPNetRegressor
from skdl.neural_net._net import NetClassifier, NetRegressor

__all__ = [
    "MLPNetClassifier",
    "MLPNetRegressor",
    "NetClassifier",
    "NetRegressor",
]
