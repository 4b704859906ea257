"""The shipped server settings (``.streamlit/config.toml``), asserted from the file: nothing a
viewer should not see (no tracebacks, no help links, a viewer's toolbar), the browser's
protections on (XSRF, no CORS relaxation), nothing served from folders, no usage statistics,
loopback only, and no secret in the repository (the cookie secret comes from
``STREAMLIT_SERVER_COOKIE_SECRET``)."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO

CONFIG = REPO / ".streamlit" / "config.toml"


def _settings() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_a_viewer_sees_no_error_details_links_or_developer_menu() -> None:
    client = _settings()["client"]
    assert client["showErrorDetails"] == "none"
    assert client["showErrorLinks"] is False
    assert client["toolbarMode"] == "viewer"


def test_the_server_keeps_the_browser_s_protections_and_serves_no_folder() -> None:
    server = _settings()["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True and "corsAllowedOrigins" not in server
    assert server["enableStaticServing"] is False
    assert server["runOnSave"] is False
    assert server["address"] == "127.0.0.1"  # a deployment says its own, with sign-in on


def test_no_statistics_leave_and_no_secret_is_kept_in_the_repository() -> None:
    settings = _settings()
    assert settings["browser"]["gatherUsageStats"] is False
    assert "cookieSecret" not in settings["server"]
    assert not (REPO / ".streamlit" / "secrets.toml").exists()
