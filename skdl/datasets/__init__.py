"""Small real data shipped with skdl and simulators for CPU-sized demos."""

from skdl.datasets._motifs import load_jaspar_motifs, simulate_motif_sequences

__all__ = ["load_jaspar_motifs", "simulate_motif_sequences"]
