import csv
import importlib.util
import re
import warnings
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score

from skdl.exceptions import SkdlWarning
from skdl.model_selection import (
    SimilarityGroupKFold,
    audit_leakage,
    sequence_identity_groups,
)
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


# ------------------------------------------------ identical sequences (issue 14)
def _amp_peptides():
    """5,200 real peptides (2,600 antimicrobial, 2,600 UniProt), modlamp's data.

    modlamp (BSD-3) ships them in its wheel; make setup installs it without its
    dependencies, for the file only. Hundreds are exact duplicates and 261 are
    shorter than 12 residues.
    """
    spec = importlib.util.find_spec("modlamp")
    if spec is None:
        pytest.skip("modlamp's data files are not installed (make setup does)")
    path = Path(spec.submodule_search_locations[0]) / "data" / "AMPvsUniProt.csv"
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return np.array([r[0] for r in rows]), np.array([int(r[1]) for r in rows])


def _identical_across(seqs, folds):
    upper = np.char.upper(np.asarray(seqs, dtype=str))
    return sum(len(set(upper[train]) & set(upper[test])) for train, test in folds)


@pytest.mark.parametrize("k", [None, 3, 4, 5, 6, 8, 10, 12])
def test_real_proteins_never_split_identical_sequences(k):
    seqs, y = _amp_peptides()
    assert len(set(seqs)) < len(seqs) - 400  # the duplicates are real
    cv = SimilarityGroupKFold() if k is None else SimilarityGroupKFold(k=k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkdlWarning)  # short peptides, counted
        folds = list(cv.split(seqs, y))
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested) == list(range(len(seqs)))  # every sample tested once
    assert _identical_across(seqs, folds) == 0
    # A random split of the same data puts hundreds of copies on both sides.
    random_folds = list(KFold(5, shuffle=True, random_state=0).split(seqs))
    assert _identical_across(seqs, random_folds) > 300


def test_real_proteins_default_alphabet_links_similar_peptides():
    # "auto" reads protein; the old default ("dna") broke almost every k-mer of
    # a peptide and linked none. Protein k=12 ids need compaction (20**12).
    seqs, _ = _amp_peptides()
    with pytest.warns(SkdlWarning, match=r"261 sequence\(s\) are shorter than k=12"):
        auto = SimilarityGroupKFold().clusters(seqs)
    with pytest.warns(SkdlWarning, match="letters are outside the alphabet 'dna'"):
        dna = SimilarityGroupKFold(alphabet="dna").clusters(seqs)
    assert len(np.unique(auto)) < len(np.unique(dna))


def test_identical_sequences_grouped_whatever_k_and_case():
    # Copies too short for any k-mer, and copies in another case, still share
    # a fold.
    seqs = ["ACG", "acg", "TTGCA", "GGATCCAATGCA", "ggatccaatgca", "CCCAAATTTGGG"]
    seqs = seqs * 2
    with pytest.warns(SkdlWarning, match=r"6 sequence\(s\) are shorter than k=12"):
        labels = SimilarityGroupKFold(k=12).clusters(seqs)
    upper = [s.upper() for s in seqs]
    for i, j in combinations(range(len(seqs)), 2):
        if upper[i] == upper[j]:
            assert labels[i] == labels[j]
    assert len(np.unique(labels)) == 4


@pytest.mark.parametrize(
    "sequences, expected",
    [
        (["ACGTN", "acgt"], "dna"),
        (["ACGUUA", "GGCU"], "rna"),
        (["MKTAYIAKQR", "ACDE"], "protein"),
    ],
)
def test_alphabet_is_read_from_the_letters(sequences, expected):
    from skdl.model_selection._similarity import resolve_alphabet

    assert resolve_alphabet("auto", sequences, "cv") == expected
    assert resolve_alphabet(expected.upper(), sequences, "cv") == expected


def test_rna_is_compared_as_dna():
    rna = ["ACGUACGUAGGCUUA", "ACGUACGUAGGCUUU", "GGGCCCAAAUUUGGC"]
    dna = [s.replace("U", "T") for s in rna]
    cv = SimilarityGroupKFold(n_splits=2, threshold=0.5, k=4)
    assert cv.clusters(rna).tolist() == cv.clusters(dna).tolist()
    assert cv.clusters(rna)[0] == cv.clusters(rna)[1]


def test_kmer_ids_are_compacted():
    # 20**12 possible protein 12-mers; the matrix has one column per k-mer seen.
    seqs = ["MKTAYIAKQRQISFVKSHFSRQ", "MKTAYIAKQRQISFVKSHFSRW"]
    kmers = kmer_matrix(seqs, 12, "protein")
    assert kmers.shape == (2, 12)
    with pytest.raises(ValueError, match=re.escape("use k <= 14")):
        kmer_matrix(seqs, 15, "protein")


def test_sequence_identity_groups_merge_user_groups():
    seqs = ["ACGT", "acgt", "GGCC", "TTAA", "CCGG"]
    chrom = ["chr1", "chr2", "chr3", "chr3", "chr4"]
    labels = sequence_identity_groups(seqs, chrom)
    assert labels[0] == labels[1]  # the same sequence on two chromosomes
    assert labels[2] == labels[3]  # the same chromosome
    assert len(np.unique(labels)) == 3


def test_audit_sees_protein_and_rna_near_duplicates():
    # Six protein families of three near-identical variants: the old audit read
    # them as DNA and reported 0 near-duplicates and clean=True.
    rng = np.random.RandomState(0)
    letters = list("ACDEFGHIKLMNPQRSTVWY")
    seqs, family = [], []
    for f in range(6):
        root = rng.choice(letters, 40)
        for _ in range(3):
            copy = root.copy()
            copy[rng.randint(40)] = rng.choice(letters)
            seqs.append("".join(copy))
            family.append(f)
    X = np.zeros((len(seqs), 1))
    report = audit_leakage(
        KFold(3, shuffle=True, random_state=0), X, sequences=seqs, k=5
    )
    assert not report.clean
    assert sum(f.n_test_similar_in_train for f in report.folds) >= 12


def test_audit_counts_copies_in_another_case_and_rna_similarity():
    seqs, _ = _family_data(n_families=4, per_family=3, length=40, rate=0.02)
    rna = [s.replace("T", "U") for s in seqs]
    X = np.array([s.lower() if i % 2 else s for i, s in enumerate(rna)])
    report = audit_leakage(
        KFold(3, shuffle=True, random_state=0), X, sequences=rna, k=8
    )
    assert sum(f.n_test_similar_in_train for f in report.folds) > 0
    copies = np.r_[X, np.char.upper(X[:2])]  # two copies in upper case
    report = audit_leakage(KFold(2, shuffle=True, random_state=0), copies)
    assert sum(f.n_test_duplicated_in_train for f in report.folds) >= 1


@pytest.mark.parametrize("alphabet, k", [("dna", 15), ("protein", 12)])
def test_memory_follows_the_kmers_present(alphabet, k):
    # Before compaction: 4**15 (8.6 GB) or 20**12 (petabytes) columns for 20
    # sequences, since a transposed CSR holds one pointer per column.
    import tracemalloc

    rng = np.random.RandomState(0)
    letters = list("ACGT" if alphabet == "dna" else "ACDEFGHIKLMNPQRSTVWY")
    seqs = ["".join(rng.choice(letters, 60)) for _ in range(20)]
    tracemalloc.start()
    try:
        SimilarityGroupKFold(2, k=k, alphabet=alphabet).clusters(seqs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20
