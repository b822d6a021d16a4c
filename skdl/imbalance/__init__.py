"""Class imbalance: balanced mini-batches inside the net; samplers from imblearn.

skdl does not re-implement resampling. To undersample, oversample or SMOTE
before a net, put an imbalanced-learn sampler in an
:class:`imblearn.pipeline.Pipeline` in front of any skdl estimator
(``pip install skdl[imbalance]``); the sampler then runs on training folds only.
What imbalanced-learn lacks for torch lives here and in the classifiers:

- ``batch_sampling="balanced"`` on every skdl classifier, implemented by
  :class:`BalancedBatchIterator`: each mini-batch draws classes equally often,
  without copying the data;
- ``class_weight`` (``"balanced"`` or ``{label: weight}``, for example
  ``{1: 99}`` to weight the positives of a 1% problem) in the loss.
"""

from skdl.neural_net._data import BalancedBatchIterator

__all__ = ["BalancedBatchIterator"]
