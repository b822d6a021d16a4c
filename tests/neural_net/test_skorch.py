"""The skorch subclasses: mode switching and inference shortcuts stay correct."""

import numpy as np
import torch
from skorch.callbacks import Callback

from skdl.neural_net import MLPNetClassifier


class RecordModes(Callback):
    def initialize(self):
        self.modes_ = []
        return self

    def on_batch_begin(self, net, batch=None, training=None, **kwargs):
        # What the module is in when the batch runs is set by train_step/validation.
        pass

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        modes = {m.training for m in net.module_.modules()}
        self.modes_.append((training, modes))


class EvalSubmoduleEachEpoch(Callback):
    """Puts one submodule in eval mode after each epoch, as user code might."""

    def on_epoch_end(self, net, **kwargs):
        net.module_.layers[-1].eval()


def test_modules_are_in_train_mode_for_training_batches_only():
    rng = np.random.RandomState(0)
    X = rng.randn(300, 5)
    y = (X[:, 0] > 0).astype(int)
    recorder = RecordModes()
    clf = MLPNetClassifier(
        hidden_layer_sizes=(8,),
        dropout=0.5,
        max_epochs=3,
        batch_size=64,
        early_stopping=True,
        random_state=0,
        callbacks=[recorder, EvalSubmoduleEachEpoch()],
    ).fit(X, y)
    assert {training for training, _ in recorder.modes_} == {True, False}
    for training, modes in recorder.modes_:
        assert modes == {training}  # every submodule, every batch, even after eval()
    # Inference leaves every module in eval mode and is deterministic (no dropout).
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    assert not any(m.training for m in clf.net_.module_.modules())


def test_forward_iter_inference_has_no_grad():
    X = np.random.RandomState(0).randn(50, 3)
    clf = MLPNetClassifier(hidden_layer_sizes=(4,), max_epochs=1, random_state=0)
    clf.fit(X, X[:, 0] > 0)
    out = clf._forward(X.astype(np.float32))
    assert isinstance(out, torch.Tensor) and not out.requires_grad
    assert out.shape == (50, 2)
