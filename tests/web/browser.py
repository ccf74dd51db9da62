"""Show a folder of web files in headless Chromium, offline, and check what the page did.

Used by the tests of the pages Maquette writes (the 3D Tiles viewer, later the story page):

* :class:`FolderServer` serves a folder over HTTP on 127.0.0.1 on a free port (a
  ``ThreadingHTTPServer`` in a thread, shut down after);
* :class:`Browser` drives Debian's ``/usr/bin/chromium`` headless through Playwright, WebGL on
  SwiftShader (the CPU), and :meth:`Browser.open` records every request the page makes: one that
  leaves the served origin, or that names a path outside the folder, fails the visit. Chromium's
  proxy for every host but 127.0.0.1 is :class:`TrapProxy`, which refuses and records what it gets:
  web workers' requests, which Playwright's events miss, are caught too (and the server records
  every path it is asked for);
* :meth:`Visit.wait_ready` waits for the page's own signal (``document.body.dataset.ready``),
  :meth:`Visit.screenshot` saves a PNG, :func:`variance` and :func:`share_of_colour` check that
  what the 3D canvas shows is not blank and holds a given colour.

:func:`missing_tools` says what is missing (Chromium, Playwright, the npm web tools) for a skip with a
reason; tests never skip for any other cause.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import numpy as np

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("MAQUETTE_CHROMIUM", "/usr/bin/chromium"))
#: Chromium's switches for WebGL without a GPU (SwiftShader through ANGLE), headless
CHROMIUM_ARGS = (
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
    "--enable-webgl",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
)
#: hosts headless Chromium itself contacts (its Google account and component update services), not
#: the page: their requests are refused by the trap proxy like any other, but not held against the page
BROWSER_OWN_HOSTS = ("accounts.google.com", "update.googleapis.com")
#: URL schemes that never reach the network (the page's own data, blobs, frames)
LOCAL_SCHEMES = ("data", "blob", "about")


def node_modules() -> Path:
    """``packaging/node/node_modules`` of this checkout, or of the main checkout when this one is a
    git worktree without its own (the web tools are installed once per clone)."""
    own = REPO / "packaging" / "node" / "node_modules"
    if own.is_dir():
        return own
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return own
    main = Path(common).parent / "packaging" / "node" / "node_modules"
    return main if main.is_dir() else own


def cesium_build() -> Path:
    """The CesiumJS build the tests copy from (``node_modules/cesium/Build/Cesium``)."""
    return node_modules() / "cesium" / "Build" / "Cesium"


def missing_tools() -> str | None:
    """Why the browser tests cannot run here (Chromium, Playwright or CesiumJS missing), or None."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)) and shutil.which(str(CHROMIUM)) is None:
        return f"Chromium not found at {CHROMIUM} (apt install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if not (cesium_build() / "Cesium.js").is_file():
        return f"CesiumJS not found in {node_modules()} (run packaging/bootstrap.sh test)"
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder, records each path asked (web workers' requests included, which the
    browser's events miss); says nothing on the standard error; glTF and WebAssembly typed."""

    served: list[str]

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".glb": "model/gltf-binary",
        ".gltf": "model/gltf+json",
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        self.served.append(unquote(urlsplit(self.path).path).lstrip("/"))
        return super().send_head()


class _TrapHandler(http.server.BaseHTTPRequestHandler):
    """The browser's proxy for every host but 127.0.0.1: records the request, answers 403."""

    hits: list[str]

    def _refuse(self) -> None:
        host = self.path.rsplit(":", 1)[0] if self.command == "CONNECT" else urlsplit(self.path).hostname
        if host not in BROWSER_OWN_HOSTS:
            self.hits.append(f"{self.command} {self.path}")
        self.send_error(403, "Maquette's tests allow no request outside the served folder")

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = _refuse  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: Any) -> None:
        pass


class TrapProxy:
    """An HTTP proxy on 127.0.0.1 that lets nothing through: what it saw is :attr:`hits`."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        handler = type("Trap", (_TrapHandler,), {"hits": self.hits})
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="trap-proxy", daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class FolderServer:
    """``folder`` over HTTP on 127.0.0.1, on a free port, while the ``with`` block lasts."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()
        #: every path asked of the server (relative to the folder), in order
        self.served: list[str] = []
        recording = type("Recording", (_QuietHandler,), {"served": self.served})
        handler = functools.partial(recording, directory=str(self.folder))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="folder-server", daemon=True)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str = "") -> str:
        """The address of ``path`` (relative to the folder)."""
        return f"{self.origin}/{path}"

    def __enter__(self) -> FolderServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass
class Visit:
    """One page opened in the browser, and every request it made so far."""

    page: Any  # playwright.sync_api.Page
    server: FolderServer
    trap: TrapProxy
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # requests that left the origin or the folder
    failed: list[str] = field(default_factory=list)  # "STATUS URL" of answers 400 and above
    console_errors: list[str] = field(default_factory=list)
    opened_at: float = 0.0

    def _record(self, url: str) -> None:
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.server.origin:
            self.outside.append(url)
            return
        path = (self.server.folder / unquote(parts.path).lstrip("/")).resolve()
        if not path.is_relative_to(self.server.folder):
            self.outside.append(url)

    def served_paths(self) -> list[str]:
        """The paths (relative to the folder) the server was asked for, web workers' included."""
        return list(self.server.served)

    def left(self) -> list[str]:
        """The requests that left the served folder: seen by the page, or caught by the proxy
        (web workers, frames, the browser itself)."""
        return self.outside + self.trap.hits

    def wait_ready(self, timeout_s: float = 120.0) -> float:
        """Wait until the page sets ``document.body.dataset.ready``; seconds since it was opened.
        AssertionError when the page says ``"error"`` (with its status line) or a request left."""
        self.page.wait_for_function(
            "() => document.body && document.body.dataset.ready", timeout=timeout_s * 1000
        )
        elapsed = time.monotonic() - self.opened_at
        ready = self.page.evaluate("() => document.body.dataset.ready")
        assert ready == "1", f"the page failed: {self.page.inner_text('body')!r} {self.console_errors}"
        self.assert_offline()
        return elapsed

    def assert_offline(self) -> None:
        """AssertionError naming the requests that left the served folder."""
        left = self.left()
        assert not left, f"requests left the served folder: {left}"

    def screenshot(self, path: Path, selector: str | None = None) -> np.ndarray:
        """Save a PNG of the page (or of the element ``selector``) at ``path``; its RGB pixels."""
        from PIL import Image

        target = self.page.locator(selector) if selector else self.page
        data = target.screenshot(path=str(path))
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


class Browser:
    """Headless Chromium through Playwright, for the ``with`` block."""

    def __init__(self, width: int = 1024, height: int = 700) -> None:
        self.size = {"width": width, "height": height}
        self._playwright: Any = None
        self._browser: Any = None
        self._trap: TrapProxy | None = None

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._trap = TrapProxy()
        self._playwright = sync_playwright().start()
        try:  # every host but 127.0.0.1 (bypassed by Chromium) goes to the trap
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=list(CHROMIUM_ARGS),
                proxy={"server": self._trap.address, "bypass": "127.0.0.1"},
            )
        except BaseException:
            self._playwright.stop()
            self._trap.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._browser is not None:
            self._browser.close()
        self._playwright.stop()
        if self._trap is not None:
            self._trap.close()

    @contextmanager
    def open(self, server: FolderServer, path: str = "index.html") -> Iterator[Visit]:
        """Open ``path`` of ``server`` in a fresh context (no cache, no service worker); every request
        recorded. The context is closed after the block."""
        context = self._browser.new_context(viewport=self.size, service_workers="block")
        try:
            page = context.new_page()
            assert self._trap is not None
            self._trap.hits.clear()
            server.served.clear()
            visit = Visit(page, server, self._trap)
            # context-wide: also sees the requests of web workers
            context.on("request", lambda request: visit._record(request.url))
            page.on(
                "response",
                lambda response: (
                    visit.failed.append(f"{response.status} {response.url}")
                    if response.status >= 400
                    else None
                ),
            )
            page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
            visit.opened_at = time.monotonic()
            page.goto(server.url(path))
            yield visit
        finally:
            context.close()

    @contextmanager
    def open_from_disk(self, index: Path) -> Iterator[Any]:
        """Open the page ``index`` as a ``file://`` URL (Chromium then lets it fetch none of its
        folder's files nor start a web worker), in a fresh context; after the block, no request may
        have left the disk (only ``file:``, ``data:`` and ``blob:`` URLs)."""
        context = self._browser.new_context(viewport=self.size, service_workers="block")
        requests: list[str] = []
        try:
            page = context.new_page()
            context.on("request", lambda request: requests.append(request.url))
            page.goto(index.as_uri())
            yield page
        finally:
            context.close()
        online = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
        assert not online, online


def variance(pixels: np.ndarray) -> float:
    """The variance of the pixels' grey levels (0 for a blank, one-colour image)."""
    return float(pixels.astype(np.float64).mean(axis=2).var())


def share_of_colour(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: float = 0.25) -> float:
    """The share of pixels whose colour is ``rgb`` up to lighting: the same chromaticity (RGB over
    its sum) within ``tolerance`` (sum of absolute differences), not near black."""
    values = pixels.astype(np.float64)
    total = values.sum(axis=2, keepdims=True)
    lit = total[..., 0] > 60
    chroma = values / np.maximum(total, 1.0)
    wanted = np.asarray(rgb, dtype=np.float64) / max(sum(rgb), 1)
    close = np.abs(chroma - wanted).sum(axis=2) < tolerance
    return float((close & lit).mean())
