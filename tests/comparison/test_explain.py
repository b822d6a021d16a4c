"""compare explains its winner on sequences: held-out, top-scoring, any model."""

import html

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline

from skdl.comparison import compare
from skdl.comparison._sentences import explanation_sentence
from skdl.datasets import simulate_motif_sequences
from skdl.exceptions import SkdlWarning
from skdl.report import plot_learned, write_report


def _kmers(model=None):
    return make_pipeline(
        CountVectorizer(analyzer="char", ngram_range=(4, 6), lowercase=False),
        model if model is not None else LogisticRegression(C=1.0, max_iter=2000),
    )


@pytest.fixture(scope="module")
def data():
    return simulate_motif_sequences(
        240, length=50, prevalence=0.4, grammar="presence", motifs=["GATA1"],
        random_state=0,
    )  # fmt: skip


@pytest.fixture(scope="module")
def result(data):
    return compare({"k-mers": _kmers()}, data.sequences, data.target, cv=3)


def test_explanation_is_of_the_last_folds_held_out_top_positives(data, result):
    explanation = result.explanation
    last = result.fold.max()
    assert explanation.fold == last and explanation.candidate == "k-mers"
    samples = explanation.samples
    # Held out by the model that explains them, and positives only.
    assert (result.fold[samples] == last).all()
    assert (result.y_true[samples] == 1).all()
    assert len(samples) == ((result.fold == last) & (result.y_true == 1)).sum()
    # Best first, by the winner's out-of-fold score.
    scores = result.oof_score["k-mers"][samples]
    assert (np.diff(scores) <= 0).all()
    np.testing.assert_array_equal(explanation.sequences, data.sequences[samples])
    assert explanation.attributions.shape == (len(samples), 4, 50)
    assert explanation.method == "ism" and explanation.alphabet == "ACGT"


def test_a_kmer_winner_rediscovers_the_planted_motif(result):
    motifs = result.explanation.motifs
    assert motifs["motif"].iloc[0] == "GATA1"
    sentence = explanation_sentence(result)
    assert "k-mers scored highest in outer fold" in sentence
    assert "GATA1" in sentence


def test_the_report_shows_the_section(result, tmp_path):
    page = write_report(result, tmp_path).read_text()
    assert "<h2>What the winner learned (k-mers)</h2>" in page
    assert html.escape(explanation_sentence(result)) in page
    assert (tmp_path / "learned.png").stat().st_size > 5000
    assert "<td>GATA1</td>" in page
    figure = plot_learned(result, n_sequences=2)
    assert [ax.get_title().split(",")[0] for ax in figure.axes] == [
        f"sample {s}" for s in result.explanation.samples[:2]
    ]


def test_explain_false_tables_and_no_model_are_not_explained(data):
    off = compare(
        {"k-mers": _kmers()}, data.sequences, data.target, cv=3, explain=False
    )
    assert off.explanation is None and explanation_sentence(off) == ""
    rng = np.random.RandomState(0)
    X = rng.randn(90, 3)
    y = (X[:, 0] + rng.randn(90) > 0).astype(int)
    assert compare({"lr": LogisticRegression()}, X, y, cv=3).explanation is None
    with pytest.raises(ValueError, match="holds no explanation"):
        plot_learned(off)


def test_multiclass_sequences_are_explained_for_their_own_class(data):
    labels = np.array(["a", "b", "c"])[np.arange(240) % 3]
    labels[data.target == 1] = "c"
    result = compare({"k-mers": _kmers()}, data.sequences, labels, cv=3)
    explanation = result.explanation
    assert result.task == "multiclass"
    assert "against the others" in explanation.response
    assert len(explanation.samples) == (result.fold == result.fold.max()).sum()


def test_regression_is_explained_for_the_highest_predictions(data):
    values = np.array([s.count("GATA") + 0.1 * s.count("C") for s in data.sequences])
    result = compare(
        {"ridge": _kmers(Ridge())}, data.sequences, values, cv=3, task="regression"
    )
    explanation = result.explanation
    scores = result.oof_score["ridge"][explanation.samples]
    assert (np.diff(scores) <= 0).all() and explanation.response == "prediction"


class _SmallBatches(ClassifierMixin, BaseEstimator):
    """Predicts a test fold, but refuses the thousands of stacked mutants."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        if len(X) > 1000:
            raise RuntimeError("too many rows at once")
        return np.column_stack([np.full(len(X), 0.5), np.full(len(X), 0.5)])

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_a_failed_explanation_warns_and_keeps_the_comparison(data):
    with pytest.warns(SkdlWarning, match="could not be explained.*too many rows"):
        result = compare({"odd": _SmallBatches()}, data.sequences, data.target, cv=3)
    assert result.explanation is None and result.winner == "odd"


def test_a_forest_winner_with_certain_votes_is_explained_and_reported(data, tmp_path):
    from sklearn.ensemble import RandomForestClassifier

    forest = _kmers(RandomForestClassifier(n_estimators=20, random_state=0))
    result = compare({"forest": forest}, data.sequences, data.target, cv=3)
    explanation = result.explanation
    assert np.isfinite(explanation.attributions).all()
    assert np.abs(explanation.attributions).max() < 100
    assert explanation.response == "log-odds of the positive class (1)"
    assert (write_report(result, tmp_path).parent / "learned.png").exists()


def test_sequences_in_an_object_array_are_explained(data):
    # A pandas column of sequences arrives as an object array.
    objects = data.sequences.astype(object)
    result = compare({"k-mers": _kmers()}, objects, data.target, cv=3)
    assert result.explanation is not None
    assert result.explanation.sequences.dtype.kind == "U"
