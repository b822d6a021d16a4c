"""Class imbalance: balanced batches, class weights, imblearn pipelines."""

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

from skdl.imbalance import BalancedBatchIterator
from skdl.metrics import recall_at_fdr_score
from skdl.neural_net import (
    ConvNetClassifier,
    MLPNetClassifier,
    NetClassifier,
    TransformerNetClassifier,
)
from skdl.neural_net._data import TensorDataset


# ------------------------------------------------------ the balanced iterator
def test_balanced_batches_draw_every_class_equally_often():
    y = torch.tensor([0] * 9_800 + [1] * 150 + [2] * 50)
    ds = TensorDataset(torch.randn(10_000, 3), y)
    torch.manual_seed(0)
    batches = list(BalancedBatchIterator(ds, batch_size=256))
    drawn = torch.cat([yb for _, yb in batches])
    assert len(drawn) == 10_000 and len(batches) == 40
    fractions = torch.bincount(drawn).numpy() / len(drawn)
    # Binomial sd of a third over 10,000 draws is 0.005: 4 sd.
    np.testing.assert_allclose(fractions, 1 / 3, atol=0.02)
    # Within a class, samples are drawn uniformly: all 50 of the rarest appear.
    rare = torch.cat([xb[yb == 2] for xb, yb in batches])
    assert len(torch.unique(rare, dim=0)) == 50


def test_balanced_batches_gather_rows_without_copying_the_data():
    X = torch.arange(200.0).reshape(100, 2)
    y = torch.tensor([0] * 90 + [1] * 10)
    w = torch.linspace(1, 2, 100)
    ds = TensorDataset(X, y, w)
    pointer = ds.X.data_ptr()
    torch.manual_seed(1)
    for xb, yb in BalancedBatchIterator(ds, batch_size=32, drop_last=True):
        assert len(yb) == 32
        rows = (xb["X"][:, 0] / 2).long()
        # Each gathered row is the original row with its own label and weight.
        assert torch.equal(y[rows], yb)
        assert torch.equal(w[rows], xb["sample_weight"])
    assert ds.X.data_ptr() == pointer and ds.X is X
    # The per-class index is computed once and kept with the dataset.
    order, _, counts = ds._balanced_index
    assert order.dtype == torch.int64 and counts.tolist() == [90, 10]


def test_balanced_batches_refuse_multilabel_targets():
    ds = TensorDataset(torch.zeros(4, 2), torch.zeros(4, 3))
    with pytest.raises(ValueError, match="one integer class code per sample"):
        BalancedBatchIterator(ds, batch_size=2)
    X = np.random.RandomState(0).randn(40, 3).astype(np.float32)
    Y = (np.random.RandomState(1).rand(40, 2) < 0.5).astype(int)
    clf = MLPNetClassifier(max_epochs=1, batch_sampling="balanced")
    with pytest.raises(ValueError, match="Use class_weight"):
        clf.fit(X, Y)


@pytest.mark.parametrize(
    "Classifier, params",
    [
        (MLPNetClassifier, {"hidden_layer_sizes": (8,)}),
        (ConvNetClassifier, {"filters": (4,)}),
        (TransformerNetClassifier, {"d_model": 8, "n_heads": 2, "n_layers": 1}),
    ],
)
def test_balanced_batches_are_deterministic_and_change_training(Classifier, params):
    X, y = make_classification(300, n_features=8, weights=[0.9], random_state=0)
    X = X.astype(np.float32)

    def fit(sampling):
        clf = Classifier(
            max_epochs=3, random_state=0, batch_sampling=sampling, **params
        )
        return clf.fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(fit("balanced"), fit("balanced"))
    assert not np.allclose(fit("balanced"), fit("shuffle"))


def test_balanced_batches_with_a_user_module_and_early_stopping():
    from torch import nn

    class Linear(nn.Module):
        def __init__(self, n_features_in, n_outputs):
            super().__init__()
            self.layer = nn.Linear(n_features_in, n_outputs)

        def forward(self, X):
            return self.layer(X)

    X, y = make_classification(300, n_features=5, weights=[0.95], random_state=0)
    clf = NetClassifier(
        Linear,
        max_epochs=4,
        early_stopping=True,
        batch_sampling="balanced",
        random_state=0,
    ).fit(X.astype(np.float32), y)
    assert clf.n_iter_ == 4 and "valid_loss" in clf.history_[-1]


# ------------------------------------------------------ a 1%-positive problem
def _recall_at_fdr_20(seed, **params):
    X, y = make_classification(
        20_000,
        n_features=20,
        n_informative=6,
        weights=[0.99],
        class_sep=2.0,
        flip_y=0,
        random_state=seed,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, random_state=seed, stratify=y
    )
    clf = MLPNetClassifier(
        hidden_layer_sizes=(32,),
        max_epochs=5,
        batch_size=256,
        random_state=seed,
        **params,
    ).fit(X_train, y_train)
    return recall_at_fdr_score(y_test, clf.predict_proba(X_test)[:, 1], fdr=0.2)


def test_rebalancing_raises_minority_recall_at_fixed_fdr_on_a_1pct_problem():
    # Same data, net, seed and budget (5 epochs); only the treatment of the
    # 1% class differs. Measured: plain 0.61, class_weight 0.75, balanced
    # batches 0.86 (mean recall at 20% FDR over the four seeds).
    seeds = range(4)
    plain = np.mean([_recall_at_fdr_20(s) for s in seeds])
    weighted = np.mean([_recall_at_fdr_20(s, class_weight="balanced") for s in seeds])
    balanced = np.mean([_recall_at_fdr_20(s, batch_sampling="balanced") for s in seeds])
    assert weighted > plain + 0.05, (plain, weighted)
    assert balanced > plain + 0.05, (plain, balanced)


def test_positive_class_weight_is_class_weight_on_the_positive_label():
    X, y = make_classification(400, n_features=6, weights=[0.95], random_state=0)
    base = {"hidden_layer_sizes": (8,), "max_epochs": 3, "random_state": 0}
    by_dict = MLPNetClassifier(class_weight={1: 19.0}, **base).fit(X, y)
    by_weight = MLPNetClassifier(**base).fit(X, y, sample_weight=np.where(y, 19, 1))
    np.testing.assert_allclose(
        by_dict.predict_proba(X), by_weight.predict_proba(X), rtol=1e-6
    )
    plain = MLPNetClassifier(**base).fit(X, y)
    # Upweighting the positives raises their predicted probability.
    assert by_dict.predict_proba(X)[:, 1].mean() > plain.predict_proba(X)[:, 1].mean()


# ----------------------------------------------------- imbalanced-learn samplers
def test_imblearn_sampler_runs_on_training_folds_only():
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    from imblearn.under_sampling import RandomUnderSampler

    X, y = make_classification(600, n_features=6, weights=[0.9], random_state=0)
    pipe = imblearn_pipeline.Pipeline(
        [
            ("under", RandomUnderSampler(random_state=0)),
            ("net", MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=5)),
        ]
    )
    pipe.fit(X, y)
    n_pos = int(y.sum())
    kept = pipe.named_steps["under"].sample_indices_
    assert len(kept) == 2 * n_pos and y[kept].sum() == n_pos
    # Prediction is not resampled: one prediction per input row.
    assert pipe.predict(X).shape == (600,)


def test_imblearn_pipeline_tunes_sampler_and_net_with_flat_names():
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    from imblearn.over_sampling import RandomOverSampler

    X, y = make_classification(400, n_features=6, weights=[0.9], random_state=0)
    pipe = imblearn_pipeline.Pipeline(
        [
            ("over", RandomOverSampler(random_state=0)),
            (
                "net",
                MLPNetClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0),
            ),
        ]
    )
    search = GridSearchCV(
        pipe,
        {"over__sampling_strategy": [0.5, 1.0], "net__lr": [1e-3, 1e-2]},
        cv=StratifiedKFold(3),
        scoring="average_precision",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_["net__lr"] in (1e-3, 1e-2)


# ---------------------------------------------- several binary tasks (multilabel)
def _rare_tasks(seed, n=20_000, n_tasks=3):
    # Three linear tasks, each positive for its top 1% of samples.
    rng = np.random.RandomState(seed)
    X = rng.randn(n, 20).astype(np.float32)
    logits = X @ rng.randn(20, n_tasks)
    return X, (logits > np.quantile(logits, 0.99, axis=0)).astype(int)


def test_multilabel_class_weight_weighs_each_tasks_positives():
    # Measured: mean recall at 20% FDR over 3 tasks, plain about 0.00, balanced
    # 0.42, {1: 99} 0.44 (seed 0, 5 epochs): without weighting the rare tasks are
    # not learned in the budget.
    X, Y = _rare_tasks(0)
    train, test = slice(0, 10_000), slice(10_000, None)
    base = {"hidden_layer_sizes": (32,), "max_epochs": 5, "batch_size": 256}

    def recall(**params):
        clf = MLPNetClassifier(**base, random_state=0, **params).fit(X[train], Y[train])
        proba = clf.predict_proba(X[test])
        return np.mean(
            [recall_at_fdr_score(Y[test][:, t], proba[:, t], fdr=0.2) for t in range(3)]
        )

    plain = recall()
    assert recall(class_weight="balanced") > plain + 0.2
    assert recall(class_weight={1: 99.0}) > plain + 0.2


def test_multilabel_class_weight_is_bce_pos_weight_per_task():
    X, Y = _rare_tasks(1, n=600)
    base = {"hidden_layer_sizes": (8,), "max_epochs": 3, "random_state": 0}
    by_class_weight = MLPNetClassifier(class_weight={0: 2.0, 1: 10.0}, **base)
    by_criterion = MLPNetClassifier(
        net_params={
            "criterion__weight": torch.full((3,), 2.0),
            "criterion__pos_weight": torch.full((3,), 5.0),
        },
        **base,
    )
    np.testing.assert_allclose(
        by_class_weight.fit(X, Y).predict_proba(X),
        by_criterion.fit(X, Y).predict_proba(X),
        rtol=1e-6,
    )
    # "balanced": each task's own counts, n / (2 * count).
    criterion = MLPNetClassifier(class_weight="balanced", **base).fit(X, Y).net_
    positives = Y.sum(axis=0)
    np.testing.assert_allclose(
        criterion.criterion_.pos_weight.numpy(),
        (600 - positives) / positives,
        rtol=1e-6,
    )
    # A task without positives in training keeps weight 1.
    Y_empty = Y.copy()
    Y_empty[:, 2] = 0
    net = MLPNetClassifier(class_weight="balanced", **base).fit(X, Y_empty).net_
    assert net.criterion_.pos_weight[2] == 1 and net.criterion_.weight[2] == 1
    with pytest.raises(ValueError, match="keys are the indicator values 0 and 1"):
        MLPNetClassifier(class_weight={"a": 2.0}, **base).fit(X, Y)
