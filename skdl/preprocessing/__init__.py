"""Transformers that turn raw biological sequences into network input."""

from skdl.preprocessing._encoders import KmerTokenizer, SequenceOneHotEncoder
from skdl.preprocessing._reverse_complement import reverse_complement

__all__ = ["KmerTokenizer", "SequenceOneHotEncoder", "reverse_complement"]
