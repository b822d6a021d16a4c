"""skorch callbacks for skdl estimators (and any skorch net)."""

from skdl.callbacks._finite_loss import FiniteLossCheck
from skdl.callbacks._progress import EpochProgressBar
from skdl.callbacks._time_limit import TimeLimit

__all__ = ["EpochProgressBar", "FiniteLossCheck", "TimeLimit"]
