"""The load options a feature layer keeps for the project file (:attr:`layers.core.base.Layer.options`)."""

from __future__ import annotations

from typing import Any

from layers.core import crs as crs_util


def saved_options(**options: Any) -> dict[str, Any]:
    """The load options worth saving: the non-empty ones but ``style`` (saved apart), JSON-ready
    (a CRS given as an object is saved as its label, e.g. ``"EPSG:2154"``)."""
    out = {k: v for k, v in options.items() if v is not None and k != "style"}
    if "crs" in out and not isinstance(out["crs"], (str, int)):
        out["crs"] = crs_util.label(crs_util.parse_crs(out["crs"]))
    return out
