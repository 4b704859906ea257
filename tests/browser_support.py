"""What the browser tests share: Chromium, a free port, and the app running as a user starts it.

Chromium comes from Debian's package (``/usr/bin/chromium``; Playwright's own download is not
available). Without it the tests skip, except in CI, where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path(os.environ.get("BROWSER_PATH") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY = (
    "[data-testid=stApp][data-test-script-state=notRunning][data-test-connection-state=CONNECTED]"
)


def require(what: str, why: str) -> None:
    """Fail in CI, skip elsewhere, saying what is missing."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {why}")
    pytest.skip(f"{what} is not available ({why}); install it to run the browser tests")


def chromium() -> str:
    if not CHROMIUM.exists():
        require("Chromium", f"{CHROMIUM} is missing (apt-get install chromium)")
    return str(CHROMIUM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def running_app(env: dict[str, str], log_path: Path, timeout: float = 90) -> Iterator[str]:
    """``streamlit run app.py`` on a free loopback port; yields its URL, stops it afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited:\n{log_path.read_text()}")
            if _healthy(url):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start in {timeout:.0f} s:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
