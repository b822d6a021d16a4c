"""A plain multilayer perceptron; knows nothing of scikit-learn."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "logistic": nn.Sigmoid,
    "identity": nn.Identity,
    "gelu": nn.GELU,
}


class MLP(nn.Module):
    """Fully connected network: ``[Linear -> (BatchNorm) -> activation -> Dropout]*``.

    The last layer is a bare ``Linear`` that returns raw scores (logits for
    classification), so the loss and the output non-linearity stay with the caller.

    Parameters
    ----------
    n_features_in : int
        Number of input features.
    n_outputs : int
        Number of outputs (classes for a classifier, targets for a regressor).
    hidden_layer_sizes : sequence of int, default=(100,)
        Width of each hidden layer; an empty sequence gives a linear model.
    activation : {"relu", "tanh", "logistic", "identity", "gelu"}, default="relu"
        Non-linearity after each hidden layer (scikit-learn's names).
    dropout : float, default=0.0
        Dropout probability after each hidden layer's activation.
    batch_norm : bool, default=False
        Insert ``BatchNorm1d`` between each hidden ``Linear`` and its activation.

    Examples
    --------
    >>> import torch
    >>> from skdl.nn import MLP
    >>> module = MLP(4, 3, hidden_layer_sizes=(8, 8), dropout=0.1)
    >>> module(torch.zeros(5, 4)).shape
    torch.Size([5, 3])
    """

    def __init__(
        self,
        n_features_in: int,
        n_outputs: int,
        hidden_layer_sizes: Sequence[int] = (100,),
        activation: str = "relu",
        dropout: float = 0.0,
        batch_norm: bool = False,
    ) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"MLP got activation={activation!r}; use one of {sorted(ACTIVATIONS)}."
            )
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"MLP got dropout={dropout!r}; it must be in [0, 1).")
        layers: list[nn.Module] = []
        width = n_features_in
        for size in hidden_layer_sizes:
            layers.append(nn.Linear(width, int(size)))
            if batch_norm:
                layers.append(nn.BatchNorm1d(int(size)))
            layers.append(ACTIVATIONS[activation]())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = int(size)
        layers.append(nn.Linear(width, n_outputs))
        self.layers = nn.Sequential(*layers)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Return raw scores of shape ``(batch, n_outputs)``.

        Parameters
        ----------
        X : torch.Tensor of shape (batch, n_features_in)
            Input batch.

        Returns
        -------
        out : torch.Tensor of shape (batch, n_outputs)
            Raw scores.
        """
        return self.layers(X)
