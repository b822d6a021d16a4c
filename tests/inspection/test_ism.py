"""In-silico mutagenesis: exact, batched, bounded in memory, any sequence model."""

import re
import tracemalloc

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline

from skdl.datasets import simulate_motif_sequences
from skdl.inspection import in_silico_mutagenesis
from skdl.neural_net import ConvNetClassifier, ConvNetRegressor
from skdl.preprocessing import SequenceOneHotEncoder


@pytest.fixture(scope="module")
def data():
    return simulate_motif_sequences(
        300, length=40, prevalence=0.3, grammar="presence", random_state=0
    )


@pytest.fixture(scope="module")
def net_pipeline(data):
    net = ConvNetClassifier(filters=(8,), kernel_size=9, max_epochs=4, random_state=0)
    return make_pipeline(SequenceOneHotEncoder(), net).fit(data.sequences, data.target)


def _log_odds(model, sequences):
    log_proba = model.predict_log_proba(sequences)
    return log_proba[:, 1] - log_proba[:, 0]


def _naive(model, sequence, letters="ACGT", score=_log_odds):
    """Every substitution predicted alone, one mutant at a time."""
    out = np.full((len(letters), len(sequence)), np.nan)
    for j in range(len(sequence)):
        for b, letter in enumerate(letters):
            mutant = sequence[:j] + letter + sequence[j + 1 :]
            out[b, j] = score(model, [mutant])[0]
    return out


def test_net_pipeline_equals_one_mutation_at_a_time(data, net_pipeline):
    sequences = data.sequences[:3]
    ism = in_silico_mutagenesis(net_pipeline, sequences, batch_size=37)
    for i, sequence in enumerate(sequences):
        np.testing.assert_allclose(
            ism.mutant_scores[i], _naive(net_pipeline, sequence), rtol=1e-6, atol=1e-6
        )
    np.testing.assert_allclose(
        ism.reference_scores, _log_odds(net_pipeline, sequences), rtol=1e-6, atol=1e-6
    )
    assert ism.response == "log-odds of class 1"


def test_kmer_pipeline_gets_the_mutants_as_text(data):
    # No one-hot encoder: the mutants go through the whole pipeline as text.
    kmers = make_pipeline(
        CountVectorizer(analyzer="char", ngram_range=(2, 3), lowercase=False),
        LogisticRegression(max_iter=1000),
    ).fit(data.sequences, data.target)
    sequences = data.sequences[:2]
    ism = in_silico_mutagenesis(kmers, sequences, batch_size=50)
    for i, sequence in enumerate(sequences):
        np.testing.assert_allclose(
            ism.mutant_scores[i], _naive(kmers, sequence), rtol=1e-9, atol=1e-9
        )


def test_bare_net_on_one_hot_equals_the_pipeline(data, net_pipeline):
    onehot = net_pipeline[0].transform(data.sequences[:4])
    bare = in_silico_mutagenesis(net_pipeline[-1], onehot)
    piped = in_silico_mutagenesis(net_pipeline, data.sequences[:4])
    np.testing.assert_array_equal(bare.mutant_scores, piped.mutant_scores)
    assert bare.alphabet == piped.alphabet == "ACGT"
    # 2-D rows are reshaped by the net's input_shape_.
    flat = in_silico_mutagenesis(net_pipeline[-1], onehot.reshape(4, -1))
    np.testing.assert_array_equal(flat.mutant_scores, bare.mutant_scores)


def test_batch_size_does_not_change_the_scores(data, net_pipeline):
    sequences = data.sequences[:5]
    small = in_silico_mutagenesis(net_pipeline, sequences, batch_size=7)
    auto = in_silico_mutagenesis(net_pipeline, sequences)
    np.testing.assert_allclose(small.mutant_scores, auto.mutant_scores, atol=1e-6)


def test_reference_letter_effect_is_zero_and_position_effects(data, net_pipeline):
    ism = in_silico_mutagenesis(net_pipeline, data.sequences[:3])
    reference = ism.reference == 1
    np.testing.assert_array_equal(ism.effects[reference], 0.0)
    assert ism.effects.shape == ism.reference.shape == (3, 4, 40)
    substitutions = np.where(reference, np.nan, ism.effects)
    np.testing.assert_allclose(
        ism.position_effects, np.nanmean(substitutions, axis=1), rtol=1e-12
    )


def test_window_mutates_only_inside(data, net_pipeline):
    ism = in_silico_mutagenesis(net_pipeline, data.sequences[:2], window=(10, 20))
    assert ism.window == (10, 20)
    assert np.isnan(ism.mutant_scores[:, :, :10]).all()
    assert np.isnan(ism.mutant_scores[:, :, 20:]).all()
    assert not np.isnan(ism.mutant_scores[:, :, 10:20]).any()
    full = in_silico_mutagenesis(net_pipeline, data.sequences[:2])
    np.testing.assert_allclose(
        ism.mutant_scores[:, :, 10:20], full.mutant_scores[:, :, 10:20], atol=1e-6
    )


def test_shorter_sequences_and_ambiguous_letters(data):
    sequences = np.array(["ACGTNACGTA", "acgta", "GGGGGGGGGG"])
    y = [1, 0, 1]
    model = make_pipeline(
        SequenceOneHotEncoder(length=10, flatten=True), LogisticRegression()
    ).fit(sequences, y)
    ism = in_silico_mutagenesis(model, sequences)
    # Past the end of the short sequence: not a position of it.
    assert np.isnan(ism.mutant_scores[1, :, 5:]).all()
    assert not np.isnan(ism.mutant_scores[1, :, :5]).any()
    # N stands for every letter: each of the four is a substitution there.
    np.testing.assert_allclose(ism.reference[0, :, 4], 0.25)
    assert (ism.effects[0, :, 4] != 0).all()
    # Lower case reads as upper case, as in the encoder.
    np.testing.assert_array_equal(
        ism.reference[1, :, :5].argmax(axis=0), [0, 1, 2, 3, 0]
    )


def test_regression_and_multiclass_targets(data):
    X = data.sequences[:120]
    values = np.array([s.count("G") for s in X], dtype=float)
    regressor = make_pipeline(SequenceOneHotEncoder(flatten=True), Ridge()).fit(
        X, values
    )
    ism = in_silico_mutagenesis(regressor, X[:2])
    np.testing.assert_allclose(
        ism.mutant_scores[0], _naive(regressor, X[0], score=lambda m, s: m.predict(s))
    )
    assert ism.response == "prediction"
    # Mutating to G raises a G-counting model's prediction.
    assert (ism.effects[0, 2][ism.reference[0, 2] == 0] > 0).all()

    labels = np.array(["a", "b", "c"])[np.arange(120) % 3]
    model = make_pipeline(
        SequenceOneHotEncoder(flatten=True), LogisticRegression()
    ).fit(X, labels)
    with pytest.raises(ValueError, match=re.escape("pass target=<label>")):
        in_silico_mutagenesis(model, X[:2])
    per_sample = in_silico_mutagenesis(model, X[:2], target=["a", "c"])
    log_proba = model.predict_log_proba(X[:2])
    expected = (
        log_proba[[0, 1], [0, 2]]
        - (log_proba.sum(axis=1) - log_proba[[0, 1], [0, 2]]) / 2
    )
    np.testing.assert_allclose(per_sample.reference_scores, expected)
    np.testing.assert_array_equal(per_sample.target, ["a", "c"])


def test_convnet_regressor_output_index(data):
    X = SequenceOneHotEncoder().fit_transform(data.sequences[:60])
    y = np.column_stack([X[:, 2].sum(axis=1), X[:, 0].sum(axis=1)])
    net = ConvNetRegressor(filters=(4,), max_epochs=2, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="pass target=<output index>"):
        in_silico_mutagenesis(net, X[:2])
    ism = in_silico_mutagenesis(net, X[:2], target=1)
    np.testing.assert_allclose(
        ism.reference_scores, net.predict(X[:2])[:, 1], atol=1e-6
    )
    with pytest.raises(ValueError, match=re.escape("index of an output in [0, 2)")):
        in_silico_mutagenesis(net, X[:2], target=2)


def test_memory_is_bounded_by_the_batch_not_the_stack(data, net_pipeline):
    sequences = np.array(
        ["".join(np.random.RandomState(i).choice(list("ACGT"), 40)) for i in range(30)]
    )
    # Stacked, the 30 x 40 x 3 mutants take 3,600 one-hot rows of 640 bytes.
    stacked = 30 * 40 * 3 * net_pipeline[-1].input_shape_[0] * 40 * 4
    tracemalloc.start()
    in_silico_mutagenesis(net_pipeline, sequences, batch_size=64)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = 3 * 30 * 4 * 40 * 8  # mutant scores, effects, reference
    assert peak < result + stacked / 4, (peak, stacked)


def test_errors(data, net_pipeline):
    with pytest.raises(ValueError, match=re.escape("0 <= start < stop <= 40")):
        in_silico_mutagenesis(net_pipeline, data.sequences[:2], window=(5, 50))
    with pytest.raises(ValueError, match="window must be None or"):
        in_silico_mutagenesis(net_pipeline, data.sequences[:2], window=(5,))
    with pytest.raises(ValueError, match="differs from the pipeline encoder"):
        in_silico_mutagenesis(net_pipeline, data.sequences[:2], alphabet="protein")
    onehot = net_pipeline[0].transform(data.sequences[:2])
    with pytest.raises(ValueError, match="must hold sequences as text"):
        in_silico_mutagenesis(net_pipeline, onehot)
    with pytest.raises(ValueError, match="one-hot sequences"):
        in_silico_mutagenesis(net_pipeline[-1], onehot * 3)
    with pytest.raises(ValueError, match="not one of the model's classes"):
        in_silico_mutagenesis(net_pipeline, data.sequences[:2], target=7)


def test_certain_probabilities_give_finite_scores(data):
    # A random forest says 0 and 1 outright: log-probabilities are floored at
    # log(1e-12) instead of making every effect NaN.
    from sklearn.ensemble import RandomForestClassifier

    forest = make_pipeline(
        SequenceOneHotEncoder(flatten=True),
        RandomForestClassifier(n_estimators=10, random_state=0),
    ).fit(data.sequences, data.target)
    ism = in_silico_mutagenesis(forest, data.sequences[:5])
    assert np.isfinite(ism.reference_scores).all()
    assert np.isfinite(ism.effects[ism.reference >= 0]).all()
    assert np.abs(ism.reference_scores).max() <= 2 * -np.log(1e-12) + 1e-9


def test_multilabel_net_response_is_the_exact_logit(data):
    X = SequenceOneHotEncoder().fit_transform(data.sequences[:80])
    y = np.column_stack([data.target[:80], 1 - data.target[:80]])
    net = ConvNetClassifier(filters=(4,), max_epochs=30, lr=0.05, random_state=0)
    net.fit(X, y)
    ism = in_silico_mutagenesis(net, X[:3], target=0)
    logits = net._forward(X[:3]).numpy()[:, 0].astype(np.float64)
    np.testing.assert_allclose(ism.reference_scores, logits, rtol=1e-5, atol=1e-5)
    assert ism.response == "log-odds of task 0"


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_sklearn_multilabel_classifier_is_read_per_task(data):
    from sklearn.neural_network import MLPClassifier

    y = np.column_stack([data.target, 1 - data.target])
    model = make_pipeline(
        SequenceOneHotEncoder(flatten=True),
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=50, random_state=0),
    ).fit(data.sequences, y)
    with pytest.raises(ValueError, match="pass target=<label>"):
        in_silico_mutagenesis(model, data.sequences[:2])
    ism = in_silico_mutagenesis(model, data.sequences[:2], target=1)
    p = model.predict_proba(data.sequences[:2])[:, 1]
    np.testing.assert_allclose(ism.reference_scores, np.log(p / (1 - p)), rtol=1e-6)


def test_multi_output_regressor_without_n_outputs(data):
    X = data.sequences[:60]
    y = np.column_stack([[s.count("A") for s in X], [s.count("C") for s in X]])
    model = make_pipeline(SequenceOneHotEncoder(flatten=True), Ridge()).fit(X, y)
    with pytest.raises(ValueError, match="predicts 2 outputs"):
        in_silico_mutagenesis(model, X[:2])
    ism = in_silico_mutagenesis(model, X[:2], target=1)
    np.testing.assert_allclose(ism.reference_scores, model.predict(X[:2])[:, 1])


def test_labels_are_matched_exactly_never_cast(net_pipeline, data):
    labels = np.array(["bind", "free"])[data.target]
    model = make_pipeline(
        SequenceOneHotEncoder(flatten=True), LogisticRegression()
    ).fit(data.sequences, labels)
    with pytest.raises(ValueError, match="'binding_site' is not one of"):
        in_silico_mutagenesis(model, data.sequences[:2], target="binding_site")
    with pytest.raises(ValueError, match="1.9 is not one of"):
        in_silico_mutagenesis(net_pipeline, data.sequences[:2], target=1.9)
    ism = in_silico_mutagenesis(model, data.sequences[:2], target="free")
    np.testing.assert_array_equal(ism.target, ["free", "free"])


def test_encoder_letter_order_is_kept(data):
    encoder = SequenceOneHotEncoder(alphabet="TGCA", flatten=True)
    model = make_pipeline(encoder, LogisticRegression()).fit(
        data.sequences, data.target
    )
    ism = in_silico_mutagenesis(model, ["ACGT" * 10], alphabet="dna")
    assert ism.alphabet == "TGCA"
    first = ism.alphabet[ism.reference[0, :, 0].argmax()]
    assert first == "A"


def test_series_lower_case_and_protein_text(data):
    import pandas as pd

    sequences = pd.Series(data.sequences[:2])
    model = make_pipeline(SequenceOneHotEncoder(flatten=True), LogisticRegression())
    model.fit(data.sequences, data.target)
    assert in_silico_mutagenesis(model, sequences).mutant_scores.shape == (2, 4, 40)
    # A case-sensitive k-mer model sees a soft-masked letter replaced in lower
    # case: one change, as the one-at-a-time loop makes it.
    soft = np.array([s[:20] + s[20:].lower() for s in data.sequences])
    kmers = make_pipeline(
        CountVectorizer(analyzer="char", ngram_range=(1, 2), lowercase=False),
        LogisticRegression(max_iter=1000),
    ).fit(soft, data.target)
    ism = in_silico_mutagenesis(kmers, soft[:1])

    def lower_loop(model, sequences):
        return _log_odds(model, sequences)

    sequence = soft[0]
    for j in (3, 30):
        for b, letter in enumerate("ACGT"):
            written = letter.lower() if sequence[j].islower() else letter
            mutant = sequence[:j] + written + sequence[j + 1 :]
            np.testing.assert_allclose(
                ism.mutant_scores[0, b, j], lower_loop(kmers, [mutant])[0], rtol=1e-9
            )
    proteins = np.array(["MKTAYIAKQR", "MKLVVLGAGG", "MSTNPKPQRK", "MAHHHHHHVG"])
    peptides = make_pipeline(
        CountVectorizer(analyzer="char", ngram_range=(1, 1), lowercase=False),
        LogisticRegression(),
    ).fit(proteins, [0, 1, 0, 1])
    protein_ism = in_silico_mutagenesis(peptides, proteins[:1])
    assert protein_ism.alphabet == "ACDEFGHIKLMNPQRSTVWY"
    assert protein_ism.mutant_scores.shape == (1, 20, 10)
