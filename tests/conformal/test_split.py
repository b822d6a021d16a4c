"""Split-conformal adapters: coverage, group-safe calibration, errors, composition."""

import math
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skdl.conformal import SplitConformalNetClassifier, SplitConformalNetRegressor
from skdl.datasets import simulate_motif_sequences
from skdl.model_selection import ChromosomeSplit
from skdl.neural_net import (
    ConvNetClassifier,
    ConvNetRegressor,
    MLPNetClassifier,
    MLPNetRegressor,
)
from skdl.preprocessing import SequenceOneHotEncoder

pytest.importorskip("mapie")

LEVEL = 0.9
N_SEEDS = 4


def mc_tolerance(level, n_calibration, n_test, n_seeds, z=3.0):
    """Three standard deviations of the mean empirical coverage over seeds.

    Given its calibration part, a split-conformal model's coverage is
    Beta(k, n + 1 - k) with k = ceil((n + 1) * level) (Vovk 2012), variance about
    level (1 - level) / (n + 2); the test part adds binomial noise,
    level (1 - level) / n_test. Seeds are independent, so the mean's variance is
    the sum divided by n_seeds.
    """
    p = level * (1 - level)
    return z * math.sqrt((p / (n_calibration + 2) + p / n_test) / n_seeds)


def set_coverage(y_set, y, classes, level_index=0):
    column = np.searchsorted(classes, y)
    return y_set[np.arange(len(y)), column, level_index]


def interval_coverage_and_width(y_pis, y, level_index=0):
    lower, upper = y_pis[:, 0, level_index], y_pis[:, 1, level_index]
    return ((lower <= y) & (y <= upper)).mean(), np.mean(upper - lower)


def _conv_pipeline(ConvNet):
    """One-hot encoding, then a small ConvNet that finds a motif in 30 epochs."""
    conv = ConvNet(filters=(16,), kernel_size=9, max_epochs=30, lr=1e-2, random_state=0)
    return Pipeline([("onehot", SequenceOneHotEncoder()), ("conv", conv)])


def _mlp():
    return make_pipeline(
        StandardScaler(),
        MLPNetClassifier(hidden_layer_sizes=(32,), max_epochs=30, random_state=0),
    )


def _forest():
    return RandomForestClassifier(n_estimators=50, random_state=0)


@pytest.mark.parametrize("make_model", [_mlp, _forest], ids=["mlp", "forest"])
def test_classification_coverage_on_real_data(make_model):
    X, y = load_breast_cancer(return_X_y=True)
    coverages, n_cal, n_test = [], [], []
    for seed in range(N_SEEDS):
        X_fit, X_test, y_fit, y_test = train_test_split(
            X, y, test_size=0.35, random_state=seed, stratify=y
        )
        clf = SplitConformalNetClassifier(
            make_model(),
            confidence_level=LEVEL,
            conformalize_size=0.4,
            random_state=seed,
        ).fit(X_fit, y_fit)
        _, y_set = clf.predict_set(X_test)
        coverages.append(set_coverage(y_set, y_test, clf.classes_).mean())
        n_cal.append(len(clf.calibration_indices_))
        n_test.append(len(y_test))
    tolerance = mc_tolerance(LEVEL, min(n_cal), min(n_test), N_SEEDS)
    assert np.mean(coverages) >= LEVEL - tolerance, (coverages, tolerance)
    assert tolerance < 0.06  # the test can fail: the bound is informative


def test_convnet_coverage_on_simulated_sequences():
    data = simulate_motif_sequences(
        1200, length=60, prevalence=0.3, random_state=0, decoy_fraction=0.0
    )
    X, y = data.sequences, data.target
    model = _conv_pipeline(ConvNetClassifier)
    coverages = []
    for seed in range(3):
        X_fit, X_test, y_fit, y_test = train_test_split(
            X, y, test_size=0.4, random_state=seed, stratify=y
        )
        clf = SplitConformalNetClassifier(
            model, confidence_level=LEVEL, conformalize_size=0.3, random_state=seed
        ).fit(X_fit, y_fit)
        y_pred, y_set = clf.predict_set(X_test)
        coverages.append(set_coverage(y_set, y_test, clf.classes_).mean())
        # Informative sets: the net learned the motif, most sets are one label.
        assert y_set[:, :, 0].sum(axis=1).mean() < 1.5
    tolerance = mc_tolerance(LEVEL, 216, 480, 3)
    assert np.mean(coverages) >= LEVEL - tolerance, (coverages, tolerance)


@pytest.mark.parametrize(
    "model",
    [
        make_pipeline(
            StandardScaler(),
            MLPNetRegressor(hidden_layer_sizes=(32,), max_epochs=60, random_state=0),
        ),
        RandomForestRegressor(n_estimators=50, random_state=0),
    ],
    ids=["mlp", "forest"],
)
def test_regression_interval_coverage_on_real_data(model):
    X, y = load_diabetes(return_X_y=True)
    y = (y - y.mean()) / y.std()
    coverages, widths = [], []
    for seed in range(N_SEEDS):
        X_fit, X_test, y_fit, y_test = train_test_split(
            X, y, test_size=0.35, random_state=seed
        )
        reg = SplitConformalNetRegressor(
            model, confidence_level=LEVEL, conformalize_size=0.4, random_state=seed
        ).fit(X_fit, y_fit)
        y_pred, y_pis = reg.predict_interval(X_test)
        coverage, width = interval_coverage_and_width(y_pis, y_test)
        coverages.append(coverage)
        widths.append(width)
        np.testing.assert_allclose(y_pred, reg.predict(X_test))
    tolerance = mc_tolerance(LEVEL, 114, 155, N_SEEDS)
    assert np.mean(coverages) >= LEVEL - tolerance, (coverages, tolerance)
    # Narrower than the marginal spread of y: the model explains something.
    assert np.mean(widths) < 2 * 1.645


def test_convnet_interval_coverage_on_simulated_sequences():
    data = simulate_motif_sequences(1200, length=60, prevalence=0.3, random_state=0)
    # A motif-driven quantity with Gaussian noise: the net has to find the motif.
    y = 2.0 * data.target + np.random.RandomState(0).normal(scale=0.5, size=1200)
    model = _conv_pipeline(ConvNetRegressor)
    coverages, widths = [], []
    for seed in range(3):
        X_fit, X_test, y_fit, y_test = train_test_split(
            data.sequences, y, test_size=0.4, random_state=seed
        )
        reg = SplitConformalNetRegressor(
            model, confidence_level=LEVEL, conformalize_size=0.3, random_state=seed
        ).fit(X_fit, y_fit)
        coverage, width = interval_coverage_and_width(
            reg.predict_interval(X_test)[1], y_test
        )
        coverages.append(coverage)
        widths.append(width)
    tolerance = mc_tolerance(LEVEL, 216, 480, 3)
    assert np.mean(coverages) >= LEVEL - tolerance, (coverages, tolerance)
    # Narrower than the central 90% of y itself: the intervals carry information.
    assert np.mean(widths) < np.diff(np.quantile(y, [0.05, 0.95]))[0], widths


# ----------------------------------------------------------- Mondrian coverage
def _rare_class_data(seed, n):
    # Three classes, the third 2%, overlapping with the first: a marginal
    # guarantee is met by covering the common classes and missing rare ones.
    return make_classification(
        n_samples=n,
        n_features=8,
        n_informative=4,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.78, 0.2, 0.02],
        class_sep=0.7,
        flip_y=0,
        random_state=seed,
    )


def test_mondrian_coverage_holds_per_class_including_a_rare_class():
    per_class = {True: [], False: []}
    n_rare_cal, n_rare_test = [], []
    for seed in range(N_SEEDS):
        X, y = _rare_class_data(seed, 12_000)
        X_fit, X_test, y_fit, y_test = train_test_split(
            X, y, test_size=0.5, random_state=seed, stratify=y
        )
        for mondrian in (True, False):
            clf = SplitConformalNetClassifier(
                LogisticRegression(max_iter=1000),
                confidence_level=LEVEL,
                mondrian=mondrian,
                conformalize_size=0.5,
                random_state=seed,
            ).fit(X_fit, y_fit)
            _, y_set = clf.predict_set(X_test)
            covered = set_coverage(y_set, y_test, clf.classes_)
            per_class[mondrian].append([covered[y_test == k].mean() for k in range(3)])
        cal_labels = y_fit[clf.calibration_indices_]
        n_rare_cal.append((cal_labels == 2).sum())
        n_rare_test.append((y_test == 2).sum())
    mondrian = np.mean(per_class[True], axis=0)
    marginal = np.mean(per_class[False], axis=0)
    rare_tolerance = mc_tolerance(LEVEL, min(n_rare_cal), min(n_rare_test), N_SEEDS)
    for k in range(3):
        assert mondrian[k] >= LEVEL - rare_tolerance, (k, mondrian, rare_tolerance)
    # Without Mondrian the rare class is visibly under-covered on this data.
    assert marginal[2] < LEVEL - rare_tolerance, (marginal, rare_tolerance)


def test_mondrian_thresholds_follow_mapie_rule_per_class():
    X, y = _rare_class_data(0, 3000)
    clf = SplitConformalNetClassifier(
        LogisticRegression(max_iter=1000),
        confidence_level=[0.8, 0.9],
        mondrian=True,
        random_state=0,
    ).fit(X, y)
    proba = clf.predict_proba(X[clf.calibration_indices_])
    y_cal = y[clf.calibration_indices_]
    for k in range(3):
        scores = np.sort(1 - proba[y_cal == k, k])
        for j, level in enumerate([0.8, 0.9]):
            rank = math.ceil(level * (len(scores) + 1))
            assert clf.class_thresholds_[k, j] == pytest.approx(scores[rank - 1])
    _, y_set = clf.predict_set(X[:50])
    assert y_set.shape == (50, 3, 2)
    # A higher level never gives a smaller set.
    assert np.all(y_set[:, :, 1] >= y_set[:, :, 0])


def test_marginal_sets_are_mapies():
    from mapie.classification import SplitConformalClassifier

    X, y = load_breast_cancer(return_X_y=True)
    clf = SplitConformalNetClassifier(_forest(), random_state=0).fit(X, y)
    ref = SplitConformalClassifier(clf.estimator_, confidence_level=0.9, prefit=True)
    ref.conformalize(X[clf.calibration_indices_], y[clf.calibration_indices_])
    np.testing.assert_array_equal(clf.predict_set(X)[1], ref.predict_set(X)[1])


# ------------------------------------------------------- calibration splitting
def test_calibration_never_overlaps_training_nor_shares_a_group():
    data = simulate_motif_sequences(600, length=40, prevalence=0.2, random_state=1)
    X, y, chrom = data.sequences, data.target, data.chromosome
    model = make_pipeline(SequenceOneHotEncoder(flatten=True), LogisticRegression())
    for seed in range(5):
        clf = SplitConformalNetClassifier(
            model, confidence_level=0.8, random_state=seed
        ).fit(X, y, groups=chrom)
        train, cal = clf.train_indices_, clf.calibration_indices_
        assert np.intersect1d(train, cal).size == 0
        assert len(train) + len(cal) == len(y)
        assert not set(chrom[train]) & set(chrom[cal])


def test_skdl_splitter_chooses_the_calibration_part():
    data = simulate_motif_sequences(600, length=40, prevalence=0.2, random_state=1)
    X, y, chrom = data.sequences, data.target, data.chromosome
    model = make_pipeline(SequenceOneHotEncoder(flatten=True), LogisticRegression())
    clf = SplitConformalNetClassifier(
        model, confidence_level=0.8, cv=ChromosomeSplit(["chr1", "chr2"])
    ).fit(X, y, groups=chrom)
    assert set(chrom[clf.calibration_indices_]) == {"chr1", "chr2"}
    assert not {"chr1", "chr2"} & set(chrom[clf.train_indices_])


def test_leaky_cv_is_refused():
    X, y = make_classification(200, random_state=0)
    groups = np.repeat(np.arange(20), 10)
    clf = SplitConformalNetClassifier(_forest(), confidence_level=0.8, cv=KFold(4))
    shuffled = groups[np.random.RandomState(0).permutation(200)]
    with (
        pytest.raises(ValueError, match="group-aware splitter"),
        pytest.warns(UserWarning, match="groups parameter is ignored by KFold"),
    ):
        clf.fit(X, y, groups=shuffled)
    overlapping = [(np.arange(150), np.arange(100, 200))]
    with pytest.raises(ValueError, match="same samples"):
        clf.set_params(cv=overlapping).fit(X, y)


def test_groups_reach_a_net_that_accepts_them():
    # The net's own early-stopping split must see the training part's groups.
    X, y = make_classification(300, random_state=0)
    groups = np.repeat(np.arange(30), 10)
    net = MLPNetClassifier(
        hidden_layer_sizes=(8,), max_epochs=3, early_stopping=True, random_state=0
    )
    clf = SplitConformalNetClassifier(net, confidence_level=0.8, random_state=0)
    clf.fit(X, y, groups=groups)
    used = clf.estimator_.net_.history[-1]  # trained with a validation loss
    assert "valid_loss" in used


# ------------------------------------------------------------------ bad input
def test_predict_set_before_fit_names_the_fix():
    with pytest.raises(NotFittedError, match=re.escape("Call 'fit'")):
        SplitConformalNetClassifier(_forest()).predict_set(np.zeros((2, 3)))
    with pytest.raises(NotFittedError, match=re.escape("Call 'fit'")):
        SplitConformalNetRegressor().predict_interval(np.zeros((2, 3)))


@pytest.mark.parametrize("level", [0, 1, 1.2, -0.1, [0.9, 1.0], []])
def test_confidence_level_outside_unit_interval_is_refused(level):
    X, y = make_classification(100, random_state=0)
    # Scalars fail scikit-learn's parameter check, lists skdl's own.
    bounds = r"confidence_level.*(range \(0\.0, 1\.0\)|strictly between 0 and 1)"
    with pytest.raises(ValueError, match=bounds):
        SplitConformalNetClassifier(_forest(), confidence_level=level).fit(X, y)


def test_calibration_part_too_small_names_the_fix():
    X, y = make_classification(100, random_state=0)
    clf = SplitConformalNetClassifier(_forest(), confidence_level=0.99, random_state=0)
    msg = "calibration part has 20 samples; confidence_level=0.99 needs at least 100"
    with pytest.raises(ValueError, match=re.escape(msg)):
        clf.fit(X, y)
    with pytest.raises(ValueError, match="Increase conformalize_size"):
        clf.fit(X, y)
    # Exactly enough is accepted (mapie's rule: n >= 1 / (1 - level)).
    clf.set_params(confidence_level=0.95).fit(X, y)


def test_mondrian_needs_enough_of_every_class():
    X, y = _rare_class_data(0, 1000)
    clf = SplitConformalNetClassifier(
        LogisticRegression(max_iter=1000), mondrian=True, random_state=0
    )
    with pytest.raises(ValueError, match=r"needs at least 10 per class.*2 \(4\)"):
        clf.fit(X, y)
    with pytest.raises(ValueError, match="conformity_score='lac' only"):
        clf.set_params(conformity_score="aps").fit(X, y)


def test_integer_conformalize_size():
    X, y = make_classification(100, random_state=0)
    clf = SplitConformalNetClassifier(
        _forest(), confidence_level=0.8, conformalize_size=30, random_state=0
    ).fit(X, y)
    assert len(clf.calibration_indices_) == 30
    with pytest.raises(ValueError, match="leaves no training data"):
        clf.set_params(conformalize_size=100).fit(X, y)


def test_without_mapie_the_error_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "mapie", None)  # import mapie -> ImportError
    with pytest.raises(ImportError, match=re.escape("pip install skdl[conformal]")):
        SplitConformalNetClassifier(_forest()).fit(*make_classification(50))


# ---------------------------------------------------------------- composition
def test_grid_search_tunes_the_inner_net_with_flat_names():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    clf = SplitConformalNetClassifier(
        MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0),
        random_state=0,
    )
    search = GridSearchCV(
        clf, {"estimator__lr": [1e-4, 1e-2], "confidence_level": [0.9]}, cv=3
    ).fit(X, y)
    assert search.best_params_["estimator__lr"] == 1e-2
    _, y_set = search.best_estimator_.predict_set(X[:10])
    assert y_set.shape == (10, 2, 1)
    assert clone(clf).get_params()["estimator__lr"] == clf.estimator.lr


def test_inside_a_pipeline_and_without_an_estimator():
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(),
        SplitConformalNetClassifier(confidence_level=0.8, random_state=0),
    )
    pipe.set_params(splitconformalnetclassifier__estimator=None)
    pipe.fit(X, y)
    inner = pipe[-1]
    assert isinstance(inner.estimator_, MLPNetClassifier)
    assert pipe.score(X, y) > 0.9
    _, y_set = inner.predict_set(pipe[0].transform(X[:5]))
    assert y_set.dtype == bool


def test_decision_function_is_delegated():
    X, y = make_classification(200, random_state=0)
    clf = SplitConformalNetClassifier(
        LogisticRegression(), confidence_level=0.8, random_state=0
    ).fit(X, y)
    np.testing.assert_allclose(
        clf.decision_function(X), clf.estimator_.decision_function(X)
    )
    forest = SplitConformalNetClassifier(_forest(), confidence_level=0.8)
    assert not hasattr(forest, "decision_function")


# --------------------------------------------------------------------- prefit
def test_prefit_conformalizes_a_trained_model_on_all_given_rows():
    from mapie.classification import SplitConformalClassifier
    from sklearn.frozen import FrozenEstimator

    X, y = load_breast_cancer(return_X_y=True)
    forest = _forest().fit(X[:300], y[:300])
    clf = SplitConformalNetClassifier(FrozenEstimator(forest), prefit=True)
    clf.fit(X[300:450], y[300:450])
    assert clf.train_indices_.size == 0 and len(clf.calibration_indices_) == 150
    ref = SplitConformalClassifier(forest, confidence_level=0.9, prefit=True)
    ref.conformalize(X[300:450], y[300:450])
    np.testing.assert_array_equal(
        clf.predict_set(X[450:])[1], ref.predict_set(X[450:])[1]
    )
    # FrozenEstimator keeps the model trained through clone, as in a search.
    again = clone(clf).fit(X[300:450], y[300:450])
    np.testing.assert_array_equal(again.predict_proba(X), forest.predict_proba(X))


def test_prefit_errors_name_the_fix():
    X, y = make_classification(100, random_state=0)
    with pytest.raises(NotFittedError, match="FrozenEstimator"):
        SplitConformalNetClassifier(_forest(), prefit=True).fit(X, y)
    with pytest.raises(ValueError, match="estimator=None"):
        SplitConformalNetRegressor(prefit=True).fit(X, y)
    fitted = _forest().fit(X, y)
    with pytest.raises(ValueError, match="prefit=True does no training"):
        SplitConformalNetClassifier(fitted, prefit=True).fit(
            X, y, sample_weight=np.ones(100)
        )
    with pytest.raises(ValueError, match="has 5 samples"):
        SplitConformalNetClassifier(fitted, prefit=True).fit(X[:5], y[:5])


def test_mondrian_refuses_a_class_absent_from_calibration():
    X, y = _rare_class_data(0, 3000)
    model = LogisticRegression(max_iter=1000).fit(X, y)
    common = y < 2
    clf = SplitConformalNetClassifier(model, prefit=True, mondrian=True)
    with pytest.raises(ValueError, match=r"samples of every class; none of \[2\]"):
        clf.fit(X[common], y[common])
    # Marginal coverage does not need every class (mapie warns).
    with pytest.warns(UserWarning, match="less labels than your training"):
        clf.set_params(mondrian=False).fit(X[common], y[common])


def test_three_d_samples_reach_mapie_as_flat_rows():
    # mapie compares X.shape[1] with n_features_in_, which skdl's sequence nets
    # count on the flattened sample: the adapters pass mapie a flat view.
    rng = np.random.RandomState(0)
    X = np.eye(4, dtype=np.float32)[rng.randint(0, 4, (300, 30))].transpose(0, 2, 1)
    y = (X[:, 0, 5:15].sum(axis=1) > 3).astype(int)
    conv = {"filters": (8,), "max_epochs": 3, "random_state": 0}
    clf = SplitConformalNetClassifier(
        ConvNetClassifier(**conv), confidence_level=0.8, random_state=0
    ).fit(X, y)
    _, y_set = clf.predict_set(X)
    assert y_set.shape == (300, 2, 1)
    np.testing.assert_array_equal(clf.predict_set(X.reshape(300, -1))[1], y_set)
    reg = SplitConformalNetRegressor(
        ConvNetRegressor(**conv), confidence_level=0.8, random_state=0
    ).fit(X, X[:, 0].sum(axis=1))
    assert reg.predict_interval(X)[1].shape == (300, 2, 1)


def test_sample_weight_and_feature_names_reach_the_training_part():
    import warnings

    pd = pytest.importorskip("pandas")
    X, y = make_classification(200, n_features=4, random_state=0)
    w = np.random.RandomState(0).rand(200) * 3
    clf = SplitConformalNetClassifier(
        LogisticRegression(), confidence_level=0.8, random_state=0
    ).fit(X, y, sample_weight=w)
    train = clf.train_indices_
    expected = LogisticRegression().fit(X[train], y[train], sample_weight=w[train])
    np.testing.assert_allclose(clf.estimator_.coef_, expected.coef_)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    with warnings.catch_warnings():
        # mapie hands the model NumPy arrays, and scikit-learn warns that the
        # feature names are gone; the predictions are the same.
        warnings.simplefilter("ignore", UserWarning)
        clf.fit(frame, y)
    assert clf.feature_names_in_.tolist() == ["a", "b", "c", "d"]
    assert clf.n_features_in_ == 4
