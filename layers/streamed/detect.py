"""The sniffer of the streamed kind: a prepared store, by its folder or its ``store.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.core.kinds import Claim

from .source import STORE_FILE, is_store

if TYPE_CHECKING:
    from layers.io.probe import FileProbe


def sniff_header(probe: FileProbe) -> Claim | None:
    """A folder holding a ``store.json`` of format ``maquette-store``, or that file itself."""
    if not (probe.is_dir or probe.name == STORE_FILE):
        return None
    return Claim.FORMAT if is_store(probe.path) else None
