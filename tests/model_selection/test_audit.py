import numpy as np
import pytest
from sklearn.model_selection import GroupKFold, KFold

from skdl.model_selection import ChromosomeKFold, audit_leakage


def test_group_and_duplicate_leaks_are_found():
    rng = np.random.RandomState(0)
    patients = np.repeat(np.arange(10), 4)
    X = rng.randn(40, 3)
    X[39] = X[0]  # an exact duplicate (a re-sequenced sample)
    leaky = audit_leakage(
        KFold(4, shuffle=True, random_state=0), X, audit_groups=patients
    )
    assert not leaky.clean
    assert sum(f.n_shared_groups for f in leaky.folds) > 0
    expected = [
        int(0 in test and 39 in train) + int(39 in test and 0 in train)
        for train, test in KFold(4, shuffle=True, random_state=0).split(X)
    ]
    assert [f.n_test_duplicated_in_train for f in leaky.folds] == expected
    assert sum(expected) == 2  # the pair landed in different folds
    clean = audit_leakage(GroupKFold(4), X[:-1], groups=patients[:-1])
    assert clean.clean and len(clean.folds) == 4
    assert "LEAKS" in str(leaky) and "clean" in str(clean)


def test_duplicates_found_even_with_groups_respected():
    X = np.array([[0, 0], [1, 1], [2, 2], [0, 0], [3, 3], [4, 4]])
    groups = np.array([0, 0, 1, 1, 2, 2])  # the duplicate sits in two groups
    report = audit_leakage(GroupKFold(3), X, groups=groups)
    assert all(f.n_shared_groups == 0 for f in report.folds)
    assert sum(f.n_test_duplicated_in_train for f in report.folds) == 2
    assert not report.clean


def test_sequences_and_chromosome_splitter():
    seqs = np.array(["ACGT", "ACGA", "TTTT", "ACGT", "GGGG", "CCCC"])
    chrom = np.array(["chr1", "chr1", "chr2", "chr2", "chr3", "chr3"])
    report = audit_leakage(ChromosomeKFold(3, balance="samples"), seqs, groups=chrom)
    assert all(f.n_shared_groups == 0 for f in report.folds)
    assert sum(f.n_test_duplicated_in_train for f in report.folds) == 2


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        audit_leakage(3, np.zeros((6, 1)), groups=np.arange(5))


def test_near_duplicate_sequences_are_found():
    rng = np.random.RandomState(0)
    roots = ["".join(rng.choice(list("ACGT"), 80)) for _ in range(6)]
    seqs = roots + [r[:-2] + "AA" for r in roots]  # each root has a near copy
    complement = str.maketrans("ACGT", "TGCA")
    seqs[-1] = seqs[-1].translate(complement)[::-1]  # one copy reverse-complemented
    X = np.arange(len(seqs))[:, None]  # no exact duplicates among features
    leaky = audit_leakage(
        KFold(3, shuffle=True, random_state=0), X, sequences=seqs, threshold=0.5, k=8
    )
    expected = 0
    for train, test in KFold(3, shuffle=True, random_state=0).split(X):
        expected += sum((i % 6) in {j % 6 for j in train} for i in test)
    assert sum(f.n_test_similar_in_train for f in leaky.folds) == expected > 0
    families = np.arange(len(seqs)) % 6
    clean = audit_leakage(
        GroupKFold(3), X, groups=families, sequences=seqs, threshold=0.5, k=8
    )
    assert clean.clean
    assert "near-duplicated" in str(leaky)
