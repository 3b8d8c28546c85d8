"""Every text a user reads, in one place: Dutch (default, B1 level) and English.

Write Dutch in plain language: short sentences, everyday words, say what happens.
Asset-type and key-figure labels live with their data (``asset_types.toml``, ``model.py``).
"""

from __future__ import annotations

from asset_map.model import Lang

DEFAULT_LANG: Lang = "nl"

STRINGS: dict[str, dict[Lang, str]] = {
    # --- app frame -----------------------------------------------------------------------
    "app.title": {"nl": "Kaart van de buurt", "en": "Neighbourhood asset map"},
    "app.language": {"nl": "Taal", "en": "Language"},
    "page.explore": {"nl": "Kaart", "en": "Map"},
    "page.about": {"nl": "Over deze kaart", "en": "About this map"},
    "demo.banner": {
        "nl": "Dit is een voorbeeld. Lindeveen is een verzonnen gemeente. "
        "Alle plekken, cijfers en namen zijn verzonnen.",
        "en": "This is an example. Lindeveen is a made-up municipality. "
        "All places, figures and names are made up.",
    },
    # --- explore screen ------------------------------------------------------------------
    "explore.intro": {
        "nl": "Op deze kaart ziet u wat er al is in de buurt: plekken om elkaar te ontmoeten, "
        "verenigingen, scholen, groen, winkels en de talenten van bewoners. "
        "Kies links wat u wilt zien. Klik op een punt voor meer informatie.",
        "en": "This map shows what the neighbourhood already has: places to meet, associations, "
        "schools, green space, shops and residents' talents. Choose on the left what you want "
        "to see. Click a point for more information.",
    },
    "filter.header": {"nl": "Wat wilt u zien?", "en": "What do you want to see?"},
    "filter.wijk": {"nl": "Wijk", "en": "District (wijk)"},
    "filter.buurt": {"nl": "Buurt", "en": "Neighbourhood (buurt)"},
    "filter.types": {"nl": "Soort plek", "en": "Type of place"},
    "filter.all": {"nl": "Alles", "en": "All"},
    "filter.placeholder": {"nl": "Kies een of meer", "en": "Choose one or more"},
    "map.settings": {"nl": "Kaart", "en": "Map"},
    "map.choropleth": {"nl": "Kleur de buurten naar", "en": "Colour the buurten by"},
    "map.choropleth_none": {"nl": "Geen kleur", "en": "No colour"},
    "map.basemap": {"nl": "Achtergrondkaart", "en": "Base map"},
    "map.talents": {"nl": "Talenten per buurt tonen", "en": "Show talents per buurt"},
    "counts.header": {"nl": "Wat staat er op de kaart?", "en": "What is on the map?"},
    "counts.total": {"nl": "Plekken", "en": "Places"},
    "counts.meeting": {"nl": "Ontmoetingsplekken", "en": "Meeting places"},
    "counts.inhabitants": {"nl": "Inwoners", "en": "Inhabitants"},
    "counts.talents": {"nl": "Talenten", "en": "Talents"},
    "counts.type": {"nl": "Soort", "en": "Type"},
    "counts.number": {"nl": "Aantal", "en": "Number"},
    "counts.none": {
        "nl": "Er zijn geen plekken die passen bij uw keuze. Kies minder filters.",
        "en": "No places match your choice. Choose fewer filters.",
    },
    "counts.outside": {
        "nl": "{n} plekken liggen buiten de buurten van deze kaart.",
        "en": "{n} places lie outside the buurten of this map.",
    },
    # --- map legend and popups -----------------------------------------------------------
    "legend.title": {"nl": "Legenda", "en": "Legend"},
    "legend.planned": {"nl": "gepland", "en": "planned"},
    "legend.no_data": {"nl": "geen gegevens", "en": "no data"},
    "legend.wijk": {"nl": "Grens van een wijk", "en": "District (wijk) boundary"},
    "legend.buurt": {"nl": "Grens van een buurt", "en": "Neighbourhood (buurt) boundary"},
    "layer.wijken": {"nl": "Wijken", "en": "Districts (wijken)"},
    "layer.buurten": {"nl": "Buurten", "en": "Neighbourhoods (buurten)"},
    "layer.talents": {
        "nl": "Talenten van bewoners (per buurt)",
        "en": "Residents' talents (per buurt)",
    },
    "popup.address": {"nl": "Adres", "en": "Address"},
    "popup.tags": {"nl": "Kenmerken", "en": "Tags"},
    "popup.source": {"nl": "Bron", "en": "Source"},
    "popup.planned": {"nl": "Gepland, nog niet open", "en": "Planned, not open yet"},
    "popup.capacity": {"nl": "Plaatsen", "en": "Places"},
    "popup.talents_in": {"nl": "Talenten in {buurt}", "en": "Talents in {buurt}"},
    "popup.talents_note": {
        "nl": "Minder dan 3 wordt getoond als '<3', zodat niemand te herkennen is.",
        "en": "Fewer than 3 is shown as '<3', so nobody can be recognised.",
    },
    "basemap.osm": {"nl": "OpenStreetMap", "en": "OpenStreetMap"},
    "basemap.pdok": {"nl": "PDOK Achtergrondkaart (Kadaster)", "en": "PDOK base map (Kadaster)"},
    "basemap.none": {"nl": "Geen (werkt zonder internet)", "en": "None (works offline)"},
    # --- about ---------------------------------------------------------------------------
    "about.body": {
        "nl": "Deze kaart laat zien wat een buurt al heeft. Zo kunnen bewoners, "
        "wijkmanagers en welzijnswerkers zien waar mensen elkaar kunnen ontmoeten, "
        "en waar nog een plek nodig is.\n\n"
        "**Privacy.** De kaart toont nooit een huisadres of contactgegevens van bewoners. "
        "Talenten van bewoners tellen we per buurt. "
        "Zijn het er minder dan 3, dan staat er '<3'.\n\n"
        "**De kaart laadt niets van andere websites**, behalve de achtergrondkaart die u kiest. "
        "Kiest u 'Geen', dan werkt de kaart ook zonder internet.",
        "en": "This map shows what a neighbourhood already has, so residents, neighbourhood "
        "managers and social workers can see where people can meet, and where a place is "
        "still needed.\n\n"
        "**Privacy.** The map never shows a resident's home address or contact details. "
        "Residents' talents are counted per buurt; fewer than 3 is shown as '<3'.\n\n"
        "**The map loads nothing from other websites** except the base map you choose. "
        "Choose 'None' and the map works offline.",
    },
    "about.sources": {"nl": "Bronnen", "en": "Sources"},
    "about.source_name": {"nl": "Bron", "en": "Source"},
    "about.licence": {"nl": "Licentie", "en": "Licence"},
    "about.year": {"nl": "Jaar", "en": "Year"},
    "about.counts": {"nl": "Wat is er geladen?", "en": "What is loaded?"},
    "notes.header": {
        "nl": "{n} meldingen bij het laden van de gegevens",
        "en": "{n} notes from loading the data",
    },
    "cli.total": {"nl": "Totaal", "en": "Total"},
    "error.load": {
        "nl": "De gegevens konden niet worden geladen. Wat er mis is:",
        "en": "The data could not be loaded. What is wrong:",
    },
}


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Raises
    ------
    KeyError
        When ``key`` is not in ``STRINGS``: a missing text is a bug, not a blank label.
    """
    text = STRINGS[key][lang]
    return text.format(**values) if values else text
