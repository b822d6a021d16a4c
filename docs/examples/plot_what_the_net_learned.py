"""
What the net learned: CTCF sites found again in simulated DNA
=============================================================

A net that scores well on held-out sequences may have found the binding site
of the factor, or something else that happens to go with the label. This
example plants the CTCF motif (JASPAR MA0139.2) in a quarter of 2,000 random
sequences, trains a small ConvNet to find it, and asks the net what it looks
at: sequence logos of its attributions for the two held-out sequences it
scores highest, the effect of every single-letter substitution around the
site of one of them, and the known motifs that its high-attribution segments
match. The planted sites are known here, so each answer can be checked.
"""

# %%
# Simulated sequences, split by chromosome
# ----------------------------------------
# :func:`~skdl.datasets.simulate_motif_sequences` draws random DNA of 100 bp
# (41% GC) and plants one CTCF site, on either strand, anywhere in 25% of the
# sequences. Each sequence gets a chromosome; chr1 to chr3 are held out.

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline

from skdl.datasets import simulate_motif_sequences
from skdl.inspection import (
    attribute,
    in_silico_mutagenesis,
    match_motifs,
    plot_attribution_logo,
    plot_ism_heatmap,
)
from skdl.neural_net import ConvNetClassifier
from skdl.preprocessing import SequenceOneHotEncoder

data = simulate_motif_sequences(
    2000, length=100, prevalence=0.25, grammar="presence", random_state=0
)
held_out = np.isin(data.chromosome, ["chr1", "chr2", "chr3"])
train, test = np.flatnonzero(~held_out), np.flatnonzero(held_out)
width = data.pwms["CTCF"].shape[1]
print(f"{len(train)} training and {len(test)} held-out sequences")
print(f"CTCF motif: {width} bp; {data.target[test].sum()} held-out positives")

# %%
# A small ConvNet
# ---------------
# 32 filters of 15 bp, one block. ``reverse_complement="both"`` trains on
# both strands and averages the two strands' outputs when predicting, so a
# site on the minus strand counts as one on the plus strand.

model = make_pipeline(
    SequenceOneHotEncoder(),
    ConvNetClassifier(
        filters=(32,),
        kernel_size=15,
        max_epochs=15,
        lr=3e-3,
        reverse_complement="both",
        random_state=0,
    ),
).fit(data.sequences[train], data.target[train])
score = model.predict_proba(data.sequences[test])[:, 1]
print(f"held-out auROC {roc_auc_score(data.target[test], score):.3f}")
print(f"held-out auPRC {average_precision_score(data.target[test], score):.3f}")

# %%
# Logos of the two sequences it scores highest
# --------------------------------------------
# :func:`~skdl.inspection.attribute` with DeepLIFT/SHAP compares each
# sequence with 20 shuffles of itself that keep its dinucleotide counts, so
# base composition alone gets no credit. It explains the log-odds of the
# positive class; each letter's height is its share. Positions count from 0.

top = test[np.argsort(-score)[:2]]
explained = attribute(
    model, data.sequences[top], method="deeplift_shap", random_state=0
)
for sample in top:
    start = data.motif_start[sample]
    print(
        f"sequence {sample}: CTCF planted at {start}-{start + width} "
        f"on the {data.strand[sample]} strand"
    )

first_logo = plot_attribution_logo(
    explained, index=0, title=f"sequence {top[0]}, DeepLIFT/SHAP"
)

# %%
second_logo = plot_attribution_logo(
    explained, index=1, title=f"sequence {top[1]}, DeepLIFT/SHAP"
)

# %%
# In both logos the tall letters sit on the planted site and spell the CTCF
# motif, or its reverse complement for a site on the minus strand: with both
# strands averaged, a site read on the minus strand shows at its place on
# the plus strand. The other letters stay near zero.
#
# Every substitution around one site
# ----------------------------------
# :func:`~skdl.inspection.in_silico_mutagenesis` replaces each letter by each
# other letter and asks the net again: no gradient and no approximation.
# ``window=`` mutates only the site and 10 bp on either side. Blue cells are
# substitutions that lower the log-odds; the dots mark the sequence's own
# letters.

start = data.motif_start[top[0]]
window = (max(start - 10, 0), min(start + width + 10, 100))
ism = in_silico_mutagenesis(model, data.sequences[top[:1]], window=window)
heatmap = plot_ism_heatmap(
    ism,
    index=0,
    start=window[0],
    stop=window[1],
    title=f"sequence {top[0]}, in-silico mutagenesis",
)

# %%
# Inside the site most substitutions lower the log-odds, most of all at the
# motif's most conserved positions; outside it, nothing changes much.
#
# Which known motifs the net relies on
# ------------------------------------
# One logo at a time does not scale. In-silico mutagenesis of all the
# held-out positives, then :func:`~skdl.inspection.match_motifs`: it takes
# the segments of high attribution (seqlets, screened at 20% FDR against the
# negated contributions), correlates each with the eight JASPAR motifs
# shipped with skdl on both strands, and counts the seqlets each motif
# explains best (correlation 0.5 or more).

positives = test[data.target[test] == 1]
mutated = attribute(model, data.sequences[positives], method="ism")
table, seqlets = match_motifs(mutated, return_seqlets=True)
print(table.round(2).to_string(index=False))

# %%
# CTCF comes first, and the other motifs get few seqlets or none. The seqlets
# can be checked against the planted sites, and the strand of their CTCF
# match against the strand of the site:

sample = positives[seqlets["sequence"]]
planted = data.motif_start[sample]
on_site = (seqlets["start"] < planted + width) & (seqlets["end"] > planted)
ctcf = seqlets["motif"] == "CTCF"
same_strand = seqlets["strand"] == data.strand[sample]
print(f"{len(seqlets)} seqlets in {len(positives)} positives")
print(f"on the planted site: {on_site.mean():.0%}")
print(f"matched to CTCF: {ctcf.mean():.0%}")
print(f"CTCF matches on the planted strand: {same_strand[ctcf].mean():.0%}")

# %%
# Nearly every seqlet lies on a planted site and matches CTCF, on the strand
# the site was planted on. On real data the sites are not known and this
# check is not possible; the motif table is what you read, and here it names
# the factor whose sites were planted.
