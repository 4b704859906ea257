"""``python -m dashboard.brief``: the briefing command under the name the docs and the meeting
staff's scripts use; it is ``python -m dashboard.briefing`` (see ``dashboard/briefing/``)."""

from __future__ import annotations

import sys

from dashboard.briefing.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
