"""Deep estimators: scikit-learn estimators that hold a trained skorch net."""

from skdl.neural_net._base import BaseNetEstimator
from skdl.neural_net._mlp import MLPNetClassifier, MLPNetRegressor
from skdl.neural_net._net import NetClassifier, NetRegressor

__all__ = [
    "BaseNetEstimator",
    "MLPNetClassifier",
    "MLPNetRegressor",
    "NetClassifier",
    "NetRegressor",
]
