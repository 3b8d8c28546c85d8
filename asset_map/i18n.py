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
    # --- residents' talents ('Doe mee') -----------------------------------------------------
    "page.join": {"nl": "Doe mee", "en": "Join in"},
    "join.title": {
        "nl": "Wat kunt u? Zet uw talent op de kaart",
        "en": "What can you do? Put your talent on the map",
    },
    "join.intro": {
        "nl": "Iedereen kan iets. Koken, repareren, luisteren, een taal leren aan een buur. "
        "Vertel ons wat u kunt en wat u graag doet. Dan kunnen wij u in contact brengen met "
        "buren en plekken in de buurt die dat zoeken. U hebt geen account nodig.",
        "en": "Everyone can do something: cooking, repairs, listening, teaching a neighbour a "
        "language. Tell us what you can do and like doing, so we can put you in touch with "
        "neighbours and places nearby that look for it. You do not need an account.",
    },
    "join.nickname": {"nl": "Uw naam of bijnaam", "en": "Your name or nickname"},
    "join.nickname_help": {
        "nl": "Een voornaam is genoeg. Deze naam staat nooit op de openbare kaart.",
        "en": "A first name is enough. This name never appears on the public map.",
    },
    "join.categories": {"nl": "Wat kunt u?", "en": "What can you do?"},
    "join.other": {"nl": "Iets anders, of meer uitleg", "en": "Something else, or more detail"},
    "join.description": {
        "nl": "Vertel er iets over (mag leeg)",
        "en": "Tell us about it (optional)",
    },
    "join.wishes": {"nl": "Wat wilt u ermee doen?", "en": "What would you like to do with it?"},
    "wish.teach": {"nl": "Het aan anderen leren", "en": "Teach it to others"},
    "wish.help_neighbour": {"nl": "Een buur helpen", "en": "Help a neighbour"},
    "wish.join_activity": {"nl": "Meedoen met een activiteit", "en": "Join an activity"},
    "wish.start_something": {"nl": "Zelf iets beginnen", "en": "Start something myself"},
    "join.availability": {
        "nl": "Wanneer kunt u? (bijvoorbeeld: dinsdagochtend)",
        "en": "When are you available? (e.g. Tuesday mornings)",
    },
    "join.where": {"nl": "Waar woont u?", "en": "Where do you live?"},
    "join.where_help": {
        "nl": "Wij bewaren alleen uw buurt. Nooit uw adres.",
        "en": "We keep only your buurt. Never your address.",
    },
    "join.where_list": {"nl": "Kies uw buurt", "en": "Choose your buurt"},
    "join.where_map": {
        "nl": "Of klik op de kaart waar u woont",
        "en": "Or click on the map where you live",
    },
    "join.where_postcode": {"nl": "Of zoek met uw postcode", "en": "Or search with your postcode"},
    "join.postcode": {"nl": "Postcode", "en": "Postcode"},
    "join.house_number": {"nl": "Huisnummer", "en": "House number"},
    "join.postcode_search": {"nl": "Zoek mijn buurt", "en": "Find my buurt"},
    "join.found_buurt": {"nl": "Uw buurt: {buurt}", "en": "Your buurt: {buurt}"},
    "join.contact": {"nl": "E-mail of telefoon (mag leeg)", "en": "E-mail or phone (optional)"},
    "join.contact_help": {
        "nl": "Alleen de wijkmanager ziet dit, om u te bellen of te mailen over uw talent.",
        "en": "Only the neighbourhood manager sees this, to call or e-mail you about your talent.",
    },
    "join.privacy_title": {
        "nl": "Wat doen wij met uw gegevens?",
        "en": "What do we do with your details?",
    },
    "join.privacy": {
        "nl": "- **Wat bewaren wij?** Uw naam of bijnaam, uw talenten, wat u wilt doen, wanneer "
        "u kunt, uw buurt en (als u dat invult) uw e-mail of telefoon. Nooit uw adres.\n"
        "- **Wie ziet het?** De wijkmanager leest uw talent eerst. Op de openbare kaart staan "
        "alleen aantallen per buurt, zonder namen. Zijn het er minder dan 3, dan staat er "
        "'<3'. Uw e-mail of telefoon ziet alleen de wijkmanager.\n"
        "- **Hoe lang?** Hoogstens {months} maanden. Daarna wissen wij uw naam en contact.\n"
        "- **Stoppen?** U krijgt een code. Met die code wist u zelf uw gegevens, op deze "
        "pagina onder 'Gegevens wissen'. Dat kan altijd.",
        "en": "- **What do we keep?** Your name or nickname, your talents, what you would like "
        "to do, when you are available, your buurt and (if you fill it in) your e-mail or "
        "phone. Never your address.\n"
        "- **Who sees it?** The neighbourhood manager reads your talent first. The public map "
        "shows only numbers per buurt, without names; fewer than 3 shows as '<3'. Only the "
        "neighbourhood manager sees your e-mail or phone.\n"
        "- **How long?** At most {months} months. Then we erase your name and contact.\n"
        "- **Want to stop?** You get a code. With it you erase your details yourself, on this "
        "page under 'Erase my details'. Any time.",
    },
    "join.consent": {
        "nl": "Ik vind het goed dat mijn gegevens zo worden bewaard.",
        "en": "I agree that my details are kept this way.",
    },
    "join.website": {"nl": "Laat dit veld leeg", "en": "Leave this field empty"},
    "join.submit": {"nl": "Verstuur mijn talent", "en": "Send my talent"},
    "join.fix": {
        "nl": "Er is nog iets niet goed. Kijk bij de rode meldingen.",
        "en": "Something is not right yet. See the red messages.",
    },
    "join.thanks": {
        "nl": "Dank u wel! De wijkmanager bekijkt uw talent. Daarna telt het mee op de kaart.",
        "en": "Thank you! The neighbourhood manager will look at your talent. Then it counts on the map.",
    },
    "join.code": {
        "nl": "Uw code om uw gegevens later te wissen: **{code}**. Schrijf deze code op. "
        "Wij laten hem maar één keer zien.",
        "en": "Your code to erase your details later: **{code}**. Write it down. "
        "We show it only once.",
    },
    "join.too_fast": {
        "nl": "U hebt net al {n} keer iets verstuurd. Wacht een paar minuten en probeer het dan opnieuw.",
        "en": "You have just sent something {n} times. Please wait a few minutes and try again.",
    },
    "withdraw.title": {"nl": "Gegevens wissen", "en": "Erase my details"},
    "withdraw.intro": {
        "nl": "Vul de code in die u kreeg. Wij wissen dan uw naam, uw tekst, wanneer u kunt en "
        "uw contact. Alleen een anoniem aantal per buurt blijft over.",
        "en": "Enter the code you received. We then erase your name, your text, when you are "
        "available and your contact. Only an anonymous number per buurt remains.",
    },
    "withdraw.code": {"nl": "Uw code", "en": "Your code"},
    "withdraw.submit": {"nl": "Wis mijn gegevens", "en": "Erase my details"},
    "withdraw.done": {"nl": "Uw gegevens zijn gewist.", "en": "Your details have been erased."},
    "withdraw.unknown": {
        "nl": "Deze code kennen wij niet. Kijk of u hem goed hebt overgetypt.",
        "en": "We do not know this code. Check that you typed it correctly.",
    },
    # --- log-in and moderation ------------------------------------------------------------
    "page.login": {"nl": "Inloggen", "en": "Log in"},
    "page.logout": {"nl": "Uitloggen", "en": "Log out"},
    "page.moderate": {"nl": "Beoordelen", "en": "Review"},
    "login.title": {"nl": "Inloggen voor medewerkers", "en": "Log in for staff"},
    "login.intro": {
        "nl": "Alleen voor wijkmanagers, planners en beheerders. Bewoners hebben geen account nodig.",
        "en": "Only for neighbourhood managers, planners and administrators. Residents need no account.",
    },
    "login.username": {"nl": "Gebruikersnaam", "en": "User name"},
    "login.password": {"nl": "Wachtwoord", "en": "Password"},
    "login.submit": {"nl": "Inloggen", "en": "Log in"},
    "login.failed": {
        "nl": "Gebruikersnaam of wachtwoord klopt niet.",
        "en": "User name or password is wrong.",
    },
    "login.locked": {
        "nl": "Te vaak een verkeerd wachtwoord. Probeer het na {time} opnieuw.",
        "en": "Too many wrong passwords. Try again after {time}.",
    },
    "login.welcome": {
        "nl": "U bent ingelogd als {user} ({role}).",
        "en": "You are logged in as {user} ({role}).",
    },
    "login.expired": {
        "nl": "U was te lang niet actief. Log opnieuw in.",
        "en": "You were inactive for too long. Please log in again.",
    },
    "login.required": {
        "nl": "Deze pagina is alleen voor een {role}. Log eerst in.",
        "en": "This page is only for a {role}. Please log in first.",
    },
    "login.no_access": {
        "nl": "Uw account mag deze pagina niet zien.",
        "en": "Your account may not see this page.",
    },
    "role.wijkmanager": {"nl": "wijkmanager", "en": "neighbourhood manager"},
    "role.planner": {"nl": "planner", "en": "planner"},
    "role.admin": {"nl": "beheerder", "en": "administrator"},
    "moderate.title": {"nl": "Talenten beoordelen", "en": "Review talents"},
    "moderate.none": {
        "nl": "Er wachten geen talenten op beoordeling.",
        "en": "No talents are waiting for review.",
    },
    "moderate.pending": {
        "nl": "{n} talenten wachten op beoordeling",
        "en": "{n} talents waiting for review",
    },
    "moderate.approve": {"nl": "Goedkeuren", "en": "Approve"},
    "moderate.reject": {"nl": "Afwijzen", "en": "Reject"},
    "moderate.save": {"nl": "Wijziging opslaan", "en": "Save change"},
    "moderate.done": {"nl": "Opgeslagen.", "en": "Saved."},
    "moderate.all": {"nl": "Alle inzendingen", "en": "All submissions"},
    "moderate.contact": {"nl": "Contact", "en": "Contact"},
    "status.pending": {"nl": "wacht", "en": "pending"},
    "status.approved": {"nl": "goedgekeurd", "en": "approved"},
    "status.rejected": {"nl": "afgewezen", "en": "rejected"},
    "status.withdrawn": {"nl": "gewist", "en": "withdrawn"},
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
