"""What did the net learn? Attributions, in-silico mutagenesis, known motifs.

Every function takes a fitted estimator the way
:func:`sklearn.inspection.permutation_importance` does: a bare skdl net, or a
fitted :class:`~sklearn.pipeline.Pipeline` whose last step is one (for
:func:`in_silico_mutagenesis`, any fitted estimator that reads sequences).
Attributions are mapped back to the input the user gave: per position and
letter for sequences, per token position for k-mer tokens, per feature for
tables. The gradient methods use captum (``pip install skdl[interpret]``);
in-silico mutagenesis, the dinucleotide shuffle and the motif matching are
skdl's own; the logos need logomaker (``pip install skdl[report]``).
"""

from skdl.inspection._attribute import attribute
from skdl.inspection._ism import in_silico_mutagenesis
from skdl.inspection._plots import plot_attribution_logo, plot_ism_heatmap
from skdl.inspection._seqlets import extract_seqlets, match_motifs
from skdl.inspection._shuffle import dinucleotide_shuffle

__all__ = [
    "attribute",
    "dinucleotide_shuffle",
    "extract_seqlets",
    "in_silico_mutagenesis",
    "match_motifs",
    "plot_attribution_logo",
    "plot_ism_heatmap",
]
