"""On a CUDA device: deterministic sequence nets, device="auto", CPU loading.

Skipped without CUDA (see ``conftest.py``); run them with ``pytest -m gpu``.
"""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from skdl.neural_net import ConvNetClassifier, TransformerNetClassifier

pytestmark = pytest.mark.gpu


@pytest.fixture(scope="module")
def onehot():
    rng = np.random.RandomState(0)
    X = np.eye(4, dtype=np.float32)[rng.randint(0, 4, (300, 40))].transpose(0, 2, 1)
    y = (X[:, 0, 10:20].sum(axis=1) > 3).astype(int)
    return X, y


@pytest.mark.parametrize(
    "Estimator, params",
    [
        (ConvNetClassifier, {"filters": (16,), "kernel_size": 5}),
        (TransformerNetClassifier, {"d_model": 32, "n_layers": 1}),
    ],
)
def test_sequence_nets_are_deterministic_on_cuda(onehot, Estimator, params):
    X, y = onehot
    kwargs = {**params, "max_epochs": 3, "device": "cuda", "random_state": 0}
    a = Estimator(**kwargs).fit(X, y)
    b = Estimator(**kwargs).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_auto_device_trains_on_the_gpu_and_loads_on_a_cpu_only_process(onehot):
    X, y = onehot
    model = ConvNetClassifier(
        filters=(16,), max_epochs=2, device="auto", random_state=0
    ).fit(X, y)
    assert str(model.net_.device).startswith("cuda")
    expected = model.predict_proba(X)
    code = (
        "import pickle, sys, numpy as np, torch\n"
        "assert not torch.cuda.is_available()\n"
        "model, X = pickle.loads(sys.stdin.buffer.read())\n"
        "sys.stdout.buffer.write(pickle.dumps(model.predict_proba(X)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps((model, X)),
        capture_output=True,
        env={**__import__("os").environ, "CUDA_VISIBLE_DEVICES": ""},
    )
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    np.testing.assert_allclose(pickle.loads(run.stdout), expected, atol=1e-5)


def test_balanced_batches_are_deterministic_on_cuda(onehot):
    X, y = onehot
    kwargs = {
        "filters": (16,),
        "max_epochs": 3,
        "device": "cuda",
        "random_state": 0,
        "batch_sampling": "balanced",
    }
    a = ConvNetClassifier(**kwargs).fit(X, y)
    b = ConvNetClassifier(**kwargs).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_conformal_sets_of_a_cuda_net_are_reproducible(onehot):
    pytest.importorskip("mapie")
    from skdl.conformal import SplitConformalNetClassifier

    X, y = onehot
    net = ConvNetClassifier(filters=(16,), max_epochs=3, device="cuda", random_state=0)

    def sets():
        clf = SplitConformalNetClassifier(
            net, confidence_level=0.8, mondrian=True, random_state=0
        )
        return clf.fit(X, y).predict_set(X)[1]

    np.testing.assert_array_equal(sets(), sets())


def test_multilabel_class_weights_live_on_the_device():
    from skdl.neural_net import MLPNetClassifier

    rng = np.random.RandomState(0)
    X = rng.randn(400, 10).astype(np.float32)
    Y = (X[:, :3] > 1.5).astype(int)
    kwargs = {"max_epochs": 3, "device": "cuda", "random_state": 0}
    a = MLPNetClassifier(class_weight="balanced", **kwargs).fit(X, Y)
    assert a.net_.criterion_.pos_weight.is_cuda
    b = MLPNetClassifier(class_weight="balanced", **kwargs).fit(X, Y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
