"""``python -m metrics``: validate, compute, schema."""

import sys

from metrics.cli import main

sys.exit(main())
