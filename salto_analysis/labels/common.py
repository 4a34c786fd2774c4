"""Report text: Text shared by every page (banner, symbols) and the change sentences."""

TEXT: dict[str, dict[str, str]] = {
    "common.synthetic_banner": {
        "nb": "SYNTETISKE DATA – tallene er laget for utprøving og beskriver ingen virkelige personer.",
        "en": "SYNTHETIC DATA – the figures are made up for testing and describe no real persons.",
    },
    "common.suppressed_symbol_note": {
        "nb": "«:» betyr at tallet er skjult for å verne personvernet (færre enn {min_count}) "
              "eller fordi det er for usikkert til å vises.",
        "en": "“:” means the figure is withheld to protect privacy (fewer than {min_count}) "
              "or because it is too uncertain to show.",
    },
    "common.withheld_reason": {
        "nb": "for få eller for usikkert til å vises",
        "en": "too few or too uncertain to show",
    },
    # change sentences (salto_analysis.sentences.change_sentence)
    "change.subject": {"nb": "Tallet", "en": "The figure"},
    "change.up": {"nb": "{subject} gikk opp {change} ({ci_label} {low} til {high})",
                  "en": "{subject} went up {change} ({ci_label} {low} to {high})"},
    "change.down": {"nb": "{subject} gikk ned {change} ({ci_label} {low} til {high})",
                    "en": "{subject} went down {change} ({ci_label} {low} to {high})"},
    "change.chance": {
        "nb": "Endringen ({change}) er innenfor det som kan skyldes tilfeldig variasjon ({ci_label} {low} til {high})",
        "en": "The change ({change}) is within what chance variation could produce ({ci_label} {low} to {high})",
    },
    "change.chance_adjusted": {
        "nb": "Endringen ({change}; {ci_label} {low} til {high}) er innenfor det som kan skyldes tilfeldig "
              "variasjon når vi tar hensyn til at mange grupper er sammenlignet",
        "en": "The change ({change}; {ci_label} {low} to {high}) is within what chance variation could produce "
              "once the many groups compared are taken into account",
    },
    "change.suppressed": {
        "nb": "Endringen kan ikke vises (:), fordi tallene er for små eller for usikre",
        "en": "The change cannot be shown (:) because the figures are too small or too uncertain",
    },
    "change.uncertain_note": {"nb": "Tallene er usikre.", "en": "The figures are uncertain."},
    "change.ci_label": {"nb": "{level} % KI", "en": "{level}% CI"},
    "change.points": {"nb": "prosentpoeng", "en": "percentage points"},
}
