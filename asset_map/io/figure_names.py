"""Recognise a key figure by its name, in every style CBS and PDOK publish it.

One figure goes by many names. The same number of inhabitants is ``AantalInwoners_5`` in
CBS StatLine/OData (the suffix differs per table and year), ``aantal_inwoners`` in PDOK's
GeoPackages and OGC API answers, ``aantalInwoners`` in PDOK's WFS and newer vintages,
``AANT_INW`` in the old Shapefiles and ``a_inw`` in the Kerncijfers spreadsheets.
:func:`figure_key` reduces each to one key (lower case, without ``_``, ``-``, spaces and a
numeric suffix such as ``_5`` or ``_122``) and :data:`FIGURE_NAMES` says what that key holds.
The area readers (:mod:`asset_map.io.areas`) and the figures join
(:mod:`asset_map.io.figures`) both use :func:`figure_columns`, so a name that works in one
works in the other.

Where the names come from (all seen in public projects' code and data):

- CBS OData 84583NED (2019) and 85984NED (2024) ``DataProperties``: ``AantalInwoners_5``,
  ``k_65JaarOfOuder_12``, ``HuishoudensTotaal_28``/``_29``, ``Eenpersoonshuishoudens_29``/
  ``_30``, ``OppervlakteLand_111``/``_123`` (niquedegraaff/Wikipedia-Generator-CBS-
  Kerncijfers-Wijken-en-Buurten, ``2024/cbs_data/DataProperties.json``).
- PDOK snake_case: ``aantal_inwoners``, ``percentage_personen_65_jaar_en_ouder``,
  ``aantal_huishoudens``, ``percentage_eenpersoonshuishoudens``, ``oppervlakte_land_in_ha``
  (Tauvic/BuurtKaart ``BuurtKaart/CBS_buurten.gpkg``, the 2021 wijk- en buurtkaart).
- PDOK camelCase (WFS ``service.pdok.nl/cbs/wijkenbuurten/2022``/``2023``): ``aantalInwoners``,
  ``percentagePersonen65JaarEnOuder``, ``aantalHuishoudens``,
  ``percentageEenpersoonshuishoudens``, ``oppervlakteLandInHa``.
- Old Shapefiles: ``AANT_INW``, ``P_65_EO_JR``, ``AANT_HH``, ``P_EENP_HH``, ``OPP_LAND``.
- Kerncijfers spreadsheets (kwb-20xx): ``a_inw``, ``a_65_oo``, ``a_hh``, ``a_1p_hh``,
  ``a_lan_ha``.

Counts of people aged 65+ and of single-person households are not figures of the model:
:func:`asset_map.io.figures.derive_percentages` turns them into the percentages the model
keeps (``pct_65_plus``, ``pct_single_households``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from asset_map.i18n import Msg

COUNT_65 = "count_65_plus"
COUNT_SINGLE = "count_single_households"

#: Normalised name (see :func:`figure_key`) -> what the column holds: a key of
#: ``model.KEY_FIGURES``, or :data:`COUNT_65` / :data:`COUNT_SINGLE`.
FIGURE_NAMES: dict[str, str] = {
    # inhabitants
    "inhabitants": "inhabitants",
    "inhabitant": "inhabitants",  # our name cut to 10 characters (Shapefile)
    "inwoners": "inhabitants",
    "aantalinwoners": "inhabitants",  # AantalInwoners_5, aantal_inwoners, aantalInwoners
    "aantinw": "inhabitants",  # AANT_INW
    "ainw": "inhabitants",  # a_inw
    # households
    "households": "households",
    "aantalhuishoudens": "households",  # aantal_huishoudens, aantalHuishoudens
    "huishoudenstotaal": "households",  # HuishoudensTotaal_28 (2019), _29 (2024)
    "aanthh": "households",  # AANT_HH
    "ahh": "households",  # a_hh
    # land area in hectares
    "landareaha": "land_area_ha",
    "landarea": "land_area_ha",  # land_area_ (Shapefile)
    "oppervlaktelandinha": "land_area_ha",  # oppervlakte_land_in_ha, oppervlakteLandInHa
    "oppervlakteland": "land_area_ha",  # OppervlakteLand_111 (2019), _123 (2024)
    "oppland": "land_area_ha",  # OPP_LAND
    "alanha": "land_area_ha",  # a_lan_ha
    # residents aged 65 and over: a percentage or a count
    "pct65plus": "pct_65_plus",
    "pct65plu": "pct_65_plus",  # pct_65_plu (Shapefile)
    "percentagepersonen65jaarenouder": "pct_65_plus",
    "p65eojr": "pct_65_plus",  # P_65_EO_JR
    "k65jaarofouder": COUNT_65,  # k_65JaarOfOuder_12
    "a65oo": COUNT_65,  # a_65_oo
    # single-person households: a percentage or a count
    "pctsinglehouseholds": "pct_single_households",
    "pctsingle": "pct_single_households",  # pct_single (Shapefile)
    "percentageeenpersoonshuishoudens": "pct_single_households",
    "peenphh": "pct_single_households",  # P_EENP_HH
    "eenpersoonshuishoudens": COUNT_SINGLE,  # Eenpersoonshuishoudens_29 (2019), _30 (2024)
    "a1phh": COUNT_SINGLE,  # a_1p_hh
}

_SUFFIX = re.compile(r"_\d+$")
_SEPARATORS = re.compile(r"[\s_\-]+")


def figure_key(name: object) -> str:
    """Return a column name as figures are recognised: no case, separators or suffix.

    >>> figure_key("AantalInwoners_5"), figure_key("aantal_inwoners"), figure_key("AANT_INW")
    ('aantalinwoners', 'aantalinwoners', 'aantinw')
    >>> figure_key("percentagePersonen65JaarEnOuder") == figure_key(
    ...     "percentage_personen_65_jaar_en_ouder")
    True
    """
    text = _SUFFIX.sub("", str(name).strip())
    return _SEPARATORS.sub("", text).lower()


def figure_columns(columns: Iterable[object]) -> tuple[dict[str, str], list[str]]:
    """Return what each usable column holds -> the file's column, and notes.

    Parameters
    ----------
    columns : iterable
        The file's column names, in the file's order.

    Returns
    -------
    dict, list of str
        A key figure or a count (:data:`COUNT_65`, :data:`COUNT_SINGLE`) -> the column that
        holds it; the first column wins, and a note names a second column with the same
        figure.
    """
    found: dict[str, str] = {}
    notes: list[str] = []
    for column in map(str, columns):
        target = FIGURE_NAMES.get(figure_key(column))
        if target is None:
            continue
        if target in found:
            notes.append(
                Msg("note.io.figure_twice", first=found[target], column=column, target=target)
            )
            continue
        found[target] = column
    return found, notes
