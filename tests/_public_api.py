"""The subpackages whose ``__all__`` forms skdl's public API."""

PUBLIC_MODULES = [
    "skdl.base",
    "skdl.callbacks",
    "skdl.conformal",
    "skdl.datasets",
    "skdl.exceptions",
    "skdl.imbalance",
    "skdl.inspection",
    "skdl.metrics",
    "skdl.comparison",
    "skdl.model_selection",
    "skdl.neural_net",
    "skdl.nn",
    "skdl.preprocessing",
    "skdl.report",
    "skdl.utils",
]
