"""ConvNet and Transformer estimators on sequences and images (skdl issue 3)."""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skdl.datasets import load_jaspar_motifs, simulate_motif_sequences
from skdl.datasets._motifs import _sample_instances
from skdl.model_selection import ChromosomeKFold
from skdl.neural_net import (
    ConvNetClassifier,
    ConvNetRegressor,
    TransformerNetClassifier,
    TransformerNetRegressor,
)
from skdl.preprocessing import KmerTokenizer, SequenceOneHotEncoder, reverse_complement

SMALL_CONV = {"filters": (8,), "kernel_size": 5, "max_epochs": 3, "random_state": 0}
SMALL_TRANSFORMER = {
    "d_model": 8,
    "n_heads": 2,
    "n_layers": 1,
    "max_epochs": 3,
    "random_state": 0,
}


@pytest.fixture(scope="module")
def motif_data():
    data = simulate_motif_sequences(800, length=50, prevalence=0.3, random_state=0)
    X = SequenceOneHotEncoder().fit_transform(data.sequences)
    return data, X


@pytest.mark.parametrize(
    "Estimator, params",
    [(ConvNetClassifier, SMALL_CONV), (TransformerNetClassifier, SMALL_TRANSFORMER)],
)
def test_3d_input_equals_2d_rows_with_input_shape(motif_data, Estimator, params):
    data, X = motif_data
    y = data.target
    on_3d = Estimator(**params).fit(X, y)
    rows = X.reshape(len(X), -1)
    on_rows = Estimator(input_shape=(4, 50), **params).fit(rows, y)
    assert on_3d.input_shape_ == on_rows.input_shape_ == (4, 50)
    assert on_3d.n_features_in_ == 200
    # Same data, same seed: the same model, whatever the layout of X.
    np.testing.assert_array_equal(on_3d.predict_proba(X), on_rows.predict_proba(rows))
    np.testing.assert_array_equal(on_3d.predict_proba(rows), on_3d.predict_proba(X))
    # And the same seed gives the same model again (dropout included).
    again = Estimator(**params).fit(X, y)
    np.testing.assert_array_equal(on_3d.predict_proba(X), again.predict_proba(X))


def test_images_4d():
    rng = np.random.RandomState(0)
    images = rng.rand(120, 2, 6, 5).astype(np.float32)
    y = images[:, 0, :3].mean(axis=(1, 2)) > images[:, 0, 3:].mean(axis=(1, 2))
    clf = ConvNetClassifier(
        filters=(8,),
        kernel_size=3,
        global_pool="flatten",
        max_epochs=60,
        lr=1e-2,
        random_state=0,
    ).fit(images, y)
    assert clf.input_shape_ == (2, 6, 5) and clf.n_features_in_ == 60
    assert clf.score(images, y) > 0.85
    reg = ConvNetRegressor(filters=(4,), kernel_size=3, max_epochs=2, random_state=0)
    reg.fit(images, images.mean(axis=(1, 2, 3)))
    assert reg.predict(images.reshape(120, -1)).shape == (120,)


@pytest.mark.parametrize("Estimator", [ConvNetClassifier, TransformerNetClassifier])
@pytest.mark.parametrize("mode", ["average", "both"])
def test_reverse_complement_averaging_gives_identical_predictions(
    motif_data, Estimator, mode
):
    data, _ = motif_data
    params = SMALL_CONV if Estimator is ConvNetClassifier else SMALL_TRANSFORMER
    model = make_pipeline(
        SequenceOneHotEncoder(), Estimator(reverse_complement=mode, **params)
    ).fit(data.sequences, data.target)
    forward = model.predict_proba(data.sequences)
    reverse = model.predict_proba(reverse_complement(data.sequences))
    np.testing.assert_array_equal(forward, reverse)
    # Without averaging the two strands differ: the assertion above can fail.
    plain = make_pipeline(SequenceOneHotEncoder(), Estimator(**params))
    plain.fit(data.sequences, data.target)
    assert not np.array_equal(
        plain.predict_proba(data.sequences),
        plain.predict_proba(reverse_complement(data.sequences)),
    )


def test_reverse_complement_augmentation_helps_with_one_strand_training():
    # Train only on + strand motifs, test on - strand ones: augmentation (which
    # shows the network both strands) must generalise better than none.
    data = simulate_motif_sequences(
        3000, length=60, prevalence=0.3, both_strands=False, random_state=0
    )
    enc = SequenceOneHotEncoder()
    X = enc.fit_transform(data.sequences)
    X_test = enc.transform(reverse_complement(data.sequences))
    scores = {}
    for mode in (None, "augment"):
        clf = ConvNetClassifier(
            filters=(16,),
            kernel_size=15,
            max_epochs=15,
            lr=1e-2,
            reverse_complement=mode,
            random_state=0,
        )
        clf.fit(X, data.target)
        scores[mode] = average_precision_score(
            data.target, clf.predict_proba(X_test)[:, 1]
        )
    assert scores["augment"] > scores[None] + 0.05


def _chromatin_profile(n, rng):
    """Three motifs planted independently: one binary label per motif."""
    pwms = load_jaspar_motifs(["CTCF", "GATA1", "SOX2"]).pwms
    codes = rng.randint(0, 4, size=(n, 60)).astype(np.uint8)
    y = (rng.rand(n, 3) < 0.3).astype(int)
    for task, pwm in enumerate(pwms.values()):
        rows = np.flatnonzero(y[:, task])
        width = pwm.shape[1]
        start = task * 20 + rng.randint(0, 20 - width + 1, size=len(rows))
        codes[rows[:, None], start[:, None] + np.arange(width)] = _sample_instances(
            pwm, len(rows), rng
        )
    return np.array(["".join("ACGT"[c] for c in row) for row in codes]), y


def test_multitask_output():
    rng = np.random.RandomState(0)
    seqs, y = _chromatin_profile(1500, rng)
    model = make_pipeline(
        SequenceOneHotEncoder(),
        ConvNetClassifier(
            filters=(32,),
            kernel_size=15,
            max_epochs=20,
            lr=1e-2,
            early_stopping=True,
            random_state=0,
        ),
    ).fit(seqs[:1000], y[:1000])
    clf = model[-1]
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    proba = model.predict_proba(seqs[1000:])
    pred = model.predict(seqs[1000:])
    assert proba.shape == pred.shape == (500, 3) and pred.dtype == y.dtype
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))
    for task in range(3):
        # Chance is the prevalence, 0.3.
        assert average_precision_score(y[1000:, task], proba[:, task]) > 0.8
    assert 0.5 < clf.history_[-1, "valid_score"] <= 1.0  # per-label accuracy


def test_multioutput_multiclass_is_refused(motif_data):
    _, X = motif_data
    y = np.c_[np.arange(len(X)) % 3, np.arange(len(X)) % 2]
    with pytest.raises(ValueError, match="multilabel indicator matrix"):
        ConvNetClassifier(**SMALL_CONV).fit(X, y)


def test_spaced_motif_convnet_beats_kmer_baseline_at_1pct():
    """The issue's acceptance test: positional grammar at 1% prevalence.

    Positives carry SOX2 then POU5F1 exactly 5 bp apart; 90% of negatives carry
    the same motifs at other spacings, so k-mer counts cannot tell them apart,
    while convolutions see the arrangement.
    """
    data = simulate_motif_sequences(
        16000,
        length=60,
        prevalence=0.01,
        grammar="spaced",
        decoy_fraction=0.9,
        random_state=0,
    )
    rng = np.random.RandomState(1)
    order = rng.permutation(len(data.target))
    train, test = order[:11200], order[11200:]
    S, y = data.sequences, data.target
    baseline = make_pipeline(
        CountVectorizer(analyzer="char", ngram_range=(1, 4), lowercase=False),
        LogisticRegression(max_iter=2000),
    ).fit(S[train], y[train])
    net = make_pipeline(
        SequenceOneHotEncoder(),
        ConvNetClassifier(
            filters=(32, 32),
            kernel_size=11,
            max_epochs=20,
            lr=3e-3,
            batch_size=128,
            class_weight="balanced",
            reverse_complement="both",
            random_state=0,
        ),
    ).fit(S[train], y[train])
    ap_base = average_precision_score(y[test], baseline.predict_proba(S[test])[:, 1])
    ap_net = average_precision_score(y[test], net.predict_proba(S[test])[:, 1])
    prevalence = y[test].mean()
    assert ap_base < 3 * prevalence  # the baseline is near chance
    assert ap_net > ap_base + 0.3  # the net clearly wins


def test_transformer_on_kmer_tokens_learns_motif_presence():
    data = simulate_motif_sequences(1500, length=60, prevalence=0.3, random_state=0)
    tokens = KmerTokenizer(k=3, stride=1)
    model = make_pipeline(
        tokens,
        TransformerNetClassifier(
            d_model=32,
            n_heads=4,
            n_layers=1,
            dropout=0.0,
            vocab_size=tokens.vocab_size,
            max_epochs=25,
            lr=3e-3,
            random_state=0,
        ),
    ).fit(data.sequences[:1000], data.target[:1000])
    proba = model.predict_proba(data.sequences[1000:])[:, 1]
    assert average_precision_score(data.target[1000:], proba) > 0.6  # chance: 0.3


def test_transformer_regressor_on_channels():
    rng = np.random.RandomState(0)
    seqs = np.array(["".join(rng.choice(list("ACGT"), 30)) for _ in range(400)])
    gc = np.array([(s.count("G") + s.count("C")) / 30 for s in seqs])
    X = SequenceOneHotEncoder().fit_transform(seqs)
    target = (gc - gc.mean()) / gc.std()
    reg = TransformerNetRegressor(
        d_model=16, n_heads=2, n_layers=1, max_epochs=40, lr=3e-3, random_state=0
    ).fit(X[:300], target[:300])
    assert reg.score(X[300:], target[300:]) > 0.7


def test_grid_search_with_chromosome_folds(motif_data):
    data, _ = motif_data
    search = GridSearchCV(
        make_pipeline(SequenceOneHotEncoder(), ConvNetClassifier(**SMALL_CONV)),
        {"convnetclassifier__kernel_size": [5, 9]},
        cv=ChromosomeKFold(n_splits=3),
        scoring="average_precision",
    ).fit(data.sequences, data.target, groups=data.chromosome)
    assert search.best_params_["convnetclassifier__kernel_size"] in (5, 9)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


@pytest.mark.parametrize(
    "Estimator, params",
    [
        (ConvNetClassifier, {**SMALL_CONV, "reverse_complement": "both"}),
        (TransformerNetClassifier, {**SMALL_TRANSFORMER, "pooling": "cls"}),
    ],
)
def test_pickle_round_trip(motif_data, Estimator, params):
    data, X = motif_data
    clf = Estimator(**params).fit(X, data.target)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert not hasattr(clone(clf), "net_")


@pytest.mark.parametrize(
    "estimator, X_fn, message",
    [
        (
            ConvNetClassifier(input_shape=(4, 7)),
            lambda X: X.reshape(len(X), -1),
            "input_shape=(4, 7) holds 28 values per sample but X has 200 columns",
        ),
        (
            ConvNetClassifier(input_shape=(4, 25, 2)),
            lambda X: X,
            "X has samples of shape (4, 50) but input_shape=(4, 25, 2)",
        ),
        (
            ConvNetClassifier(input_shape=(200,)),
            lambda X: X.reshape(len(X), -1),
            "needs samples of shape (channels, length)",
        ),
        (
            ConvNetClassifier(reverse_complement="both"),
            lambda X: X[:, :3],
            "needs one-hot DNA samples of shape (4, length)",
        ),
        (
            TransformerNetClassifier(vocab_size=5),
            lambda X: X,
            "takes tokens of shape (n_samples, length)",
        ),
        (
            TransformerNetClassifier(d_model=10, n_heads=4),
            lambda X: X,
            "d_model=10 must be divisible by n_heads=4",
        ),
        (
            TransformerNetClassifier(vocab_size=5),
            lambda X: X[:, 0] + 0.5,
            "tokens must be integers in [0, vocab_size=5)",
        ),
        (
            TransformerNetClassifier(vocab_size=5),
            lambda X: X[:, 0] * 9,
            "got values from 0 to 9",
        ),
    ],
)
def test_bad_input_at_fit(motif_data, estimator, X_fn, message):
    data, X = motif_data
    with pytest.raises(ValueError, match=re.escape(message)):
        estimator.fit(X_fn(X), data.target)


def test_bad_input_at_predict(motif_data):
    data, X = motif_data
    clf = ConvNetClassifier(**SMALL_CONV).fit(X, data.target)
    with pytest.raises(
        ValueError, match=re.escape("fitted on samples of shape (4, 50)")
    ):
        clf.predict(X[:, :, :40])
    with pytest.raises(ValueError, match="expecting 200 features"):
        clf.predict(X.reshape(len(X), -1)[:, :100])
    tokens = KmerTokenizer(k=1).fit_transform(data.sequences)
    tf = TransformerNetClassifier(vocab_size=6, **SMALL_TRANSFORMER).fit(
        tokens, data.target
    )
    with pytest.raises(ValueError, match="Pass the tokenizer's vocab_size"):
        tf.predict(tokens + 5)


@pytest.mark.parametrize(
    "Estimator", [ConvNetClassifier, TransformerNetClassifier, ConvNetRegressor]
)
def test_raw_sequences_point_to_an_encoder(Estimator):
    # numpy's "could not convert string to float" before (skdl issue 19).
    seqs = np.array(["ACGTACGTAC", "GGGTTTAAAC"] * 10)
    y = np.tile([0, 1], 10)
    msg = (
        f"{Estimator.__name__} takes encoded sequences (numbers), not text such as "
        "'ACGTACGTAC'; put an encoder before it, for example make_pipeline("
        f"SequenceOneHotEncoder(), {Estimator.__name__}())"
    )
    with pytest.raises(ValueError, match=re.escape(msg)):
        Estimator(max_epochs=1).fit(seqs, y)
    with pytest.raises(ValueError, match=re.escape(msg)):
        Estimator(max_epochs=1).fit(list(seqs), y)
