"""A small store: 6 × 4 tiles of 500 m, 300 footprints each, two levels."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.layers.streamed.store_writer import synthetic_footprints, write_store


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stores") / "region"
    return write_store(folder, synthetic_footprints(6, 4, 300))
