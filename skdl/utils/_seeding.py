"""Seeding and deterministic-kernel helpers for torch.

Nothing here runs at import time. :func:`torch_determinism` changes global torch
state only inside a ``with`` block and restores it on exit, whatever happens inside.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

_CUBLAS_ENV = "CUBLAS_WORKSPACE_CONFIG"
# The setting cuBLAS needs for reproducible GEMMs (see the PyTorch notes on
# reproducibility); ":16:8" also works but may be slower.
_CUBLAS_DETERMINISTIC = ":4096:8"


def seed_from_random_state(random_state: np.random.RandomState) -> int:
    """Draw a torch seed from a resolved ``RandomState``.

    Parameters
    ----------
    random_state : numpy.random.RandomState
        The estimator's resolved random state (from ``check_random_state``).

    Returns
    -------
    seed : int
        A seed in ``[0, 2**31 - 1)`` for torch's generators.

    Examples
    --------
    >>> import numpy as np
    >>> from skdl.utils._seeding import seed_from_random_state
    >>> a = seed_from_random_state(np.random.RandomState(0))
    >>> a == seed_from_random_state(np.random.RandomState(0))
    True
    """
    return int(random_state.randint(np.iinfo(np.int32).max))


def resolve_device(device: str | torch.device) -> torch.device:
    """Turn ``device`` into a :class:`torch.device`, resolving ``"auto"``.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"`` (the visible GPU with the most free memory, else the CPU),
        ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ...

    Returns
    -------
    device : torch.device

    Raises
    ------
    ValueError
        If the string is not a torch device, or names CUDA on a machine without it.

    Examples
    --------
    >>> from skdl.utils._seeding import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if isinstance(device, str) and device == "auto":
        if torch.cuda.is_available():
            from skdl.utils._parallel import pick_cuda_device

            return pick_cuda_device()
        return torch.device("cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as e:
        raise ValueError(
            f"device={device!r} is not a torch device; use 'cpu', 'cuda', "
            "'cuda:<index>' or 'auto'."
        ) from e
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but torch.cuda.is_available() is "
            "False on this machine; use device='cpu' or device='auto'."
        )
    if resolved.type not in ("cpu", "cuda"):
        try:  # mps, xpu, ...: does this torch build and machine have it?
            torch.empty(0, device=resolved)
        except (RuntimeError, AssertionError) as e:
            raise ValueError(
                f"device={device!r} is not available with this torch build on "
                f"this machine ({e}); use device='cpu' or device='auto'."
            ) from e
    return resolved


@contextmanager
def torch_determinism(seed: int | None, device: torch.device) -> Iterator[None]:
    """Seed torch and select deterministic kernels, restoring global state on exit.

    Inside the block:

    - the CPU generator (and, on CUDA, the generator of ``device``) is seeded
      with ``seed``; their previous states are restored on exit
      (:func:`torch.random.fork_rng`), so the caller's random stream is untouched;
    - on CUDA only, ``torch.use_deterministic_algorithms(True)``,
      ``cudnn.deterministic = True``, ``cudnn.benchmark = False`` and, if unset,
      ``CUBLAS_WORKSPACE_CONFIG=:4096:8``; all four are restored on exit.

    Parameters
    ----------
    seed : int or None
        Seed for torch's generators. None leaves them alone (used at predict time,
        where only the kernel flags matter).
    device : torch.device
        The device the work runs on.

    Yields
    ------
    None

    Notes
    -----
    cuBLAS reads ``CUBLAS_WORKSPACE_CONFIG`` when a handle's workspace is first
    created. A process that already ran cuBLAS work before entering this block
    with another setting may keep it; set the variable before starting Python for
    a hard guarantee.

    Examples
    --------
    >>> import torch
    >>> from skdl.utils._seeding import torch_determinism
    >>> with torch_determinism(0, torch.device("cpu")):
    ...     a = torch.rand(2)
    >>> with torch_determinism(0, torch.device("cpu")):
    ...     b = torch.rand(2)
    >>> bool(torch.equal(a, b))
    True
    """
    cuda = device.type == "cuda"
    fork_devices: list[int] = []
    if cuda:
        fork_devices = [
            device.index if device.index is not None else torch.cuda.current_device()
        ]
    with torch.random.fork_rng(devices=fork_devices, enabled=seed is not None):
        if seed is not None:
            torch.random.default_generator.manual_seed(seed)
            if cuda:
                with torch.cuda.device(fork_devices[0]):
                    torch.cuda.manual_seed(seed)
        if not cuda:
            yield
            return
        saved_algorithms = torch.are_deterministic_algorithms_enabled()
        saved_warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
        saved_cudnn = (
            torch.backends.cudnn.deterministic,
            torch.backends.cudnn.benchmark,
        )
        saved_env = os.environ.get(_CUBLAS_ENV)
        try:
            if saved_env is None:
                os.environ[_CUBLAS_ENV] = _CUBLAS_DETERMINISTIC
            torch.use_deterministic_algorithms(True)
            torch.backends.cudnn.deterministic = True
            torch.backends.cudnn.benchmark = False
            yield
        finally:
            torch.use_deterministic_algorithms(
                saved_algorithms, warn_only=saved_warn_only
            )
            (
                torch.backends.cudnn.deterministic,
                torch.backends.cudnn.benchmark,
            ) = saved_cudnn
            if saved_env is None:
                os.environ.pop(_CUBLAS_ENV, None)


class DeterminismMixin:
    """Mixin that gives an estimator skdl's determinism contract.

    The estimator has a ``random_state`` parameter. Inside ``fit`` it calls
    :meth:`_resolve_randomness` once, which resolves ``random_state`` with
    :func:`~sklearn.utils.check_random_state` and draws the torch seed from it,
    then runs torch code inside :meth:`_deterministic`. Nothing is seeded at
    import or in ``__init__``.

    Guarantee: the same ``random_state`` (an int), the same device and the same
    library versions give identical fitted weights and predictions. On CUDA,
    deterministic kernels are switched on for the duration of ``fit`` and
    ``predict`` and the previous global settings are restored afterwards.

    Examples
    --------
    >>> import torch
    >>> from skdl.base import DeterminismMixin
    >>> class Noise(DeterminismMixin):
    ...     def __init__(self, random_state=None):
    ...         self.random_state = random_state
    ...     def draw(self):
    ...         _, seed = self._resolve_randomness()
    ...         with self._deterministic(seed, torch.device("cpu")):
    ...             return torch.rand(3)
    >>> bool(torch.equal(Noise(0).draw(), Noise(0).draw()))
    True
    """

    random_state: int | np.random.RandomState | None

    def _resolve_randomness(self) -> tuple[np.random.RandomState, int]:
        """Return the resolved ``RandomState`` and a torch seed drawn from it."""
        from sklearn.utils import check_random_state

        rng = check_random_state(self.random_state)
        return rng, seed_from_random_state(rng)

    @staticmethod
    def _deterministic(seed: int | None, device: torch.device) -> Any:
        """Context manager: see :func:`torch_determinism`."""
        return torch_determinism(seed, device)
