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
    # --- gap analysis ('Kansen') ---------------------------------------------------------
    "page.gaps": {"nl": "Kansen", "en": "Opportunities"},
    "gaps.title": {
        "nl": "Waar is een nieuwe ontmoetingsplek nodig?",
        "en": "Where is a new meeting place needed?",
    },
    "gaps.intro": {
        "nl": "Hier ziet u waar bewoners verder dan {minutes} minuten lopen van een "
        "ontmoetingsplek wonen. De kaart telt vooral ouderen (65+) en mensen die alleen wonen: "
        "zij hebben de meeste kans om eenzaam te worden. U kunt ook plekken laten zoeken "
        "waar een nieuwe huiskamer de meeste mensen helpt.",
        "en": "This shows where residents live more than {minutes} minutes' walk from a "
        "meeting place. The map counts older residents (65+) and people who live alone most: "
        "they are most at risk of loneliness. You can also let the app find the places where "
        "a new living room would help the most people.",
    },
    "gaps.settings": {"nl": "Instellingen", "en": "Settings"},
    "gaps.walk_min": {"nl": "Loopafstand (minuten)", "en": "Walking distance (minutes)"},
    "gaps.speed": {"nl": "Loopsnelheid (km per uur)", "en": "Walking speed (km per hour)"},
    "gaps.detour": {
        "nl": "Omweg-factor (straten lopen niet recht)",
        "en": "Detour factor (streets are not straight)",
    },
    "gaps.cell_m": {"nl": "Grootte van de vakjes (meter)", "en": "Grid cell size (metres)"},
    "gaps.need": {"nl": "Wie tellen het zwaarst?", "en": "Who counts most?"},
    "gaps.need.mix": {
        "nl": "Mix: vooral 65+ en alleenwonenden",
        "en": "Mix: mostly 65+ and people living alone",
    },
    "gaps.need.65plus": {"nl": "Alleen 65 jaar en ouder", "en": "Only aged 65 and over"},
    "gaps.need.single": {
        "nl": "Alleen eenpersoonshuishoudens",
        "en": "Only single-person households",
    },
    "gaps.need.all": {"nl": "Alle bewoners even zwaar", "en": "All residents equally"},
    "gaps.meeting_types": {
        "nl": "Wat telt als ontmoetingsplek?",
        "en": "What counts as a meeting place?",
    },
    "gaps.what_if": {
        "nl": "Tel de geplande huiskamers mee (wat als ze open gaan?)",
        "en": "Count the planned living rooms (what if they open?)",
    },
    "gaps.new_sites": {
        "nl": "Hoeveel nieuwe plekken zoeken?",
        "en": "How many new places to find?",
    },
    "gaps.candidates": {"nl": "Waar mag een nieuwe plek komen?", "en": "Where may a new place go?"},
    "gaps.candidates.planned": {"nl": "Geplande huiskamers", "en": "Planned living rooms"},
    "gaps.candidates.hosts": {
        "nl": "Bestaande gebouwen (school, kerk, bibliotheek)",
        "en": "Existing buildings (school, church, library)",
    },
    "gaps.candidates.cells": {"nl": "Overal in de buurt", "en": "Anywhere in the buurt"},
    "gaps.kind.planned": {"nl": "Geplande huiskamer", "en": "Planned living room"},
    "gaps.kind.host": {"nl": "Bestaand gebouw", "en": "Existing building"},
    "gaps.kind.cell": {"nl": "Plek in de buurt", "en": "Spot in the buurt"},
    "gaps.solver": {"nl": "Rekenmethode", "en": "Method"},
    "gaps.solver.greedy": {
        "nl": "Snel (bijna de beste keuze)",
        "en": "Fast (nearly the best choice)",
    },
    "gaps.solver.exact": {
        "nl": "Precies (de beste keuze, duurt langer)",
        "en": "Exact (the best choice, takes longer)",
    },
    "gaps.network": {
        "nl": "Stratenkaart om te lopen (optioneel: .osm, .osm.pbf of .graphml)",
        "en": "Street network for walking (optional: .osm, .osm.pbf or .graphml)",
    },
    "gaps.run": {"nl": "Bereken", "en": "Calculate"},
    "gaps.running": {"nl": "Bezig met rekenen ...", "en": "Calculating ..."},
    "gaps.done": {"nl": "Klaar in {seconds} seconden", "en": "Done in {seconds} seconds"},
    "gaps.share_before": {"nl": "Nu binnen loopafstand", "en": "Within walking distance now"},
    "gaps.share_after": {"nl": "Met de nieuwe plekken", "en": "With the new places"},
    "gaps.residents_total": {"nl": "Bewoners (gewogen)", "en": "Residents (weighted)"},
    "gaps.show_after": {
        "nl": "Toon de kaart met de nieuwe plekken",
        "en": "Show the map with the new places",
    },
    "gaps.layer_coverage": {"nl": "Binnen loopafstand", "en": "Within walking distance"},
    "gaps.layer_uncovered": {
        "nl": "Bewoners verder dan loopafstand",
        "en": "Residents beyond walking distance",
    },
    "gaps.layer_sites": {"nl": "Voorstel nieuwe plek", "en": "Suggested new place"},
    "gaps.cells_tip": {
        "nl": "Hier wonen ongeveer {residents} mensen verder dan loopafstand "
        "({lo}–{hi} gewogen per vakje).",
        "en": "About {residents} people here live beyond walking distance "
        "({lo}–{hi} weighted per cell).",
    },
    "gaps.site_title": {"nl": "Voorstel", "en": "Suggestion"},
    "gaps.site_popup": {
        "nl": "Komen binnen loopafstand: {residents} bewoners, van wie {old} van 65+ "
        "({weighted} gewogen). Nu is de dichtstbijzijnde ontmoetingsplek {m} meter lopen.",
        "en": "Newly within walking distance: {residents} residents, {old} of them 65+ "
        "({weighted} weighted). The nearest meeting place is now {m} metres' walk.",
    },
    "gaps.site_buurten": {"nl": "Buurten die er baat bij hebben", "en": "Buurten that gain"},
    "gaps.sites_header": {"nl": "Voorstellen voor nieuwe plekken", "en": "Suggested new places"},
    "gaps.no_sites": {
        "nl": "Kies hierboven hoeveel nieuwe plekken u zoekt.",
        "en": "Choose above how many new places to look for.",
    },
    "gaps.buurten_header": {"nl": "Per buurt", "en": "Per buurt"},
    "gaps.download": {"nl": "Download", "en": "Download"},
    "gaps.need.custom": {"nl": "Eigen verdeling (hieronder)", "en": "Your own weights (below)"},
    "gaps.custom_weights": {
        "nl": "Eigen verdeling: hoe zwaar telt elke groep? (kies 'Eigen verdeling' hierboven)",
        "en": "Your own weights: how much does each group count? (choose 'Your own weights')",
    },
    "gaps.w_all": {"nl": "Alle bewoners", "en": "All residents"},
    "gaps.w_65": {"nl": "65 jaar en ouder", "en": "Aged 65 and over"},
    "gaps.w_single": {"nl": "Alleenwonenden", "en": "Living alone"},
    "gaps.population_grid": {
        "nl": "CBS-vierkanten met inwoners (optioneel: .gpkg, .geojson of .csv)",
        "en": "CBS population squares (optional: .gpkg, .geojson or .csv)",
    },
    "gaps.what_if_change": {
        "nl": "Zonder de geplande huiskamers: {without} binnen loopafstand. "
        "Met de geplande huiskamers: {with_}. Dat is {gain} meer.",
        "en": "Without the planned living rooms: {without} within walking distance. "
        "With them: {with_}. That is {gain} more.",
    },
    "gaps.download_cells": {"nl": "Download vakjes", "en": "Download cells"},
    "col.access": {
        "nl": "Plaatsen per 1.000 bewoners (gewogen, 2SFCA)",
        "en": "Places per 1,000 residents (weighted, 2SFCA)",
    },
    "gaps.warnings": {"nl": "Let op", "en": "Please note"},
    "col.rank": {"nl": "Nr.", "en": "No."},
    "col.name": {"nl": "Plek", "en": "Place"},
    "col.kind": {"nl": "Soort", "en": "Kind"},
    "col.newly_residents": {
        "nl": "Nieuw binnen loopafstand",
        "en": "Newly within walking distance",
    },
    "col.newly_65": {"nl": "Van wie 65+", "en": "Of whom 65+"},
    "col.newly_covered": {"nl": "Gewogen", "en": "Weighted"},
    "col.nearest_meeting_m": {
        "nl": "Nu lopen naar dichtstbijzijnde (m)",
        "en": "Walk to nearest now (m)",
    },
    "col.buurten": {"nl": "Buurten", "en": "Buurten"},
    "col.buurt": {"nl": "Buurt", "en": "Buurt"},
    "col.residents": {"nl": "Bewoners", "en": "Residents"},
    "col.share_covered": {
        "nl": "Nu binnen loopafstand (%)",
        "en": "Within walking distance now (%)",
    },
    "col.share_covered_after": {"nl": "Daarna (%)", "en": "Afterwards (%)"},
    "col.mean_walk_m": {"nl": "Gemiddeld lopen (m)", "en": "Average walk (m)"},
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
