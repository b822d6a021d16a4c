import re
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score

from skdl.model_selection import SimilarityGroupKFold
from skdl.model_selection._similarity import kmer_matrix, similar_pairs

COMPLEMENT = str.maketrans("ACGT", "TGCA")


def _kmers(seq, k, canonical=True):
    seq = seq.upper()
    out = set()
    for i in range(len(seq) - k + 1):
        kmer = seq[i : i + k]
        if set(kmer) <= set("ACGT"):
            rc = kmer.translate(COMPLEMENT)[::-1]
            out.add(min(kmer, rc) if canonical else kmer)
    return out


def _jaccard(a, b, k):
    ka, kb = _kmers(a, k), _kmers(b, k)
    union = ka | kb
    return len(ka & kb) / len(union) if union else 0.0


def _family_data(n_families=12, per_family=4, length=80, rate=0.05, seed=0):
    rng = np.random.RandomState(seed)
    seqs, family = [], []
    for f in range(n_families):
        root = rng.choice(list("ACGT"), length)
        for _ in range(per_family):
            copy = root.copy()
            mutate = rng.rand(length) < rate
            copy[mutate] = rng.choice(list("ACGT"), mutate.sum())
            seqs.append("".join(copy))
            family.append(f)
    return np.array(seqs), np.array(family)


dna = st.text(alphabet="ACGTN", min_size=6, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(dna, min_size=2, max_size=12), st.integers(2, 5), st.floats(0.05, 1.0))
def test_similar_pairs_are_exact(seqs, k, threshold):
    rows, cols = similar_pairs(kmer_matrix(seqs, k), threshold)
    found = set(zip(rows.tolist(), cols.tolist()))
    expected = {
        (i, j)
        for i, j in combinations(range(len(seqs)), 2)
        if _kmers(seqs[i], k) | _kmers(seqs[j], k)
        and _jaccard(seqs[i], seqs[j], k) >= threshold
    }
    assert found == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 4), st.floats(0.2, 0.9))
def test_no_similar_pair_crosses_a_split(seed, n_splits, threshold):
    seqs, _ = _family_data(n_families=6, per_family=3, length=40, rate=0.1, seed=seed)
    cv = SimilarityGroupKFold(n_splits=n_splits, threshold=threshold, k=6)
    folds = list(cv.split(seqs))
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested) == list(range(len(seqs)))  # every sequence tested once
    for train, test in folds:
        for i in test:
            for j in train:
                assert _jaccard(seqs[i], seqs[j], 6) < threshold


def test_reverse_complement_is_the_same_sequence():
    seq = "ACGTTGCAAGGCTTAACGGA"
    rc = seq.translate(COMPLEMENT)[::-1]
    rows, cols = similar_pairs(kmer_matrix([seq, rc, "A" * 20], 5), 1.0)
    assert (rows.tolist(), cols.tolist()) == ([0], [1])


def test_families_stay_together_and_groups_merge():
    seqs, family = _family_data(rate=0.02)
    cv = SimilarityGroupKFold(n_splits=4, threshold=0.2, k=8)
    for train, test in cv.split(seqs):
        assert not set(family[train]) & set(family[test])
    assert cv.n_clusters_ == 12
    merged = cv.clusters(seqs, groups=family % 6)  # families paired by the user
    assert len(np.unique(merged)) == 6


def test_homology_leakage_inflates_a_random_split():
    # Each family has its own label; a k-mer model recognises family members.
    from sklearn.feature_extraction.text import CountVectorizer

    seqs, family = _family_data(n_families=30, per_family=6, length=100, rate=0.1)
    y = (family % 2).astype(int)
    X = CountVectorizer(analyzer="char", ngram_range=(6, 6)).fit_transform(seqs)
    model = LogisticRegression(max_iter=2000)
    leaky = cross_val_score(model, X, y, cv=KFold(5, shuffle=True, random_state=0))
    folds = list(SimilarityGroupKFold(n_splits=5, threshold=0.1, k=8).split(seqs))
    assert not any(set(family[train]) & set(family[test]) for train, test in folds)
    honest = cross_val_score(model, X, y, cv=folds)
    assert leaky.mean() > 0.95
    assert honest.mean() < 0.6


@pytest.mark.parametrize(
    "X, params, error, message",
    [
        (["ACGT", ""], {}, ValueError, "sequence 1 is empty"),
        (["ACGTACGT", "ACG"], {"k": 4}, ValueError, "sequence 1 is shorter than k=4"),
        (["ACGTACGT", 5], {"k": 4}, TypeError, "sequence 1 is int, not str"),
        (
            np.array([["AC", "GT"]]),
            {},
            ValueError,
            "X must be a 1-D array of sequences",
        ),
        (
            ["ACGTACGT"] * 3,
            {"k": 4, "n_splits": 2, "threshold": 0.0},
            ValueError,
            "The 'threshold' parameter",
        ),
        (
            ["ACGTACGT"] * 3,
            {"k": 4, "n_splits": 2},
            ValueError,
            "n_splits=2 needs at least as many groups; got 1",
        ),
    ],
)
def test_bad_input(X, params, error, message):
    with pytest.raises(error, match=re.escape(message)):
        list(SimilarityGroupKFold(**params).split(X))


def test_protein_alphabet_and_groups_length():
    prot = ["MKTAYIAKQR", "MKTAYIAKQW", "GGSSLLPPEE"]
    cv = SimilarityGroupKFold(n_splits=2, threshold=0.5, k=3, alphabet="protein")
    assert cv.clusters(prot).tolist()[0] == cv.clusters(prot).tolist()[1]
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        cv.clusters(prot, groups=[0, 1])


def test_works_as_cv_of_a_sequence_pipeline_in_search_and_mapie():
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    mapie_regression = pytest.importorskip("mapie.regression")
    seqs, family = _family_data(n_families=20, per_family=4, length=60, rate=0.02)
    y = family * 0.1 + np.random.RandomState(0).randn(len(seqs)) * 0.05
    pipe = make_pipeline(CountVectorizer(analyzer="char", ngram_range=(4, 4)), Ridge())
    cv = SimilarityGroupKFold(n_splits=4, threshold=0.2, k=8)
    search = GridSearchCV(pipe, {"ridge__alpha": [0.1, 10.0]}, cv=cv).fit(seqs, y)
    assert search.n_splits_ == 4
    model = mapie_regression.CrossConformalRegressor(pipe, confidence_level=0.8, cv=cv)
    model.fit_conformalize(seqs, y)
    _, intervals = model.predict_interval(seqs)
    assert intervals.shape == (len(seqs), 2, 1)
