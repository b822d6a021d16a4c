import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimator_cloneable,
    check_estimator_repr,
    check_estimator_tags_renamed,
    check_get_params_invariance,
    check_mixin_order,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
    check_valid_tag_types,
)

from skdl.preprocessing import KmerTokenizer, SequenceOneHotEncoder, reverse_complement

ENCODERS = [SequenceOneHotEncoder(), KmerTokenizer()]

# scikit-learn's check generator skips estimators whose input is strings (as it
# does for CountVectorizer); these are the checks that need no numeric data.
DATA_FREE_CHECKS = [
    check_estimator_cloneable,
    check_estimator_repr,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_get_params_invariance,
    check_set_params,
    check_estimator_tags_renamed,
    check_valid_tag_types,
    check_mixin_order,
    check_do_not_raise_errors_in_init_or_set_params,
]


@pytest.mark.parametrize("encoder", ENCODERS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("check", DATA_FREE_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_api_checks(encoder, check):
    check(type(encoder).__name__, encoder)


@pytest.mark.parametrize("encoder", ENCODERS, ids=lambda e: type(e).__name__)
def test_declares_string_input(encoder):
    tags = get_tags(encoder)
    assert tags.input_tags.string and not tags.input_tags.two_d_array


@pytest.mark.parametrize("encoder", ENCODERS, ids=lambda e: type(e).__name__)
def test_transformer_contract(encoder):
    seqs = ["ACGTAC", "TTGCAN", "GGGccc"]
    with pytest.raises(NotFittedError):
        encoder.transform(seqs)
    fitted = clone(encoder).fit(seqs)
    out = fitted.transform(seqs)
    np.testing.assert_array_equal(out, clone(encoder).fit_transform(seqs))
    np.testing.assert_array_equal(
        out, pickle.loads(pickle.dumps(fitted)).transform(seqs)
    )
    # Lists, arrays, a single column and a pandas Series all agree.
    pd = pytest.importorskip("pandas")
    for container in (np.array(seqs), np.array(seqs)[:, None], pd.Series(seqs)):
        np.testing.assert_array_equal(fitted.transform(container), out)
    assert fitted.length_ == 6 and fitted.alphabet_ == "ACGT"


def test_one_hot_values_and_rules():
    X = SequenceOneHotEncoder(length=5).fit_transform(["ACGTR", "aN"])
    assert X.shape == (2, 4, 5) and X.dtype == np.float32
    np.testing.assert_array_equal(X[0, :, :4], np.eye(4))
    np.testing.assert_array_equal(X[0, :, 4], [0.5, 0, 0.5, 0])  # R = A/G
    np.testing.assert_array_equal(X[1, :, 0], [1, 0, 0, 0])  # lower case read as A
    np.testing.assert_array_equal(X[1, :, 1], [0.25] * 4)  # N
    np.testing.assert_array_equal(X[1, :, 2:], 0)  # padding is all zero
    assert X.sum(axis=1)[0].tolist() == [1] * 5  # ambiguity codes sum to one


def test_one_hot_trims_at_the_end_and_flattens():
    enc = SequenceOneHotEncoder(length=3, flatten=True).fit(["ACGTT"])
    out = enc.transform(["ACGTT"])
    assert out.shape == (1, 12)
    np.testing.assert_array_equal(out.reshape(1, 4, 3)[0], np.eye(4)[:, :3])
    assert enc.get_feature_names_out()[:4].tolist() == ["A0", "A1", "A2", "C0"]


@pytest.mark.parametrize(
    "alphabet, seq, letters",
    [
        ("rna", "ACGU", "ACGU"),
        ("protein", "MKWX", "ACDEFGHIKLMNPQRSTVWY"),
        ("xyz", "zyx", "XYZ"),
    ],
)
def test_other_alphabets(alphabet, seq, letters):
    enc = SequenceOneHotEncoder(alphabet).fit([seq])
    X = enc.transform([seq])
    assert X.shape == (1, len(letters), len(seq)) and enc.alphabet_ == letters
    np.testing.assert_allclose(X.sum(axis=1), 1.0, rtol=1e-6)


@pytest.mark.parametrize(
    "encoder, seqs, error, message",
    [
        (
            SequenceOneHotEncoder(),
            ["ACGT", "ACZT"],
            ValueError,
            "sequence 1 has 'Z' at position 2",
        ),
        (SequenceOneHotEncoder(), ["ACGT", "ACG"], ValueError, "set length=<int>"),
        (
            SequenceOneHotEncoder(lowercase="error"),
            ["ACgT"],
            ValueError,
            "lowercase='error'",
        ),
        (
            SequenceOneHotEncoder(ambiguous="error"),
            ["ACNT"],
            ValueError,
            "ambiguity code 'N'",
        ),
        (SequenceOneHotEncoder(), "ACGT", ValueError, "wrap it in a list"),
        (SequenceOneHotEncoder(), [["AC", "GT"]], ValueError, "1-D collection"),
        (SequenceOneHotEncoder(), [], ValueError, "got 0 sequences"),
        (SequenceOneHotEncoder(), ["ACGT", 5], TypeError, "sequence 1 is int"),
        (SequenceOneHotEncoder(), ["ACGTé"], ValueError, "non-ASCII"),
        (
            SequenceOneHotEncoder("A"),
            ["AAA"],
            ValueError,
            "at least 2 distinct letters",
        ),
        (KmerTokenizer(k=5), ["ACG"], ValueError, "shorter than k=5"),
        # k=32 overflowed int64 and returned the ambiguous token (issue 19).
        (
            KmerTokenizer(k=32),
            ["ACGT" * 10],
            ValueError,
            "KmerTokenizer: k=32 gives 4**32 k-mers, more than 64-bit tokens can "
            "number; use k <= 31",
        ),
        (
            KmerTokenizer(k=15, alphabet="protein"),
            ["MKTAYIAKQRQISFVKSHFSRQ"],
            ValueError,
            "k=15 gives 20**15 k-mers, more than 64-bit tokens can number; use k <= 14",
        ),
    ],
)
def test_bad_input(encoder, seqs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        encoder.fit_transform(seqs)


def test_transform_length_must_match_fit():
    enc = SequenceOneHotEncoder().fit(["ACGT"])
    with pytest.raises(
        ValueError, match="fitted on sequences of length 4; got length 5"
    ):
        enc.transform(["ACGTA"])


def test_kmer_tokens():
    tok = KmerTokenizer(k=2)
    assert tok.vocab_size == 18
    tokens = tok.fit_transform(["AACGT"])
    # AA=0, AC=1, CG=6, GT=11 in base 4, shifted by 2.
    np.testing.assert_array_equal(tokens, [[2, 3, 8, 13]])
    assert tokens.dtype == np.int64 and tok.n_tokens_ == 4
    # Padding gives 0, ambiguity codes give 1; non-overlapping with stride=k.
    tok = KmerTokenizer(k=2, stride=2, length=8).fit(["ACNTGG"])
    np.testing.assert_array_equal(tok.transform(["ACNTGG"]), [[3, 1, 12, 0]])
    assert KmerTokenizer(k=1, alphabet="protein").vocab_size == 22


def test_kmer_tokens_cover_the_vocabulary():
    rng = np.random.RandomState(0)
    seqs = ["".join(rng.choice(list("ACGT"), 200)) for _ in range(50)]
    tok = KmerTokenizer(k=3)
    tokens = tok.fit_transform(seqs)
    assert tokens.min() == 2 and tokens.max() == tok.vocab_size - 1


def test_reverse_complement_strings():
    out = reverse_complement(["ACGTN", "aaRc", "ACGU"[:3]])
    assert out.tolist() == ["NACGT", "gYtt", "CGT"]
    assert reverse_complement(["ACGU"], alphabet="rna").tolist() == ["ACGU"]
    np.testing.assert_array_equal(
        reverse_complement(reverse_complement(["ACGRYKM"])), ["ACGRYKM"]
    )
    with pytest.raises(ValueError, match="'U', which has no complement"):
        reverse_complement(["ACGU"])
    with pytest.raises(ValueError, match="'dna' or 'rna'"):
        reverse_complement(["ACG"], alphabet="protein")


def test_one_hot_reverse_complement_agrees_with_strings():
    seqs = ["ACGTTGCAAN", "GGATCCRYAT"]
    enc = SequenceOneHotEncoder().fit(seqs)
    np.testing.assert_array_equal(
        enc.transform(reverse_complement(seqs)), enc.transform(seqs)[:, ::-1, ::-1]
    )


@pytest.mark.parametrize("name", ["DNA", "Rna", "PROTEIN"])
def test_alphabet_names_in_any_case(name):
    # "DNA" was read as the custom letters D, N and A (skdl issue 19).
    assert SequenceOneHotEncoder(alphabet=name).fit(["ACGA"]).alphabet_ == (
        SequenceOneHotEncoder(alphabet=name.lower()).fit(["ACGA"]).alphabet_
    )
    assert (
        KmerTokenizer(alphabet=name).vocab_size
        == KmerTokenizer(alphabet=name.lower()).vocab_size
    )
