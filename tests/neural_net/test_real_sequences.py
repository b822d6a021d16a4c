"""Sequence nets on real DNA: Oct4 vs Mafk ChIP-seq peaks (GPL-3 data in janggu).

The janggu wheel ships 200 bp human peak sequences with ``chrN:start-end``
headers: Oct4 (POU5F1) peaks in ``sample.fa`` and Mafk peaks in ``sample2.fa``,
with separate held-out files. ``make setup`` installs it with ``--no-deps`` for
the files only; it is never imported (and its data is not copied into skdl).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline

from skdl.datasets import load_jaspar_motifs
from skdl.inspection import attribute, extract_seqlets, match_motifs
from skdl.neural_net import ConvNetClassifier
from skdl.preprocessing import SequenceOneHotEncoder

FILES = {("train", 1): "sample.fa", ("train", 0): "sample2.fa",
         ("test", 1): "sample_test.fa", ("test", 0): "sample2_test.fa"}  # fmt: skip


def _read_fasta(path):
    records, name, chunks = [], None, []
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            if name is not None:
                records.append((name, "".join(chunks)))
            name, chunks = line[1:].strip(), []
        elif line.strip():
            chunks.append(line.strip())
    records.append((name, "".join(chunks)))
    return records


@pytest.fixture(scope="module")
def peaks():
    spec = importlib.util.find_spec("janggu")
    if spec is None:  # pragma: no cover - installed by `make setup`
        pytest.skip("janggu data files not installed (make setup installs them)")
    resources = Path(list(spec.submodule_search_locations)[0]) / "resources"
    data = {"train": ([], [], []), "test": ([], [], [])}
    for (part, label), name in FILES.items():
        seqs, y, chrom = data[part]
        for header, seq in _read_fasta(resources / name):
            seqs.append(seq)
            y.append(label)
            chrom.append(header.split(":")[0])
    return {part: tuple(map(np.asarray, v)) for part, v in data.items()}


def test_data_is_what_the_recipe_says(peaks):
    seqs, y, chrom = peaks["train"]
    assert len(seqs) == 7797 and {len(s) for s in seqs} == {200}
    assert len(set(chrom)) == 24 and 0.45 < y.mean() < 0.55
    # Soft-masked repeats (lower case) are present: the encoder reads them as
    # upper case by default, so the net cannot use the masking as a shortcut.
    assert any(any(c.islower() for c in s) for s in seqs[:50])


@pytest.fixture(scope="module")
def oct4_model(peaks):
    seqs, y, _ = peaks["train"]
    return make_pipeline(
        SequenceOneHotEncoder(),
        ConvNetClassifier(filters=(32,), kernel_size=15, max_epochs=8, lr=3e-3,
                          reverse_complement="both", random_state=0),
    ).fit(seqs, y)  # fmt: skip


def test_convnet_separates_oct4_from_mafk_peaks(peaks, oct4_model):
    model = oct4_model
    test_seqs, test_y, _ = peaks["test"]
    auc = roc_auc_score(test_y, model.predict_proba(test_seqs)[:, 1])
    assert auc > 0.95  # measured 0.993 with these settings
    # The filters found the biology: the JASPAR POU5F1 and MAFK motifs score
    # higher in the peaks the net calls Oct4 and Mafk respectively.
    encoder = model[0]
    X = encoder.transform(test_seqs)
    called_oct4 = model.predict(test_seqs) == 1
    pwms = load_jaspar_motifs(["POU5F1", "MAFK"]).pwms
    best = {}
    for name, pwm in pwms.items():
        log_odds = np.log2(pwm / 0.25)
        windows = np.lib.stride_tricks.sliding_window_view(X, pwm.shape[1], axis=2)
        forward = np.einsum("nclw,cw->nl", windows, log_odds).max(axis=1)
        reverse = np.einsum("nclw,cw->nl", windows, log_odds[::-1, ::-1]).max(axis=1)
        best[name] = np.maximum(forward, reverse)
    assert best["POU5F1"][called_oct4].mean() > best["POU5F1"][~called_oct4].mean()
    assert best["MAFK"][~called_oct4].mean() > best["MAFK"][called_oct4].mean()


@pytest.mark.parametrize("method", ["ism", "deeplift_shap", "integrated_gradients"])
def test_explanations_rediscover_oct4_and_mafk_motifs(peaks, oct4_model, method):
    """The seqlets of each class's held-out peaks match that factor's motif."""
    test_seqs, test_y, _ = peaks["test"]
    top = {}
    for label in (1, 0):  # Oct4 peaks explained for Oct4, Mafk peaks for Mafk
        sequences = test_seqs[test_y == label]
        result = attribute(
            oct4_model, sequences, method=method, target=label, random_state=0
        )
        # Oct4 peaks are told from Mafk peaks partly by the absence of MAF
        # sites: their negative contributions are evidence, not noise, so the
        # FDR screen (negated contributions as the null) is switched off.
        seqlets = extract_seqlets(result.attributions, sequences, fdr=None)
        table = match_motifs(result.attributions, sequences, seqlets=seqlets)
        top[label] = table[table["n_seqlets"] > 0]["motif"].head(3).tolist()
    # measured: Oct4 POU5F1 first (SOX2 next); Mafk MAFK first, every method
    assert {"POU5F1", "SOX2"} & set(top[1]), top
    assert "MAFK" in top[0], top
