"""Reading a file as a layer: its kind (detected or given), then the class of that kind that reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layers.core.base import Layer
from layers.core.detect import detect_kind
from layers.core.errors import InputError
from layers.core.kinds import kind
from layers.core.safety import check_local


def open_layer(path: str | Path, kind_name: str | None = None, **options: Any) -> Layer[Any]:
    """Read ``path`` as a layer of ``kind_name`` (detected from the file when ``None``).

    ``options`` go to the class's ``load`` (``name``, ``crs``, ``style``, kind options such as
    ``height_field`` or ``locations``). Raises :class:`InputError` for bad input.
    """
    check_local(path)  # never a web address or a GDAL virtual path: Maquette works offline
    path = Path(path)
    if kind_name is None:
        kind_name = detect_kind(path)
    try:
        chosen = kind(kind_name)
    except KeyError as exc:
        raise InputError(path, str(exc.args[0])) from None
    return chosen.class_for(path).load(path, **options)
