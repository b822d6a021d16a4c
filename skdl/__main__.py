"""Run the ``skdl`` command: ``python -m skdl``."""

import sys

from skdl.cli import main

sys.exit(main())
