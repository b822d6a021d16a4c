import itertools
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from skdl.inspection import _shuffle, dinucleotide_shuffle
from skdl.preprocessing import SequenceOneHotEncoder


def _random_dna(n, length, seed=0):
    rng = np.random.RandomState(seed)
    return ["".join(rng.choice(list("ACGT"), size=length)) for _ in range(n)]


def _pair_counts(X):
    """counts[..., a, b]: how often letter a is followed by letter b (one-hot)."""
    return np.einsum("...al,...bl->...ab", X[..., :-1], X[..., 1:])


def _column_pairs(x):
    """Adjacent pairs of whole columns of one (n_letters, length) sequence."""
    columns = [column.tobytes() for column in x.T]
    return Counter(zip(columns, columns[1:]))


def _each(a, n_shuffles):
    """``a`` (one row per sequence) repeated for every shuffle."""
    return np.repeat(a[:, None], n_shuffles, axis=1)


def _decode(x, alphabet="ACGT"):
    return "".join(alphabet[i] for i in x.argmax(axis=0))


@pytest.mark.parametrize("length", [1, 2, 3, 4, 10, 200])
def test_dinucleotide_counts_and_ends_are_kept(length):
    X = SequenceOneHotEncoder().fit_transform(_random_dna(30, length))
    shuffled = dinucleotide_shuffle(X, n_shuffles=5, random_state=0)

    assert shuffled.shape == (30, 5, 4, length)
    assert shuffled.dtype == np.float32
    np.testing.assert_array_equal(_pair_counts(shuffled), _each(_pair_counts(X), 5))
    np.testing.assert_array_equal(shuffled[..., 0], _each(X[..., 0], 5))
    np.testing.assert_array_equal(shuffled[..., -1], _each(X[..., -1], 5))
    # Still one-hot, with the same letter counts.
    np.testing.assert_array_equal(shuffled.sum(axis=2), 1)
    np.testing.assert_array_equal(shuffled.sum(axis=-1), _each(X.sum(axis=-1), 5))


def test_long_sequences_are_really_shuffled():
    X = SequenceOneHotEncoder().fit_transform(_random_dna(20, 200))
    shuffled = dinucleotide_shuffle(X, n_shuffles=10, random_state=0)

    for original, shuffles in zip(X, shuffled):
        assert len({s.tobytes() for s in shuffles}) == 10
        assert not any(np.array_equal(s, original) for s in shuffles)
        # Motifs are destroyed: most positions change letter.
        assert (shuffles.argmax(axis=1) != original.argmax(axis=0)).mean() > 0.5


@pytest.mark.parametrize("sequence", ["A", "AC", "ACGT", "AAAAAA", "ACGTTGCA"])
def test_sequences_with_one_arrangement_come_back_unchanged(sequence):
    X = SequenceOneHotEncoder().fit_transform([sequence])
    shuffled = dinucleotide_shuffle(X, n_shuffles=4, random_state=0)
    np.testing.assert_array_equal(shuffled, _each(X, 4))


def test_columns_that_are_all_distinct_are_not_moved():
    # Every column is its own symbol, so each symbol occurs once and only the
    # original order has the original pairs.
    X = np.random.RandomState(0).rand(3, 4, 50)
    shuffled = dinucleotide_shuffle(X, n_shuffles=2, random_state=0)
    np.testing.assert_array_equal(shuffled, _each(X, 2))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.bool_])
def test_output_keeps_the_dtype(dtype):
    X = SequenceOneHotEncoder().fit_transform(_random_dna(5, 40)).astype(dtype)
    shuffled = dinucleotide_shuffle(X, n_shuffles=3, random_state=0)
    assert shuffled.dtype == dtype
    assert shuffled.shape == (5, 3, 4, 40)
    counts = _pair_counts(shuffled.astype(int))
    np.testing.assert_array_equal(counts, _each(_pair_counts(X.astype(int)), 3))


def test_nested_lists_are_accepted():
    X = SequenceOneHotEncoder().fit_transform(_random_dna(2, 30))
    from_list = dinucleotide_shuffle(X.tolist(), n_shuffles=2, random_state=0)
    from_array = dinucleotide_shuffle(
        X.astype(np.float64), n_shuffles=2, random_state=0
    )
    np.testing.assert_array_equal(from_list, from_array)


def test_random_state_makes_shuffles_reproducible():
    X = SequenceOneHotEncoder().fit_transform(_random_dna(10, 100))

    first = dinucleotide_shuffle(X, n_shuffles=3, random_state=42)
    again = dinucleotide_shuffle(X, n_shuffles=3, random_state=42)
    other = dinucleotide_shuffle(X, n_shuffles=3, random_state=43)
    from_instance = dinucleotide_shuffle(
        X, n_shuffles=3, random_state=np.random.RandomState(42)
    )

    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, from_instance)
    assert not np.array_equal(first, other)


def test_blocks_give_the_same_guarantees(monkeypatch):
    # A tiny block size forces many blocks of a few sequences each.
    monkeypatch.setattr(_shuffle, "_BLOCK_CELLS", 300)
    X = SequenceOneHotEncoder().fit_transform(_random_dna(25, 60))

    shuffled = dinucleotide_shuffle(X, n_shuffles=4, random_state=0)

    np.testing.assert_array_equal(_pair_counts(shuffled), _each(_pair_counts(X), 4))
    again = dinucleotide_shuffle(X, n_shuffles=4, random_state=0)
    np.testing.assert_array_equal(shuffled, again)


def test_ambiguity_codes_and_padding_are_symbols_of_their_own():
    sequences = ["ACGNNTGCAANCGTA", "NNACGTACGGATTAC", "ACGTAGCTAGNATCGACT", "GATTACA"]
    encoder = SequenceOneHotEncoder(length=25)
    X = encoder.fit_transform(sequences)
    n_padding = [25 - len(s) for s in sequences]
    n_ambiguous = [s.count("N") for s in sequences]

    shuffled = dinucleotide_shuffle(X, n_shuffles=50, random_state=0)

    # The Ns inside the first sequence move (the leading NN of the second
    # cannot: nothing but N precedes an N there).
    n_positions = {tuple(np.flatnonzero((x == 0.25).all(axis=0))) for x in shuffled[0]}
    assert len(n_positions) > 1

    for i, shuffles in enumerate(shuffled):
        for x in shuffles:
            assert _column_pairs(x) == _column_pairs(X[i])
            np.testing.assert_array_equal(x[:, 0], X[i, :, 0])
            empty = np.flatnonzero(x.sum(axis=0) == 0)
            np.testing.assert_array_equal(empty, np.arange(25 - n_padding[i], 25))
            assert (x == 0.25).all(axis=0).sum() == n_ambiguous[i]


def test_protein_alphabet():
    rng = np.random.RandomState(0)
    amino_acids = list("ACDEFGHIKLMNPQRSTVWY")
    sequences = ["".join(rng.choice(amino_acids, size=80)) for _ in range(6)]
    X = SequenceOneHotEncoder(alphabet="protein").fit_transform(sequences)
    assert X.shape[1] == 20

    shuffled = dinucleotide_shuffle(X, n_shuffles=4, random_state=0)

    assert shuffled.shape == (6, 4, 20, 80)
    np.testing.assert_array_equal(_pair_counts(shuffled), _each(_pair_counts(X), 4))
    np.testing.assert_array_equal(shuffled[..., 0], _each(X[..., 0], 4))
    assert len({s.tobytes() for s in shuffled[0]}) == 4


def _arrangements(sequence):
    """Every sequence with the same ends and pair counts, by brute force."""
    pairs = Counter(zip(sequence, sequence[1:]))
    found = set()
    for middle in set(itertools.permutations(sequence[1:-1])):
        candidate = sequence[0] + "".join(middle) + sequence[-1]
        if Counter(zip(candidate, candidate[1:])) == pairs:
            found.add(candidate)
    return sorted(found)


# "AACAGA" has 6 arrangements; keeping each letter's last exit from the
# original (DeepLIFT's and tangermeme's shuffle) reaches only 2 of them.
# "ACACAGCGC" has 9; drawing the tree of last exits uniformly over letters
# instead of over pairs makes 6 of them half as likely as the other 3.
@pytest.mark.parametrize(
    ("sequence", "n_arrangements"), [("AACAGA", 6), ("ACACAGCGC", 9)]
)
def test_shuffles_are_uniform_over_all_arrangements(sequence, n_arrangements):
    arrangements = _arrangements(sequence)
    assert len(arrangements) == n_arrangements
    X = SequenceOneHotEncoder().fit_transform([sequence])

    shuffled = dinucleotide_shuffle(X, n_shuffles=3000, random_state=0)

    seen = Counter(_decode(x) for x in shuffled[0])
    assert set(seen) == set(arrangements)
    frequencies = [seen[a] for a in arrangements]
    assert chisquare(frequencies).pvalue > 1e-3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="ACGTN", min_size=1, max_size=30), min_size=1, max_size=4
    ),
    st.integers(0, 2**31 - 1),
)
def test_any_dna_keeps_its_column_pairs(sequences, seed):
    X = SequenceOneHotEncoder(length=32).fit_transform(sequences)
    shuffled = dinucleotide_shuffle(X, n_shuffles=3, random_state=seed)
    for original, shuffles in zip(X, shuffled):
        for x in shuffles:
            assert _column_pairs(x) == _column_pairs(original)
            np.testing.assert_array_equal(x[:, 0], original[:, 0])
            np.testing.assert_array_equal(x[:, -1], original[:, -1])


def _same_grouping(a, b):
    for row_a, row_b in zip(a, b):
        first_a = {s: i for i, s in reversed(list(enumerate(row_a)))}
        first_b = {s: i for i, s in reversed(list(enumerate(row_b)))}
        if [first_a[s] for s in row_a] != [first_b[s] for s in row_b]:
            return False
    return True


def test_hashed_symbols_match_the_exact_ones():
    encoder = SequenceOneHotEncoder(length=40)
    X = encoder.fit_transform(
        ["ACGNNTRYACG", "NNNN", "ACGTACGTAGCTAGCATCGATCGATCAGCTA"]
    )
    # float32 and float64 columns are hashed (2 and 4 words); int8 ones are not.
    for data in (X, X.astype(np.float64), X.astype(np.int8)):
        hashed, exact = _shuffle._symbols(data), _shuffle._symbols_exact(data)
        assert _same_grouping(hashed, exact)
        assert _same_grouping(hashed, [[c.tobytes() for c in x.T] for x in data])


def test_negative_zero_is_zero():
    X = np.array([[[1.0, 0.0, -0.0, 1.0], [0.0, 1.0, 1.0, -0.0]]])
    assert _same_grouping(_shuffle._symbols(X), [["one", "two", "two", "one"]])


@pytest.mark.parametrize(
    "X",
    [np.zeros((4, 10)), np.zeros((2, 3, 4, 10)), np.array(["ACGT", "ACGA"])],
    ids=["2-D", "4-D", "strings"],
)
def test_input_that_is_not_3d_is_refused(X):
    msg = "dinucleotide_shuffle: X must be one-hot sequences of shape"
    with pytest.raises(ValueError, match=re.escape(msg)):
        dinucleotide_shuffle(X)


def test_n_shuffles_must_be_positive():
    X = SequenceOneHotEncoder().fit_transform(["ACGT"])
    msg = "The 'n_shuffles' parameter of dinucleotide_shuffle must be an int"
    with pytest.raises(ValueError, match=re.escape(msg)):
        dinucleotide_shuffle(X, n_shuffles=0)


def test_missing_values_are_refused():
    X = SequenceOneHotEncoder().fit_transform(["ACGTAC"])
    X[0, 0, 2] = np.nan
    with pytest.raises(ValueError, match=re.escape("Input X contains NaN")):
        dinucleotide_shuffle(X)
