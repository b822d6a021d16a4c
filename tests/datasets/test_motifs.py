import re

import numpy as np
import pytest

from skdl.datasets import load_jaspar_motifs, simulate_motif_sequences
from skdl.datasets._motifs import GRCH38_LENGTHS
from skdl.preprocessing import SequenceOneHotEncoder, reverse_complement


def test_shipped_motifs_are_the_jaspar_matrices():
    motifs = load_jaspar_motifs()
    assert set(motifs.pwms) == {
        "CTCF", "POU5F1", "MAFK", "SPI1", "HNF4A", "GATA1", "FOXA2", "SOX2"
    }  # fmt: skip
    assert motifs.matrix_ids["CTCF"] == "MA0139.2" and "CC BY 4.0" in motifs.licence
    assert "JASPAR 2024" in motifs.citation
    for name, pwm in motifs.pwms.items():
        counts = motifs.counts[name]
        assert pwm.shape == counts.shape and pwm.shape[0] == 4
        np.testing.assert_allclose(pwm.sum(axis=0), 1.0)
        # Real motifs are informative: well above 0 bits per position on average.
        bits = 2 + (pwm * np.log2(pwm)).sum(axis=0)
        assert bits.mean() > 0.8, name
    # The consensus cores biologists know: CTCF's and the octamer of POU5F1.
    raw = load_jaspar_motifs(["CTCF", "POU5F1"], pseudocount=0).pwms
    consensus = {
        k: "".join("ACGT"[i] for i in v.argmax(axis=0)) for k, v in raw.items()
    }
    assert "CCACCAGGGGGCGC" in consensus["CTCF"]
    assert "ATGCAAAT" in consensus["POU5F1"]


def test_unknown_motif_name():
    with pytest.raises(ValueError, match="unknown motif 'CTFC'"):
        load_jaspar_motifs(["CTFC"])


def _best_scores(sequences, pwm):
    """Best log-odds score of the PWM over positions and both strands."""
    log_odds = np.log2(pwm / 0.25)
    width = pwm.shape[1]
    best = np.full(len(sequences), -np.inf)
    for strand in (sequences, reverse_complement(sequences)):
        X = SequenceOneHotEncoder().fit_transform(strand)
        windows = np.lib.stride_tricks.sliding_window_view(X, width, axis=2)
        best = np.maximum(best, np.einsum("nclw,cw->nl", windows, log_odds).max(axis=1))
    return best


def test_presence_plants_the_motif_in_exactly_the_positives():
    data = simulate_motif_sequences(2000, length=100, prevalence=0.05, random_state=0)
    assert data.target.sum() == 100 and data.sequences.shape == (2000,)
    assert {len(s) for s in data.sequences} == {100}
    scores = _best_scores(data.sequences, data.pwms["CTCF"])
    # Planted instances score far above what background produces by chance.
    assert np.median(scores[data.target == 1]) > np.quantile(
        scores[data.target == 0], 0.99
    )
    assert (data.motif_start[data.target == 1] >= 0).all()
    assert (data.motif_start[data.target == 0] == -1).all()
    assert set(data.strand[data.target == 1]) == {"+", "-"}


def test_spaced_decoys_carry_the_same_motifs_in_another_arrangement():
    data = simulate_motif_sequences(
        3000,
        length=80,
        grammar="spaced",
        prevalence=0.1,
        decoy_fraction=0.5,
        random_state=1,
    )
    positive, decoy = data.target == 1, data.decoy
    assert not (positive & decoy).any() and decoy.sum() == 1350
    for name in ("SOX2", "POU5F1"):
        scores = _best_scores(data.sequences, data.pwms[name])
        # Both groups carry both motifs: their score distributions match.
        assert abs(np.median(scores[positive]) - np.median(scores[decoy])) < 1.0


def test_spaced_arrangement_is_exact():
    data = simulate_motif_sequences(
        400, length=60, grammar="spaced", prevalence=0.5, spacing=4, random_state=3
    )
    pou = np.log2(data.pwms["POU5F1"] / 0.25)

    def pou_score(offset):
        """Mean POU5F1 log-odds at motif_start + offset, on the planted strand."""
        scores = []
        for i in np.flatnonzero(data.target == 1):
            seq, start = data.sequences[i], data.motif_start[i]
            if data.strand[i] == "-":
                seq = reverse_complement([seq])[0]
                start = 60 - (start + 7 + 4 + 11)
            window = seq[start + offset : start + offset + 11]
            X = SequenceOneHotEncoder(length=11).fit_transform([window])[0]
            scores.append((X * pou).sum())
        return np.mean(scores)

    # POU5F1 sits exactly 4 bp after the 7 bp SOX2 instance: its mean score
    # there is high, and much lower one base off.
    assert pou_score(11) > 8
    assert pou_score(11) > max(pou_score(10), pou_score(12)) + 5


def test_positional_grammar():
    data = simulate_motif_sequences(
        500, length=60, grammar="positional", prevalence=0.2, random_state=0
    )
    width = data.pwms["HNF4A"].shape[1]
    assert set(data.motif_start[data.target == 1]) == {(60 - width) // 2}
    decoy_starts = data.motif_start[data.decoy]
    assert (np.abs(decoy_starts - (60 - width) // 2) >= width).all()


def test_chromosomes_and_coordinates():
    data = simulate_motif_sequences(5000, length=200, random_state=0)
    assert (
        set(data.chromosome) <= set(GRCH38_LENGTHS) and len(set(data.chromosome)) == 23
    )
    ends = data.start + 200
    assert (data.start >= 0).all()
    assert (ends <= np.array([GRCH38_LENGTHS[c] for c in data.chromosome])).all()
    # Big chromosomes get more sequences.
    assert (data.chromosome == "chr1").sum() > (data.chromosome == "chr21").sum()


def test_reproducible_from_random_state():
    a = simulate_motif_sequences(300, length=50, prevalence=0.1, random_state=7)
    b = simulate_motif_sequences(300, length=50, prevalence=0.1, random_state=7)
    c = simulate_motif_sequences(300, length=50, prevalence=0.1, random_state=8)
    for key in ("sequences", "target", "chromosome", "start", "motif_start"):
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a.sequences, c.sequences)


def test_gc_content():
    data = simulate_motif_sequences(200, length=500, gc_content=0.6, random_state=0)
    joined = "".join(data.sequences)
    gc = (joined.count("G") + joined.count("C")) / len(joined)
    assert abs(gc - 0.6) < 0.01


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"grammar": "spaced", "motifs": ["CTCF"]}, "needs 2 motif(s)"),
        ({"motifs": ["NOPE"]}, "unknown motif 'NOPE'"),
        ({"length": 10}, "length=10 is too short"),
        ({"grammar": "positional", "position": 195}, "exceeds length=200"),
        ({"grammar": "positional", "length": 20}, "no room for decoy motifs"),
        ({"prevalence": 1.0}, "'prevalence' parameter"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        simulate_motif_sequences(100, **kwargs)
