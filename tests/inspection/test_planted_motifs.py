"""The net's explanations find the motif planted in simulated DNA.

2,000 sequences of 200 bp, 20% of them carrying one CTCF instance (JASPAR
MA0139.2, either strand) anywhere: a ConvNet must score auROC >= 0.95 on
held-out sequences, its attributions over the positives must rank the planted
positions (auROC >= 0.9 for in-silico mutagenesis and DeepLIFT/SHAP, >= 0.8
for saliency), and the seqlets must match CTCF first among the shipped
JASPAR motifs.
"""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline

from skdl.datasets import simulate_motif_sequences
from skdl.inspection import attribute, in_silico_mutagenesis, match_motifs
from skdl.neural_net import ConvNetClassifier
from skdl.preprocessing import SequenceOneHotEncoder

#: Minimum per-position auROC of the planted site, by method.
FLOORS = {"ism": 0.9, "deeplift_shap": 0.9, "saliency": 0.8}


@pytest.fixture(scope="module")
def planted():
    data = simulate_motif_sequences(
        2000, length=200, prevalence=0.2, grammar="presence", random_state=0
    )
    train, test = np.arange(1500), np.arange(1500, 2000)
    model = make_pipeline(
        SequenceOneHotEncoder(),
        ConvNetClassifier(filters=(32,), kernel_size=15, max_epochs=15, lr=3e-3,
                          reverse_complement="both", random_state=0),
    ).fit(data.sequences[train], data.target[train])  # fmt: skip
    score = model.predict_proba(data.sequences[test])[:, 1]
    positives = test[data.target[test] == 1]
    return data, model, roc_auc_score(data.target[test], score), positives


def _planted_auroc(data, positives, per_position):
    width = data.pwms["CTCF"].shape[1]
    aurocs = []
    for row, sample in enumerate(positives):
        planted = np.zeros(per_position.shape[1], dtype=bool)
        start = data.motif_start[sample]
        planted[start : start + width] = True
        aurocs.append(roc_auc_score(planted, per_position[row]))
    return float(np.mean(aurocs))


def test_the_net_learned_the_task(planted):
    _, _, auroc, positives = planted
    assert auroc >= 0.95  # measured 0.966
    assert len(positives) >= 80


@pytest.mark.parametrize("method", list(FLOORS))
def test_attributions_rank_the_planted_positions(planted, method):
    data, model, _, positives = planted
    sequences = data.sequences[positives]
    if method == "ism":
        # How much a position matters: the mean absolute effect of its
        # substitutions.
        ism = in_silico_mutagenesis(model, sequences)
        substitutions = np.where(ism.reference == 1, np.nan, ism.effects)
        per_position = np.nanmean(np.abs(substitutions), axis=1)
    else:
        result = attribute(model, sequences, method=method, random_state=0)
        per_position = np.abs(result.attributions).sum(axis=1)
    # measured: ISM 0.991, DeepLIFT/SHAP 0.989, saliency 0.991
    assert _planted_auroc(data, positives, per_position) >= FLOORS[method]


@pytest.mark.parametrize("method", ["ism", "deeplift_shap", "saliency"])
def test_seqlets_match_the_planted_motif_first(planted, method):
    data, model, _, positives = planted
    sequences = data.sequences[positives]
    result = attribute(model, sequences, method=method, random_state=0)
    table = match_motifs(result.attributions, sequences)
    assert table["motif"].iloc[0] == "CTCF"
    assert table["fraction"].iloc[0] > 0.5  # measured 0.91 to 0.95
    assert table["n_seqlets"].iloc[1] < table["n_seqlets"].iloc[0] / 5
