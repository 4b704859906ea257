"""``python -m metrics``: validate, compute, schema, and the store's commands."""

import sys

from metrics.cli import main

sys.exit(main())
