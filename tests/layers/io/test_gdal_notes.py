"""What GDAL (and libtiff under it) warns about while a raster is read becomes the layer's words,
never lines on stderr."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from layers.core.errors import CRSMissing
from layers.core.reading import open_layer
from layers.io.gdal_notes import raster_notes

X0, Y0 = 351_500.0, 6_789_000.0
#: GeoTIFF tags: GeoKeyDirectory, GeoDoubleParams, GeoASCIIParams
GEO_TAGS = (34735, 34736, 34737)


def damaged_geotiff(folder: Path) -> Path:
    """A Lambert-93 GeoTIFF of noise levels whose georeferencing tags point past the end of the file
    (as a copy cut short in its tags would)."""
    import rasterio
    from rasterio.transform import from_origin

    path = folder / "lden.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=8,
        height=8,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0, Y0 + 80, 10, 10),
    ) as ds:
        ds.write(np.full((1, 8, 8), 62.0, np.float32))
    data = bytearray(path.read_bytes())
    assert data[:4] == b"II*\x00"
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    for k in range(count):
        entry = ifd + 2 + 12 * k
        tag, _type, number = struct.unpack_from("<HHI", data, entry)
        if tag in GEO_TAGS and number > 2:  # stored at an offset: send it past the end
            struct.pack_into("<I", data, entry + 8, len(data) + 4096)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_geotiff_says_why_its_crs_is_missing(tmp_path, capsys):
    from desktop.cli import main

    path = damaged_geotiff(tmp_path)
    with pytest.raises(CRSMissing) as info:
        open_layer(path)
    assert info.value.one_line().endswith("; its georeferencing tags could not be read: the file is damaged)")
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("maquette: error: ") and len(err.splitlines()) == 1  # nothing from GDAL


def test_a_damaged_geotiff_opened_with_a_crs_says_it_is_damaged(tmp_path, capsys):
    from desktop.cli import main

    path = damaged_geotiff(tmp_path)
    layer = open_layer(path, crs="EPSG:2154")
    assert layer.warnings == [
        "lden.tif: some of its tags could not be read (GeoKeyDirectory, GeoASCIIParams): the file is "
        "damaged, what they held (georeferencing, nodata...) is missing; copy or export it again"
    ]
    code = main(
        ["render", str(path), "--crs", "EPSG:2154", "-o", str(tmp_path / "x.png"), "--size", "160x120"]
    )
    assert code == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(
        "maquette: warning: lden.tif: some of its tags could not be read"
    )


def test_meaningless_gdal_words_are_silenced(sample_city):
    path = Path("carte.tif")
    unknown = (
        "CPLE_AppDefined in carte.tif: TIFFReadDirectory: Unknown field with tag 42112 (0xa480) encountered"
    )
    assert raster_notes(path, [unknown]) == []
    set_up = (
        "CPLE_AppDefined in Unable to find driver PLSCENES to unload from GDAL_SKIP environment variable."
    )
    assert raster_notes(path, [set_up]) == []
    assert raster_notes(path, ["CPLE_AppDefined in carte.tif: something else"]) == [
        "carte.tif: read with a warning from GDAL: something else"
    ]
    # the sample city's rasters say nothing (GDAL's words about its own set-up are not theirs)
    for name in ("noise_lden.tif", "surface_temperature.tif"):
        assert open_layer(sample_city / name).warnings == []
