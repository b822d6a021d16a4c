"""Plain torch modules (``torch.nn.Module``); they know nothing of scikit-learn."""

from skdl.nn._mlp import MLP

__all__ = ["MLP"]
