"""Finished work of a comparison on disk, so that a rerun resumes (``memory=``).

scikit-learn's ``Pipeline(memory=...)`` caches fitted transformers with
``joblib.Memory``; this applies the idea to whole searches. An entry is one
finished unit of work (a candidate's search on one outer fold, one label
shuffle), keyed by everything that decides its result: the data, the fold,
the candidate and its grid, the search settings and the versions of skdl,
scikit-learn, torch and numpy. A rerun of the same call loads the finished
units and fits only the rest.

Entries are written to a temporary file and renamed into place, so a kill
leaves either the whole entry or none. Each carries the SHA-256 of its
payload and its own key: a truncated, edited or misplaced file fails the
check and is recomputed, with a warning, never trusted. Entries are pickles:
point ``memory`` only at a folder you trust, as with ``joblib.Memory``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import tempfile
import warnings
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
import torch

from skdl.exceptions import SkdlWarning

_MAGIC = b"skdl-cache 1\n"
_DIGEST_SIZE = 64  # hex SHA-256
MISSING = object()


def fingerprint(*parts: Any) -> str:
    """Return a hash of ``parts`` (arrays, frames, estimators, settings).

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.comparison._cache import fingerprint
    >>> fingerprint(np.arange(3), "a") == fingerprint(np.arange(3), "a")
    True
    >>> fingerprint(np.arange(3), "a") == fingerprint(np.arange(3), "b")
    False
    """
    return joblib.hash(parts, hash_name="sha1")


def stable_fingerprint(thing: Any) -> str:
    """Return :func:`fingerprint` of ``thing``, or its repr if it cannot be pickled.

    A repr with a memory address (a lambda) differs in the next process: such
    a unit of work is recomputed rather than confused with another.

    Examples
    --------
    >>> from skdl.comparison._cache import stable_fingerprint
    >>> stable_fingerprint(lambda y, p: 0.0).startswith("<function")
    True
    """
    try:
        return fingerprint(thing)
    except Exception:
        return repr(thing)


def _versions() -> tuple[str, ...]:
    import skdl

    return (
        skdl.__version__,
        sklearn.__version__,
        torch.__version__,
        np.__version__,
        platform.python_version(),
    )


class ResultCache:
    """A folder of finished units of work, each in one checked file.

    Parameters
    ----------
    directory : str or path-like
        Created when missing.

    Examples
    --------
    >>> import tempfile
    >>> from skdl.comparison._cache import MISSING, ResultCache
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cache = ResultCache(folder)
    ...     key = cache.key("search", "fold 0")
    ...     print(cache.load("search", key) is MISSING)
    ...     cache.save("search", key, {"score": 0.5})
    ...     print(cache.load("search", key))
    True
    {'score': 0.5}
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def key(self, *parts: Any) -> str:
        """Return the key of a unit of work described by ``parts`` and the versions."""
        return fingerprint(_versions(), parts)

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / f"{kind}-{key}.pkl"

    def load(self, kind: str, key: str) -> Any:
        """Return the saved value, or ``MISSING`` when absent or damaged."""
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return MISSING
        problem = _check(data)
        value = MISSING
        if problem is None:
            try:
                entry = pickle.loads(data[len(_MAGIC) + _DIGEST_SIZE + 1 :])
            except Exception as e:  # damaged despite the digest: a foreign file
                problem = f"it cannot be read ({type(e).__name__})"
            else:
                if not isinstance(entry, dict) or entry.get("key") != key:
                    problem = "it belongs to another unit of work"
                else:
                    value = entry["value"]
        if problem is not None:
            warnings.warn(
                f"compare: the cache entry {path.name} in {self.directory} is "
                f"damaged ({problem}); that work is done again.",
                SkdlWarning,
                stacklevel=3,
            )
            path.unlink(missing_ok=True)
            return MISSING
        return value

    def save(self, kind: str, key: str, value: Any) -> None:
        """Write ``value`` atomically: a temporary file, flushed, then renamed."""
        try:
            payload = pickle.dumps({"key": key, "value": value}, protocol=5)
        except (pickle.PicklingError, TypeError, AttributeError) as e:
            # A lambda or a local function inside a user's estimator: the
            # comparison goes on; only this unit cannot be resumed.
            warnings.warn(
                f"compare: a {kind} cannot be saved in {self.directory} ({e}); "
                "the comparison goes on, but a rerun will do this work again. "
                "Use module-level functions in estimators to make it resumable.",
                SkdlWarning,
                stacklevel=3,
            )
            return
        digest = hashlib.sha256(payload).hexdigest().encode()
        path = self._path(kind, key)
        handle, temporary = tempfile.mkstemp(
            dir=self.directory, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(_MAGIC + digest + b"\n" + payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def __repr__(self) -> str:
        return f"ResultCache({str(self.directory)!r})"


def _check(data: bytes) -> str | None:
    """Say what is wrong with an entry's bytes, or None when they are intact."""
    start = len(_MAGIC) + _DIGEST_SIZE + 1
    if not data.startswith(_MAGIC) or len(data) < start:
        return "not a skdl cache file, or cut short"
    digest = data[len(_MAGIC) : start - 1]
    if hashlib.sha256(data[start:]).hexdigest().encode() != digest:
        return "its checksum does not match: cut short or edited"
    return None
