"""The browser harness itself: it catches a request that leaves the served folder, from the page or
from a web worker, and tells a blank view from a drawn one."""

from __future__ import annotations

import numpy as np
import pytest

from tests.web.browser import Browser, FolderServer, share_of_colour, variance

LEAKY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><img src="http://tiles.example.org/0/0/0.png">
<script>
const code = "fetch('https://cdn.example.net/lib.js').catch(() => {}).finally(() => postMessage('done'));";
const worker = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
worker.onmessage = () => { document.body.dataset.ready = "1"; };
fetch("local.txt");
</script></body></html>"""


def test_requests_leaving_the_folder_are_caught(browser: Browser, tmp_path) -> None:
    (tmp_path / "index.html").write_text(LEAKY_PAGE, encoding="utf-8")
    (tmp_path / "local.txt").write_text("here", encoding="utf-8")
    with FolderServer(tmp_path) as server, browser.open(server) as visit:
        with pytest.raises(AssertionError, match="left the served folder"):
            visit.wait_ready(timeout_s=30)
        left = " ".join(visit.left())
        assert "tiles.example.org" in left  # from the page
        assert "cdn.example.net" in left  # from a web worker, which the page's events do not see
        assert "local.txt" in visit.served_paths()


def test_blank_and_drawn_views_are_told_apart() -> None:
    blank = np.full((50, 80, 3), 220, dtype=np.uint8)
    assert variance(blank) == 0.0
    drawn = blank.copy()
    drawn[10:30, 20:50] = (200, 95, 25)
    assert variance(drawn) > 100
    assert share_of_colour(drawn, (230, 110, 30)) == pytest.approx(600 / 4000)
    assert share_of_colour(blank, (230, 110, 30)) == 0.0
