"""Deep estimators: scikit-learn estimators that hold a trained skorch net.

The base class for new architectures is :class:`skdl.base.BaseNetEstimator`.
"""

from skdl.neural_net._convnet import ConvNetClassifier, ConvNetRegressor
from skdl.neural_net._mlp import MLPNetClassifier, MLPNetRegressor
from skdl.neural_net._net import NetClassifier, NetRegressor
from skdl.neural_net._transformer import (
    TransformerNetClassifier,
    TransformerNetRegressor,
)

__all__ = [
    "ConvNetClassifier",
    "ConvNetRegressor",
    "MLPNetClassifier",
    "MLPNetRegressor",
    "NetClassifier",
    "NetRegressor",
    "TransformerNetClassifier",
    "TransformerNetRegressor",
]
