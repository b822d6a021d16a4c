"""How a fit shares a worker's CPUs and GPUs with the engine that runs it.

skdl has no scheduler: sweeps run on joblib (loky, Dask, Ray). Those engines
declare each worker process's share of the cores in ``OMP_NUM_THREADS`` (loky
sets ``cpu_count // n_jobs``; Dask's nanny and Ray set 1 unless configured), and
pin GPUs per worker with ``CUDA_VISIBLE_DEVICES``. The helpers here read those
declarations inside ``fit`` and never change global state beyond the fit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import joblib
import torch
from joblib._parallel_backends import LokyBackend
from joblib.parallel import get_active_backend


def resolve_n_jobs(n_jobs: int | str | None) -> int | None:
    """Return the jobs that ``n_jobs="auto"`` means here; other values unchanged.

    ``"auto"`` runs one job per physical core when that is faster: the work is
    on the CPU (no GPU is visible; with one, its fits would queue on the same
    device) and nobody has chosen otherwise, that is no
    :func:`joblib.parallel_config` sets ``n_jobs`` or another backend (Dask,
    Ray, threads) and this is not already a joblib worker. Each job's torch
    then takes its share of the cores (:func:`worker_threads`), so cores are
    not oversubscribed. In every other case ``"auto"`` is None: scikit-learn's
    meaning, one job unless the ``parallel_config`` says more.

    Parameters
    ----------
    n_jobs : int, "auto" or None
        As given by the user.

    Returns
    -------
    n_jobs : int or None

    Examples
    --------
    >>> from joblib import parallel_config
    >>> from skdl.utils._parallel import resolve_n_jobs
    >>> resolve_n_jobs(3)
    3
    >>> with parallel_config(n_jobs=2):
    ...     print(resolve_n_jobs("auto"))  # the context decides
    None
    """
    if not isinstance(n_jobs, str):
        return n_jobs
    backend, context_n_jobs = get_active_backend()
    chosen = context_n_jobs is not None or not isinstance(backend, LokyBackend)
    nested = bool(getattr(backend, "nesting_level", False))  # in a joblib worker
    if chosen or nested or torch.cuda.is_available():
        return None
    cores = joblib.cpu_count(only_physical_cores=True)
    return cores if cores > 1 else None


def worker_threads() -> int | None:
    """Return the torch threads this process should use: the engine's share.

    Returns
    -------
    n_threads : int or None
        ``OMP_NUM_THREADS`` when it holds a positive integer (set by loky, Dask
        and Ray in their workers, or by the user), None otherwise (torch's own
        default is then left alone).

    Examples
    --------
    >>> import os
    >>> from skdl.utils._parallel import worker_threads
    >>> value = worker_threads()
    >>> value is None or value >= 1
    True
    """
    value = os.environ.get("OMP_NUM_THREADS", "")
    try:
        n_threads = int(value)
    except ValueError:
        return None
    return n_threads if n_threads >= 1 else None


@contextmanager
def torch_threads(n_threads: int | None) -> Iterator[None]:
    """Run the body with ``n_threads`` torch intra-op threads, then restore.

    Parameters
    ----------
    n_threads : int or None
        Threads to use; None (or the current value) changes nothing.

    Examples
    --------
    >>> import torch
    >>> from skdl.utils._parallel import torch_threads
    >>> before = torch.get_num_threads()
    >>> with torch_threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    """
    previous = torch.get_num_threads()
    if n_threads is None or n_threads == previous:
        yield
        return
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def pick_cuda_device() -> torch.device:
    """Return the visible GPU with the most free memory (one model per GPU).

    A worker that sees one GPU (the usual pinning through
    ``CUDA_VISIBLE_DEVICES``) gets it; a worker that sees several places each
    new model on the emptiest one, so concurrent fits spread over the GPUs.

    Returns
    -------
    device : torch.device
        ``cuda:<index>``.

    Examples
    --------
    >>> import torch
    >>> from skdl.utils._parallel import pick_cuda_device
    >>> torch.cuda.is_available() is False or pick_cuda_device().type == "cuda"
    True
    """
    n_devices = torch.cuda.device_count()
    if n_devices <= 1:
        return torch.device("cuda", 0)
    free = [torch.cuda.mem_get_info(index)[0] for index in range(n_devices)]
    return torch.device("cuda", int(max(range(n_devices), key=free.__getitem__)))
