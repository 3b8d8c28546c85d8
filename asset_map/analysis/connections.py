"""Figures on connections made between residents' talents and places, per buurt over time."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from asset_map._errors import SchemaError, require_columns
from asset_map.i18n import Msg

CONNECTION_FIGURE_COLUMNS = ["period", "buurt_code", "buurt_name", "count"]
#: Connections without a buurt (should not happen) are counted under this code.
NO_BUURT = ""


def connections_per_buurt(
    connections: pd.DataFrame, areas: gpd.GeoDataFrame, *, freq: str = "M"
) -> pd.DataFrame:
    """Count the connections made per buurt and period, in long form for a line chart.

    Parameters
    ----------
    connections : DataFrame
        ``model.CONNECTION_COLUMNS``; ``made_at`` is a date or an ISO date-time text, and
        ``buurt_code`` the talent's buurt when the connection was made.
    areas : GeoDataFrame
        For the buurt names (``code``, ``name``, ``level``).
    freq : str
        A pandas period frequency: ``"M"`` (month, the default), ``"W"`` (week), ``"Q"``
        or ``"Y"``.

    Returns
    -------
    DataFrame
        ``period`` (the first day of the period, a ``datetime.date``), ``buurt_code``,
        ``buurt_name`` and ``count``. Every period from the first to the last connection is
        there for every buurt that has a connection, with 0 where none was made, so a chart
        has no holes. Empty when there are no connections. A buurt code not in ``areas``
        keeps the code as its name.

    Raises
    ------
    SchemaError
        When ``made_at`` or ``buurt_code`` is missing, or a ``made_at`` is not a date.
    """
    require_columns(connections.columns, ("made_at", "buurt_code"), Msg("err.what.connections"))
    if connections.empty:
        return pd.DataFrame(columns=CONNECTION_FIGURE_COLUMNS)
    made = pd.to_datetime(connections["made_at"], errors="coerce", utc=True, format="mixed")
    bad = connections.loc[made.isna(), "made_at"]
    if len(bad):
        raise SchemaError(Msg("err.analysis.connection_dates", n=len(bad), example=bad.iloc[0]))
    periods = made.dt.tz_localize(None).dt.to_period(freq)
    codes = connections["buurt_code"].where(connections["buurt_code"].notna(), NO_BUURT)
    counts = (
        pd.DataFrame({"period": periods.to_numpy(), "buurt_code": codes.astype(str).to_numpy()})
        .groupby(["period", "buurt_code"])
        .size()
    )
    every = pd.period_range(periods.min(), periods.max(), freq=periods.dt.freq)
    buurten = sorted(counts.index.get_level_values("buurt_code").unique())
    grid = pd.MultiIndex.from_product([every, buurten], names=["period", "buurt_code"])
    out = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    names = areas.loc[areas["level"] == "buurt"].drop_duplicates("code").set_index("code")["name"]
    out["buurt_name"] = out["buurt_code"].map(names).fillna(out["buurt_code"]).astype(str)
    out["period"] = [p.start_time.date() for p in out["period"]]
    out["count"] = out["count"].astype(int)
    return out[CONNECTION_FIGURE_COLUMNS]
