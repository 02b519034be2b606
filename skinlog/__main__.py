"""Run skinlog with ``python -m skinlog``."""

import sys

from skinlog.cli import main

sys.exit(main())
