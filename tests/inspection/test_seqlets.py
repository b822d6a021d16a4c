import re

import numpy as np
import pandas as pd
import pytest
from numpy.lib.stride_tricks import sliding_window_view
from pandas.testing import assert_frame_equal
from sklearn.utils import Bunch

from skdl.datasets import load_jaspar_motifs, simulate_motif_sequences
from skdl.exceptions import SkdlWarning
from skdl.inspection import extract_seqlets, match_motifs
from skdl.preprocessing import SequenceOneHotEncoder

JASPAR = load_jaspar_motifs()
SEQLET_COLUMNS = ["sequence", "start", "end", "score"]
RANKING_COLUMNS = ["motif", "matrix_id", "n_seqlets", "fraction", "mean_correlation"]


def _planted(name, *, sigma=0.3, seed=0, n_samples=400, length=200, both=True):
    """Sequences with ``name`` planted in half of them and synthetic attributions.

    Returns the simulated data, the one-hot sequences and a "saliency" matrix
    (a weight at every letter: 1 inside the planted site, plus Gaussian noise
    everywhere); ``onehot * weights`` is the matching "x input" attribution.
    """
    data = simulate_motif_sequences(
        n_samples=n_samples,
        length=length,
        prevalence=0.5,
        grammar="presence",
        motifs=[name],
        both_strands=both,
        random_state=seed,
    )
    onehot = SequenceOneHotEncoder().fit_transform(data.sequences).astype(float)
    width = data.pwms[name].shape[1]
    start, pos = data.motif_start[:, None], np.arange(length)
    site = (start >= 0) & (pos >= start) & (pos < start + width)
    noise = np.random.default_rng(seed).standard_normal(onehot.shape)
    weights = site[:, None, :] + sigma * noise
    return data, onehot, weights, width


def _overlaps_site(seqlets, data, width):
    """For each seqlet, whether it overlaps the planted site of its sequence."""
    rows = seqlets["sequence"].to_numpy()
    site = data.motif_start[rows]
    return (
        (data.target[rows] == 1)
        & (seqlets["start"].to_numpy() < site + width)
        & (seqlets["end"].to_numpy() > site)
    )


# extract_seqlets ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["CTCF", "GATA1"])
def test_extract_seqlets_finds_the_planted_sites(name):
    data, onehot, weights, width = _planted(name)
    seqlets = extract_seqlets(onehot * weights)
    on_site = _overlaps_site(seqlets, data, width)
    found = set(seqlets["sequence"][on_site])
    positives = np.flatnonzero(data.target == 1)
    assert len(found) / len(positives) >= 0.95
    # The false-discovery filter drops most of the noise windows.
    assert on_site.mean() >= 0.85


def test_extract_seqlets_table_follows_the_rules():
    data, onehot, weights, _ = _planted("SPI1", n_samples=100)
    seqlets = extract_seqlets(onehot * weights, window=8, flank=3, fdr=None)
    assert list(seqlets.columns) == SEQLET_COLUMNS
    assert all(seqlets[c].dtype == np.int64 for c in ["sequence", "start", "end"])
    # Sorted by sequence, then by descending score.
    keys = list(zip(seqlets["sequence"], -seqlets["score"]))
    assert keys == sorted(keys)
    assert ((seqlets["end"] - seqlets["start"]) <= 8 + 2 * 3).all()
    assert (seqlets["start"] >= 0).all() and (seqlets["end"] <= 200).all()
    assert (seqlets["score"] > 0).all()
    assert seqlets.groupby("sequence").size().max() <= 3
    best = seqlets.groupby("sequence")["score"].transform("max")
    assert (seqlets["score"] >= 0.5 * best).all()


def test_extract_seqlets_greedy_windows_by_hand():
    attributions = np.zeros((2, 4, 30))
    attributions[0, 0, 5:10] = 1.0  # window score 5
    attributions[0, 1, 20:25] = 0.4  # window score 2, less than half of 5
    attributions[1, 2, 0:3] = -1.0  # nothing positive in sequence 1
    seqlets = extract_seqlets(attributions, window=5, flank=2, fdr=None)
    expected = pd.DataFrame(
        {"sequence": [0], "start": [3], "end": [12], "score": [5.0]}
    )
    assert_frame_equal(seqlets, expected)
    lenient = extract_seqlets(
        attributions, window=5, flank=2, min_fraction=0.3, fdr=None
    )
    assert lenient[["start", "end"]].to_numpy().tolist() == [[3, 12], [18, 27]]
    assert lenient["score"].tolist() == pytest.approx([5.0, 2.0])
    single = extract_seqlets(
        attributions, window=5, flank=2, min_fraction=0.3, max_per_sequence=1
    )
    assert single.empty  # 2 seqlets cannot reach fdr=0.2: that needs at least 5


def test_extract_seqlets_window_longer_than_sequence_and_flank_clipping():
    attributions = np.zeros((1, 4, 6))
    attributions[0, 3, :] = 1.0
    seqlets = extract_seqlets(attributions, window=10, flank=4, fdr=None)
    assert seqlets[["start", "end", "score"]].to_numpy().tolist() == [[0, 6, 6.0]]


@pytest.mark.parametrize("seed", [0, 1, 4])
def test_extract_seqlets_pure_noise_gives_almost_nothing_by_default(seed):
    _, onehot, _, _ = _planted("CTCF", n_samples=300, seed=seed)
    noise = onehot * np.random.default_rng(seed).standard_normal(onehot.shape)
    # At fdr=0.2 the top 5 noise windows pass when no mirrored window beats them.
    assert len(extract_seqlets(noise)) <= 5
    # Without the false-discovery filter every sequence gives seqlets.
    assert len(extract_seqlets(noise, fdr=None)) >= 300


def test_extract_seqlets_empty_frame_has_the_columns():
    seqlets = extract_seqlets(np.zeros((3, 4, 20)), fdr=None)
    assert seqlets.empty
    assert list(seqlets.columns) == SEQLET_COLUMNS
    assert seqlets["start"].dtype == np.int64


# match_motifs ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["CTCF", "MAFK", "POU5F1", "SPI1", "HNF4A", "GATA1"])
def test_match_motifs_ranks_the_planted_motif_first(name):
    data, onehot, weights, width = _planted(name, seed=1)
    ranking, seqlets = match_motifs(onehot * weights, return_seqlets=True)
    assert list(ranking.columns) == RANKING_COLUMNS
    assert ranking.loc[0, "motif"] == name
    assert ranking.loc[0, "matrix_id"] == JASPAR.matrix_ids[name]
    assert ranking.loc[0, "fraction"] >= 0.65
    assert ranking.loc[1, "fraction"] <= 0.1
    on_site = _overlaps_site(seqlets, data, width)
    assert (seqlets["motif"][on_site] == name).mean() >= 0.75


def test_match_motifs_finds_minus_strand_sites_and_their_position():
    data, onehot, weights, width = _planted("SPI1", seed=2)
    keep = (data.target == 0) | (data.strand == "-")
    data = Bunch(**{k: data[k][keep] for k in ("target", "motif_start", "strand")})
    ranking, seqlets = match_motifs(onehot[keep] * weights[keep], return_seqlets=True)
    assert ranking.loc[0, "motif"] == "SPI1"
    hits = seqlets[_overlaps_site(seqlets, data, width) & (seqlets["motif"] == "SPI1")]
    assert len(hits) >= 0.8 * (data.strand == "-").sum()
    assert (hits["strand"] == "-").mean() >= 0.9
    motif_start = hits["start"] + hits["offset"]
    assert (motif_start == data.motif_start[hits["sequence"]]).mean() >= 0.9


def test_match_motifs_plus_strand_only():
    data, onehot, weights, width = _planted("HNF4A", seed=3, both=False)
    ranking, seqlets = match_motifs(onehot * weights, return_seqlets=True)
    assert ranking.loc[0, "motif"] == "HNF4A"
    hits = seqlets[_overlaps_site(seqlets, data, width) & (seqlets["motif"] != "")]
    assert (hits["strand"] == "+").mean() >= 0.9


# Seed 0 leaves no seqlet (seed 4 a few): that warning is tested below.
@pytest.mark.filterwarnings("ignore:match_motifs. there are no seqlets:UserWarning")
@pytest.mark.parametrize("seed", [0, 4])
def test_match_motifs_on_pure_noise_claims_nothing(seed):
    _, onehot, _, _ = _planted("CTCF", n_samples=300, seed=seed)
    noise = onehot * np.random.default_rng(seed).standard_normal(onehot.shape)
    assert match_motifs(noise)["n_seqlets"].max() <= 2
    # Even matching every sequence's best windows, no motif gets a real share.
    ranking = match_motifs(noise, seqlets=extract_seqlets(noise, fdr=None))
    assert ranking["fraction"].max() <= 0.03


def test_match_motifs_warns_without_seqlets():
    with pytest.warns(SkdlWarning, match="no seqlets to match") as record:
        ranking, seqlets = match_motifs(np.zeros((5, 4, 40)), return_seqlets=True)
    assert record[0].filename == __file__  # points at the caller
    assert (ranking["n_seqlets"] == 0).all()
    assert (ranking["fraction"] == 0).all()
    assert ranking["mean_correlation"].isna().all()
    assert seqlets.empty
    assert list(seqlets.columns)[-4:] == ["motif", "correlation", "strand", "offset"]


def test_match_motifs_with_the_planted_motif_missing_claims_little():
    _, onehot, weights, _ = _planted("CTCF", seed=5)
    others = {k: v for k, v in JASPAR.pwms.items() if k != "CTCF"}
    ranking = match_motifs(onehot * weights, motifs=others)
    assert "CTCF" not in set(ranking["motif"])
    assert ranking.loc[0, "fraction"] <= 0.15


def _naive_accuracy(contributions, seqlets, name):
    """Share of seqlets whose best motif is ``name`` under the naive score.

    The naive score is the Pearson correlation of the seqlet with the raw
    log-odds Q = log2(P / 0.25), computed over the motif's overlap only.
    """
    hits = 0
    for row, start, end in seqlets[["sequence", "start", "end"]].to_numpy():
        segment = contributions[row, :, start:end]
        scores = {}
        for motif, pwm in JASPAR.pwms.items():
            q = np.log2(pwm / 0.25)
            best = -np.inf
            for oriented in (q, q[::-1, ::-1]):
                windows = sliding_window_view(segment, q.shape[1], axis=1)
                for k in range(windows.shape[1]):
                    best = max(
                        best, np.corrcoef(windows[:, k].ravel(), oriented.ravel())[0, 1]
                    )
            scores[motif] = best
        hits += max(scores, key=scores.get) == name
    return hits / len(seqlets)


def test_centred_log_odds_over_the_whole_seqlet_beat_the_naive_score():
    # POU5F1 has weak flanks and shares A/T-rich stretches with FOXA2, SOX2 and
    # GATA1: the naive overlap-only correlation with raw log-odds favours those
    # shorter motifs.
    data, onehot, weights, width = _planted("POU5F1", sigma=0.5, seed=6)
    contributions = onehot * weights
    _, seqlets = match_motifs(contributions, return_seqlets=True, min_correlation=-1)
    on_site = seqlets[_overlaps_site(seqlets, data, width)].head(120)
    ours = (on_site["motif"] == "POU5F1").mean()
    naive = _naive_accuracy(contributions, on_site, "POU5F1")
    assert ours >= naive + 0.1


def test_saliency_with_sequences_equals_the_x_input_form():
    data, onehot, weights, _ = _planted("MAFK", seed=7)
    x_input = match_motifs(onehot * weights, return_seqlets=True)
    saliency = match_motifs(weights, data.sequences, return_seqlets=True)
    for expected, got in zip(x_input, saliency):
        assert_frame_equal(expected, got)
    assert_frame_equal(
        extract_seqlets(onehot * weights), extract_seqlets(weights, data.sequences)
    )


def test_string_and_one_hot_sequences_give_identical_results():
    data, onehot, weights, _ = _planted("GATA1", n_samples=200, seed=8)
    as_strings = match_motifs(weights, list(data.sequences), return_seqlets=True)
    as_onehot = match_motifs(weights, onehot, return_seqlets=True)
    as_series = match_motifs(weights, pd.Series(data.sequences), return_seqlets=True)
    for a, b, c in zip(as_strings, as_onehot, as_series):
        assert_frame_equal(a, b)
        assert_frame_equal(a, c)


def test_shorter_sequences_are_padded_with_zero_contribution():
    data, _, weights, _ = _planted("HNF4A", n_samples=200, seed=9)
    short = np.array([s if t else s[:150] for s, t in zip(data.sequences, data.target)])
    padded = SequenceOneHotEncoder(length=200).fit_transform(short)
    assert_frame_equal(
        extract_seqlets(weights, short, fdr=None),
        extract_seqlets(weights * padded, fdr=None),
    )
    seqlets = extract_seqlets(weights, short, fdr=None)
    trimmed = seqlets[data.target[seqlets["sequence"]] == 0]
    # A core window lies before position 150: padding contributes nothing.
    assert (trimmed["start"] < 150).all()
    ranking = match_motifs(weights, short)
    assert ranking.loc[0, "motif"] == "HNF4A"


def test_bunch_input_and_rna():
    data, onehot, weights, _ = _planted("SOX2", n_samples=200, seed=10)
    expected = match_motifs(onehot * weights)
    bunch = Bunch(attributions=onehot * weights, alphabet="ACGT")
    assert_frame_equal(match_motifs(bunch), expected)
    rna = np.char.replace(data.sequences.astype(str), "T", "U")
    got = match_motifs(Bunch(attributions=weights, alphabet="ACGU"), rna)
    assert_frame_equal(got, expected)
    # RNA strings are recognised without the Bunch too.
    assert_frame_equal(match_motifs(weights, rna), expected)


def test_match_motifs_return_seqlets_columns():
    data, onehot, weights, _ = _planted("CTCF", n_samples=200, seed=11)
    ranking, seqlets = match_motifs(onehot * weights, return_seqlets=True)
    assert list(seqlets.columns) == [
        *SEQLET_COLUMNS,
        "motif",
        "correlation",
        "strand",
        "offset",
    ]
    assert set(seqlets["motif"]) <= set(JASPAR.pwms) | {""}
    assert set(seqlets["strand"]) <= {"+", "-"}
    assert (seqlets["correlation"].abs() <= 1 + 1e-12).all()
    assigned = seqlets["motif"] != ""
    assert (seqlets["correlation"][assigned] >= 0.5).all()
    assert (seqlets["correlation"][~assigned] < 0.5).all()
    # The ranking counts and averages the assigned seqlets.
    counts = seqlets["motif"][assigned].value_counts()
    by_motif = ranking.set_index("motif")
    for motif, row in by_motif.iterrows():
        assert row["n_seqlets"] == counts.get(motif, 0)
        assert row["fraction"] == pytest.approx(counts.get(motif, 0) / len(seqlets))
    means = seqlets[assigned].groupby("motif")["correlation"].mean()
    assert by_motif.loc[means.index, "mean_correlation"].to_numpy() == pytest.approx(
        means.to_numpy()
    )
    assert ranking["n_seqlets"].is_monotonic_decreasing
    assert len(ranking) == len(JASPAR.pwms)
    # Motifs fit inside the 20-bp seqlets: offsets are within the seqlet.
    widths = seqlets["end"] - seqlets["start"]
    lengths = seqlets["motif"][assigned].map(lambda m: JASPAR.pwms[m].shape[1])
    assert (seqlets["offset"][assigned] >= 0).all()
    assert (seqlets["offset"][assigned] <= (widths[assigned] - lengths)).all()


def test_constant_seqlets_have_no_correlation():
    attributions = np.full((2, 4, 30), 0.1)
    seqlets = extract_seqlets(attributions, fdr=None)
    ranking, matched = match_motifs(
        attributions, seqlets=seqlets, min_correlation=-1, return_seqlets=True
    )
    assert len(matched) >= 2
    assert matched["correlation"].isna().all()
    assert (matched["motif"] == "").all()
    assert (ranking["n_seqlets"] == 0).all()


def test_match_motifs_defaults_use_extract_seqlets_defaults():
    _, onehot, weights, _ = _planted("FOXA2", n_samples=200, seed=12)
    attributions = onehot * weights
    assert_frame_equal(
        match_motifs(attributions),
        match_motifs(attributions, seqlets=extract_seqlets(attributions)),
    )


def test_match_motifs_motif_forms():
    _, onehot, weights, _ = _planted("GATA1", n_samples=200, seed=13)
    attributions = onehot * weights
    default = match_motifs(attributions)
    assert_frame_equal(match_motifs(attributions, motifs=JASPAR), default)
    as_dict = match_motifs(attributions, motifs=dict(JASPAR.pwms))
    assert (as_dict["matrix_id"] == "").all()
    assert_frame_equal(
        as_dict.drop(columns="matrix_id"), default.drop(columns="matrix_id")
    )
    two = match_motifs(attributions, motifs=load_jaspar_motifs(["GATA1", "CTCF"]))
    assert two["motif"].tolist() == ["GATA1", "CTCF"]
    # Zero probabilities are floored, not turned into -inf.
    pwm = np.zeros((4, 7))
    pwm[JASPAR.pwms["GATA1"].argmax(axis=0), np.arange(7)] = 1.0
    consensus = match_motifs(attributions, motifs={"GATA consensus": pwm})
    assert consensus.loc[0, "n_seqlets"] > 0


def test_match_motifs_motif_longer_than_the_seqlet_slides_the_seqlet():
    data, onehot, weights, width = _planted("CTCF", n_samples=100, seed=14, both=False)
    rows = np.flatnonzero(data.target == 1)
    starts = data.motif_start[rows] + 3
    seqlets = pd.DataFrame({"sequence": rows, "start": starts, "end": starts + 8})
    ranking, matched = match_motifs(
        onehot * weights, seqlets=seqlets, return_seqlets=True
    )
    assert ranking.loc[0, "motif"] == "CTCF"
    ctcf = matched[matched["motif"] == "CTCF"]
    assert len(ctcf) >= 0.8 * len(rows)
    # The motif starts 3 bp before each seqlet.
    assert ((ctcf["offset"] == -3) & (ctcf["strand"] == "+")).mean() >= 0.9


def test_match_motifs_background_changes_the_log_odds():
    _, onehot, weights, _ = _planted("GATA1", n_samples=200, seed=15)
    attributions = onehot * weights
    _, uniform = match_motifs(attributions, return_seqlets=True)
    _, skewed = match_motifs(
        attributions, background=[0.4, 0.1, 0.1, 0.4], return_seqlets=True
    )
    assert not np.allclose(uniform["correlation"], skewed["correlation"])


# errors ------------------------------------------------------------------------


@pytest.mark.parametrize("func", [extract_seqlets, match_motifs])
def test_errors_on_attributions(func):
    name = func.__name__
    with pytest.raises(ValueError, match=re.escape(f"{name}: attributions have 20")):
        func(np.zeros((2, 20, 30)))
    with pytest.raises(ValueError, match=re.escape("only 'ACGT' (DNA) or 'ACGU'")):
        func(Bunch(attributions=np.zeros((2, 4, 30)), alphabet="ACDEFGHIKLMNPQRSTVWY"))
    with pytest.raises(ValueError, match=re.escape("has no 'attributions' key")):
        func(Bunch(values=np.zeros((2, 4, 30))))
    with pytest.raises(ValueError, match=re.escape("pass attributions[None]")):
        func(np.zeros((4, 30)))
    with pytest.raises(ValueError, match=re.escape("(n_samples, 4, length); got")):
        func(np.zeros((2, 4, 30, 1)))
    bad = np.zeros((2, 4, 30))
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match=re.escape(f"{name}: attributions contain")):
        func(bad)
    with pytest.raises(ValueError, match=re.escape("attributions must be numbers")):
        func([["A", "C"]])


@pytest.mark.parametrize("func", [extract_seqlets, match_motifs])
def test_errors_on_sequences(func):
    attributions = np.zeros((2, 4, 10))
    with pytest.raises(
        ValueError, match=re.escape("got 3 sequences for attributions of 2")
    ):
        func(attributions, ["ACGT", "ACGT", "ACGT"])
    with pytest.raises(
        ValueError, match=re.escape("one-hot sequences have shape (2, 4, 9)")
    ):
        func(attributions, np.zeros((2, 4, 9)))
    with pytest.raises(ValueError, match="'X'"):
        func(attributions, ["ACGT", "ACXT"])


def test_errors_on_parameters():
    with pytest.raises(
        ValueError, match=re.escape("'window' parameter of extract_seqlets")
    ):
        extract_seqlets(np.zeros((2, 4, 10)), window=0)
    with pytest.raises(
        ValueError, match=re.escape("'fdr' parameter of extract_seqlets")
    ):
        extract_seqlets(np.zeros((2, 4, 10)), fdr=0)
    with pytest.raises(ValueError, match=re.escape("'min_correlation' parameter")):
        match_motifs(np.zeros((2, 4, 10)), min_correlation=2)


@pytest.mark.parametrize(
    "motifs, message",
    [
        ({"M": np.full((7, 4), 0.25)}, "motif 'M' has shape (7, 4); a motif is a (4,"),
        ({"M": np.full((7, 4), 0.25)}, "Transpose it."),
        ({"M": np.full((4,), 0.25)}, "motif 'M' has shape (4,)"),
        ({"M": np.full((3, 5), 1 / 3)}, "motif 'M' has shape (3, 5)"),
        ({"M": np.log2(np.full((4, 5), 0.25) / 0.25) - 1}, "negative or non-finite"),
        (
            {"M": np.full((4, 5), 10.0)},
            "the columns of motif 'M' sum to 40 to 40, not 1",
        ),
        ({"M": [["a"] * 5] * 4}, "motif 'M' is not a numeric matrix"),
        ({}, "match_motifs: motifs is empty"),
    ],
)
def test_errors_on_motifs(motifs, message):
    attributions = np.ones((2, 4, 30))
    with pytest.raises(ValueError, match=re.escape(message)):
        match_motifs(
            attributions, motifs=motifs, seqlets=extract_seqlets(attributions, fdr=None)
        )


def test_errors_on_background_and_seqlets():
    attributions = np.ones((2, 4, 30))
    with pytest.raises(
        ValueError, match=re.escape("match_motifs: background must be 4")
    ):
        match_motifs(attributions, background=[0.5, 0.5])
    with pytest.raises(
        ValueError, match=re.escape("match_motifs: background must be 4")
    ):
        match_motifs(attributions, background=[0.5, 0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match=re.escape("'end' is missing")):
        match_motifs(
            attributions, seqlets=pd.DataFrame({"sequence": [0], "start": [0]})
        )
    with pytest.raises(ValueError, match=re.escape("seqlets must be a DataFrame")):
        match_motifs(attributions, seqlets=np.zeros((2, 3)))
    outside = pd.DataFrame({"sequence": [0, 2], "start": [0, 0], "end": [10, 10]})
    with pytest.raises(
        ValueError, match=re.escape("seqlet 1 (sequence 2, 0 to 10) does")
    ):
        match_motifs(attributions, seqlets=outside)
    backwards = pd.DataFrame({"sequence": [0], "start": [10], "end": [5]})
    with pytest.raises(ValueError, match=re.escape("seqlet 0 (sequence 0, 10 to 5)")):
        match_motifs(attributions, seqlets=backwards)
