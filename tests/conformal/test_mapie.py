"""skdl's estimators and splitters used directly by mapie v1's own classes."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl.datasets import simulate_motif_sequences
from skdl.model_selection import ChromosomeKFold, SimilarityGroupKFold
from skdl.neural_net import MLPNetClassifier, MLPNetRegressor
from skdl.preprocessing import SequenceOneHotEncoder

mapie_classification = pytest.importorskip("mapie.classification")
mapie_regression = pytest.importorskip("mapie.regression")


def _mlp_classifier(**params):
    return make_pipeline(
        StandardScaler(),
        MLPNetClassifier(
            hidden_layer_sizes=(16,), max_epochs=20, random_state=0, **params
        ),
    )


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.RandomState(0)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _covered(y_set, y):
    return y_set[np.arange(len(y)), y, 0]


def test_split_conformal_classifier_fits_an_skdl_net(cancer):
    X, y = cancer
    mapie = mapie_classification.SplitConformalClassifier(
        _mlp_classifier(), confidence_level=0.9, prefit=False
    )
    mapie.fit(X[:300], y[:300]).conformalize(X[300:450], y[300:450])
    y_pred, y_set = mapie.predict_set(X[450:])
    assert y_set.shape == (len(y) - 450, 2, 1)
    assert _covered(y_set, y[450:]).mean() >= 0.8
    assert (y_pred == y[450:]).mean() > 0.9


def test_split_conformal_classifier_accepts_a_prefitted_net(cancer):
    X, y = cancer
    net = _mlp_classifier().fit(X[:300], y[:300])
    before = net.predict_proba(X[450:])
    mapie = mapie_classification.SplitConformalClassifier(
        net, confidence_level=0.9, prefit=True
    ).conformalize(X[300:450], y[300:450])
    _, y_set = mapie.predict_set(X[450:])
    # The prefitted net is used as is: not refitted, predictions unchanged.
    np.testing.assert_array_equal(net.predict_proba(X[450:]), before)
    assert _covered(y_set, y[450:]).mean() >= 0.8


def test_cross_conformal_classifier_with_skdl_similarity_folds():
    data = simulate_motif_sequences(400, length=40, prevalence=0.3, random_state=0)
    X, y = data.sequences, data.target
    model = make_pipeline(
        SequenceOneHotEncoder(flatten=True),
        MLPNetClassifier(hidden_layer_sizes=(16,), max_epochs=10, random_state=0),
    )
    cv = SimilarityGroupKFold(n_splits=3)
    mapie = mapie_classification.CrossConformalClassifier(
        model, confidence_level=0.8, cv=cv, random_state=0
    )
    mapie.fit_conformalize(X, y, groups=None)
    _, y_set = mapie.predict_set(X[:20])
    assert y_set.shape == (20, 2, 1)
    # Out-of-fold conformity scores: one per sample, every fold used.
    assert len(mapie.conformity_scores) == len(y)


def test_cross_conformal_regressor_with_chromosome_folds():
    X, y = load_diabetes(return_X_y=True)
    y = (y - y.mean()) / y.std()
    chrom = np.array([f"chr{i % 6 + 1}" for i in range(len(y))])
    model = make_pipeline(
        StandardScaler(),
        MLPNetRegressor(hidden_layer_sizes=(16,), max_epochs=30, random_state=0),
    )
    mapie = mapie_regression.CrossConformalRegressor(
        model, confidence_level=0.8, cv=ChromosomeKFold(n_splits=3), method="plus"
    )
    mapie.fit_conformalize(X[:350], y[:350], groups=chrom[:350])
    _, y_pis = mapie.predict_interval(X[350:])
    inside = (y_pis[:, 0, 0] <= y[350:]) & (y[350:] <= y_pis[:, 1, 0])
    assert inside.mean() >= 0.7


def test_split_conformal_regressor_fits_an_skdl_net_at_two_levels():
    X, y = load_diabetes(return_X_y=True)
    y = (y - y.mean()) / y.std()
    model = make_pipeline(
        StandardScaler(),
        MLPNetRegressor(hidden_layer_sizes=(16,), max_epochs=30, random_state=0),
    )
    mapie = mapie_regression.SplitConformalRegressor(
        model, confidence_level=[0.5, 0.9], prefit=False
    )
    mapie.fit(X[:250], y[:250]).conformalize(X[250:350], y[250:350])
    _, y_pis = mapie.predict_interval(X[350:])
    widths = y_pis[:, 1] - y_pis[:, 0]
    assert np.all(widths[:, 1] > widths[:, 0])  # 90% intervals are wider
