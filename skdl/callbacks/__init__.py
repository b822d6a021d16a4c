"""skorch callbacks for skdl estimators (and any skorch net)."""

from skdl.callbacks._finite_loss import FiniteLossCheck
from skdl.callbacks._progress import EpochProgressBar

__all__ = ["EpochProgressBar", "FiniteLossCheck"]
