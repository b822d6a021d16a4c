r"""Alphabets of biological sequences and their byte-level encoding rules.

Sequences become a ``uint8`` code matrix ``(n_samples, length)`` in one
vectorised step: numpy stores the strings as fixed-width bytes (shorter ones
padded with ``\\x00``), and a 256-entry lookup table maps every byte to a code:
``0`` for padding, ``1 .. n_letters`` for the alphabet's letters,
``n_letters + 1 ..`` for its ambiguity codes, ``255`` for anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

UNKNOWN = 255


@dataclass(frozen=True)
class Alphabet:
    """Letters of an alphabet and the letters each ambiguity code stands for."""

    name: str
    letters: str
    ambiguity: dict[str, str]
    complement: str | None = None

    @property
    def symbols(self) -> str:
        """Letters, then ambiguity codes, in code order (code = index + 1)."""
        return self.letters + "".join(self.ambiguity)


_IUPAC_DNA = {
    "N": "ACGT",
    "R": "AG",
    "Y": "CT",
    "S": "CG",
    "W": "AT",
    "K": "GT",
    "M": "AC",
    "B": "CGT",
    "D": "AGT",
    "H": "ACT",
    "V": "ACG",
}

ALPHABETS: dict[str, Alphabet] = {
    "dna": Alphabet("dna", "ACGT", _IUPAC_DNA, complement="TGCA"),
    "rna": Alphabet(
        "rna",
        "ACGU",
        {k: v.replace("T", "U") for k, v in _IUPAC_DNA.items()},
        complement="UGCA",
    ),
    "protein": Alphabet(
        "protein",
        "ACDEFGHIKLMNPQRSTVWY",
        {"X": "ACDEFGHIKLMNPQRSTVWY", "B": "DN", "Z": "EQ", "J": "IL"},
    ),
}


def get_alphabet(alphabet: str, caller: str) -> Alphabet:
    """Return a named alphabet (any case: "DNA"), or one from a string of letters."""
    if alphabet.lower() in ALPHABETS:
        return ALPHABETS[alphabet.lower()]
    letters = alphabet.upper()
    if len(letters) < 2 or len(set(letters)) != len(letters) or not letters.isalpha():
        raise ValueError(
            f"{caller}: alphabet must be one of {sorted(ALPHABETS)} or a string of "
            f"at least 2 distinct letters; got {alphabet!r}."
        )
    return Alphabet("custom", letters, {})


def check_sequences(sequences: Any, caller: str) -> NDArray[np.str_]:
    """Validate a 1-D collection of strings (or a single-column 2-D array)."""
    if isinstance(sequences, str):
        raise ValueError(
            f"{caller} expects a collection of sequences, got a single string; "
            "wrap it in a list."
        )
    array = np.asarray(sequences, dtype=object)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{caller} expects a 1-D collection of sequences (or one column); got "
            f"an array of shape {array.shape}."
        )
    if array.size == 0:
        raise ValueError(f"{caller} got 0 sequences; at least 1 is required.")
    bad = [i for i, s in enumerate(array) if not isinstance(s, str)]
    if bad:
        raise TypeError(
            f"{caller} expects strings; sequence {bad[0]} is "
            f"{type(array[bad[0]]).__name__} ({array[bad[0]]!r})."
        )
    return array.astype(str)


def encode_codes(
    sequences: NDArray[np.str_],
    alphabet: Alphabet,
    *,
    length: int,
    lowercase: str,
    caller: str,
) -> NDArray[np.uint8]:
    """Code matrix ``(n, length)``: padded/trimmed at the end, checked."""
    widest = max(1, int(np.char.str_len(sequences).max()))
    try:
        raw = sequences.astype(f"S{widest}")
    except UnicodeEncodeError as e:
        index = next(i for i, s in enumerate(sequences) if not s.isascii())
        raise ValueError(
            f"{caller}: sequence {index} has a non-ASCII character; biological "
            "sequences are ASCII letters."
        ) from e
    codes = raw.view(np.uint8).reshape(len(sequences), widest)
    if widest >= length:
        codes = codes[:, :length]
    else:
        codes = np.pad(codes, ((0, 0), (0, length - widest)))
    table = np.full(256, UNKNOWN, dtype=np.uint8)
    table[0] = 0
    for code, symbol in enumerate(alphabet.symbols, start=1):
        table[ord(symbol)] = code
        if lowercase == "upper":
            table[ord(symbol.lower())] = code
    mapped = table[codes]
    unknown = mapped == UNKNOWN
    if unknown.any():
        row, col = np.argwhere(unknown)[0]
        char = chr(codes[row, col])
        hint = (
            " Lower-case letters are refused with lowercase='error'."
            if char.upper() in alphabet.symbols
            else ""
        )
        raise ValueError(
            f"{caller}: sequence {row} has {char!r} at position {col}, which is not "
            f"in the {alphabet.name} alphabet {alphabet.letters!r} or its "
            f"ambiguity codes {''.join(alphabet.ambiguity)!r}.{hint}"
        )
    return mapped


def resolve_length(sequences: NDArray[np.str_], length: int | None, caller: str) -> int:
    """Return ``length``, or the one length all sequences share."""
    if length is not None:
        return int(length)
    lengths = np.unique(np.char.str_len(sequences))
    if len(lengths) > 1:
        raise ValueError(
            f"{caller}: sequences have different lengths ({lengths.min()} to "
            f"{lengths.max()}); set length=<int> to pad or trim them at the end."
        )
    return int(lengths[0])
