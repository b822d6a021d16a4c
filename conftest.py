"""Fixtures for every collected test, the docstring examples in ``skdl/`` included."""

import pytest
from joblib import parallel_config


@pytest.fixture(autouse=True)
def one_job_unless_asked():
    """Run ``n_jobs="auto"`` (compare's default) as one job in the test suite.

    Coverage is measured in this process only, and a suite that starts worker
    pools in hundreds of small comparisons is slower, not faster. An explicit
    ``n_jobs`` still wins over this context; ``tests/utils/test_parallel.py``
    checks what ``"auto"`` chooses outside it.
    """
    with parallel_config(n_jobs=1):
        yield
