"""Plain torch modules (``torch.nn.Module``); they know nothing of scikit-learn."""

from skdl.nn._cnn import ConvNet
from skdl.nn._mlp import MLP
from skdl.nn._reverse_complement import ReverseComplementNet, reverse_complement_one_hot
from skdl.nn._transformer import TransformerEncoderNet

__all__ = [
    "MLP",
    "ConvNet",
    "ReverseComplementNet",
    "TransformerEncoderNet",
    "reverse_complement_one_hot",
]
