"""Reading through GDAL: a layer in batches (bounded memory), and its messages without folders.

:func:`read_in_batches` reads a layer as Arrow record batches, so that GDAL never holds the
whole file beside the frame being built, and stops once a limit is passed.
:func:`gdal_reason` gives GDAL's explanation of an error with the folders left out: only
the file's own name, never the server's folders.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

#: Features per batch of a streamed read.
BATCH_ROWS = 65_536


def read_in_batches(
    source: str, layer: str | None = None, *, max_features: int | None = None
) -> gpd.GeoDataFrame:
    """Read a layer through GDAL in batches of :data:`BATCH_ROWS` features (Arrow).

    The same frame as ``pyogrio.read_dataframe`` gives, but GDAL never holds more than one
    batch beside the frame being built, and stops after ``max_features``. Text columns are
    pandas ``str``.
    """
    frames: list[pd.DataFrame] = []
    geometries: list[np.ndarray] = []
    read = 0
    with pyogrio.open_arrow(source, layer=layer, batch_size=BATCH_ROWS, use_pyarrow=True) as (
        meta,
        reader,
    ):
        name = meta["geometry_name"] or "wkb_geometry"
        for batch in reader:
            geometries.append(shapely.from_wkb(batch.column(name).to_numpy(zero_copy_only=False)))
            frames.append(batch.drop_columns([name]).to_pandas())
            read += batch.num_rows
            if max_features is not None and read > max_features:
                break  # enough to know the file is over the limit: stop reading
    attributes = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    geometry = np.concatenate(geometries) if geometries else np.empty(0, dtype=object)
    return gpd.GeoDataFrame(attributes, geometry=geometry, crs=meta["crs"])


def gdal_reason(error: BaseException, path: Path) -> str:
    """Return GDAL's explanation of an error with every folder left out: only file names.

    GDAL names the file it could not read with its whole path (``/tmp/asset_map_upload_x/
    wijken.gpkg``, ``/vsizip//tmp/.../a.zip/a.shp``): on a server that shows its folders to
    every user. The file's own name is what the user knows it by.
    """
    return without_folders(str(error), path)


def without_folders(text: str, path: Path | None = None) -> str:
    """Return ``text`` with every absolute path in it reduced to its last part (the file)."""
    if path is not None:
        for spelled in {str(path.resolve()), str(path), str(path.parent.resolve())}:
            text = text.replace(spelled + "/", "").replace(spelled, path.name)
    return _ABSOLUTE.sub(lambda m: m.group("name"), text.replace("/vsizip/", ""))


_ABSOLUTE = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\\/\s'\"`:]+)+[\\/](?P<name>[^\\/\s'\"`:]+)")
