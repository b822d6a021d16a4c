"""Exceptions and warnings raised by skdl.

Every skdl exception derives from :class:`SkdlError`. Where scikit-learn already has
an exception with the same meaning, the skdl one inherits from it too, so code written
for scikit-learn keeps catching it.
"""

from sklearn.exceptions import NotFittedError

__all__ = ["NonFiniteLossError", "NotInitializedError", "SkdlError", "SkdlWarning"]


class SkdlError(Exception):
    """Base class of every exception raised by skdl.

    Examples
    --------
    >>> from skdl.exceptions import SkdlError
    >>> issubclass(SkdlError, Exception)
    True
    """


class NotInitializedError(SkdlError, NotFittedError):
    """Raised when a skdl object is used before ``fit``.

    It is also a :class:`sklearn.exceptions.NotFittedError`, so scikit-learn code
    that catches the latter keeps working.

    Examples
    --------
    >>> from sklearn.exceptions import NotFittedError
    >>> from skdl.exceptions import NotInitializedError
    >>> issubclass(NotInitializedError, NotFittedError)
    True
    """


class NonFiniteLossError(SkdlError, ValueError):
    """Raised when training diverges: the loss is NaN or infinite.

    It is also a :class:`ValueError`, as scikit-learn's MLP raises one when its
    solver produces non-finite weights.

    Examples
    --------
    >>> from skdl.exceptions import NonFiniteLossError
    >>> issubclass(NonFiniteLossError, ValueError)
    True
    """


class SkdlWarning(UserWarning):
    """Base class of every warning emitted by skdl.

    Examples
    --------
    >>> from skdl.exceptions import SkdlWarning
    >>> issubclass(SkdlWarning, UserWarning)
    True
    """
