"""Fixtures of the browser tests: the skip when Chromium, Playwright or CesiumJS is missing, and one
headless Chromium shared by the module's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser import Browser, missing_tools


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium (WebGL on SwiftShader), or a skip naming the missing tool."""
    reason = missing_tools()
    if reason is not None:
        pytest.skip(reason)
    with Browser() as opened:
        yield opened
