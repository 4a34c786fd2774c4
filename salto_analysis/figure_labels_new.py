"""Report text of the accessible figures (alt text, the data table beside each figure, legends).

Same shape as :data:`salto_analysis.labels.TEXT` (``{"key": {"nb": ..., "en": ...}}``) and merged
into it at the end of ``labels.py``.
"""

TEXT = {
    # kinds of chart, the first words of every alt text
    "plots.alt.kind.line": {"nb": "Linjediagram", "en": "Line chart"},
    "plots.alt.kind.bar": {"nb": "Stolpediagram", "en": "Bar chart"},
    "plots.alt.kind.point": {"nb": "Punktdiagram", "en": "Dot chart"},
    "plots.alt.kind.funnel": {"nb": "Traktdiagram", "en": "Funnel plot"},
    "plots.alt.kind.survival": {"nb": "Trappekurve", "en": "Step chart"},
    "plots.alt.kind.stacked": {"nb": "Stablet stolpediagram", "en": "Stacked bar chart"},
    # alt-text sentences
    "plots.alt.head": {"nb": "{kind}: {what}, etter {x}.", "en": "{kind}: {what}, by {x}."},
    "plots.alt.head_groups": {"nb": "{kind}: {what}, etter {x} og {group}.", "en": "{kind}: {what}, by {x} and {group}."},
    "plots.alt.span": {"nb": "{x} fra {first} til {last}.", "en": "{x} from {first} to {last}."},
    "plots.alt.change": {"nb": "fra {first} ({x_first}) til {last} ({x_last})",
                         "en": "from {first} ({x_first}) to {last} ({x_last})"},
    "plots.alt.extremes": {"nb": "høyest {high} ({x_high}), lavest {low} ({x_low})",
                           "en": "highest {high} ({x_high}), lowest {low} ({x_low})"},
    "plots.alt.range": {"nb": "Verdiene går fra {low} til {high}.", "en": "Values range from {low} to {high}."},
    "plots.alt.uncertain_open": {"nb": "Usikre verdier ({n}) er tegnet med åpne symboler.",
                                 "en": "Uncertain values ({n}) are drawn as open symbols."},
    "plots.alt.uncertain_hatched": {"nb": "Usikre verdier ({n}) er tegnet lyse og skraverte.",
                                    "en": "Uncertain values ({n}) are drawn faded and hatched."},
    "plots.alt.nothing": {"nb": "Ingen verdier kan vises: alle er for få eller for usikre.",
                          "en": "No value can be shown: all are too few or too uncertain."},
    "plots.alt.see_table": {"nb": "Tallene står i tabellen under figuren.",
                            "en": "The numbers are in the table below the figure."},
    "plots.alt.funnel": {
        "nb": "{kind}: {what} mot befolkning, {n} punkter, med referanse {ref} og kontrollgrenser på {levels}.",
        "en": "{kind}: {what} against population, {n} points, with reference {ref} and control limits at {levels}.",
    },
    "plots.alt.funnel.above": {"nb": "Over den øvre {level} %-grensen: {names}.",
                               "en": "Above the upper {level}% limit: {names}."},
    "plots.alt.funnel.below": {"nb": "Under den nedre {level} %-grensen: {names}.",
                               "en": "Below the lower {level}% limit: {names}."},
    "plots.alt.funnel.none": {"nb": "ingen", "en": "none"},
    "plots.alt.funnel.rest": {"nb": "De øvrige ligger innenfor {level} %-grensene.",
                              "en": "The others lie within the {level}% limits."},
    "plots.alt.survival": {"nb": "{kind}: {what}, etter {x}, fra {first} til {last}.",
                           "en": "{kind}: {what}, by {x}, from {first} to {last}."},
    "plots.alt.survival.last": {"nb": "Ved siste viste tid: {values}.", "en": "At the last time shown: {values}."},
    "plots.alt.stacked": {"nb": "{kind}: {what}; hver stolpe er delt i {parts}.",
                          "en": "{kind}: {what}; each bar is split into {parts}."},
    "plots.alt.between": {"nb": "{name} mellom {low} og {high}", "en": "{name} between {low} and {high}"},
    "plots.alt.reference": {"nb": "{name}: {value}.", "en": "{name}: {value}."},
    "plots.alt.and": {"nb": "og", "en": "and"},
    # the data table beside each figure
    "plots.data.summary": {"nb": "Tallene i figuren", "en": "Numbers in the figure"},
    "plots.data.group": {"nb": "Gruppe", "en": "Group"},
    "plots.data.note": {"nb": "Merknad", "en": "Note"},
    "plots.data.uncertain": {"nb": "usikker", "en": "uncertain"},
    "plots.data.suppressed": {"nb": "vises ikke", "en": "not shown"},
    "plots.data.symbol": {"nb": "«:» betyr at tallet ikke vises: for få eller for usikkert.",
                          "en": "“:” means the figure is not shown: too few or too uncertain."},
    "plots.data.position": {"nb": "Plassering", "en": "Position"},
    "plots.data.above": {"nb": "over {level} %-grensen", "en": "above the {level}% limit"},
    "plots.data.below": {"nb": "under {level} %-grensen", "en": "below the {level}% limit"},
    "plots.data.inside": {"nb": "innenfor", "en": "inside"},
    "plots.data.part": {"nb": "Del", "en": "Part"},
    "plots.data.panel": {"nb": "Panel", "en": "Panel"},
    # legends and notes
    "plots.uncertain_open": {"nb": "Usikkert (åpent symbol)", "en": "Uncertain (open symbol)"},
    "plots.funnel.some_unnamed": {
        "nb": "Ikke alle punkter har navn i figuren; tabellen under har alle.",
        "en": "Not every point is named in the figure; the table below has them all.",
    },
    # figures of the page modules
    "cohorts.figure.alt.lorenz_top": {
        "nb": "De {top} % av de mistenkte med flest lovbrudd står for {share} av lovbruddene.",
        "en": "The {top}% of suspects with the most offences account for {share} of the offences.",
    },
    "drug_use.fig.group_sex": {"nb": "Skoleslag og kjønn", "en": "School level and sex"},
    "cohorts.figure.alt.equal": {"nb": "Den prikkede diagonalen er lik fordeling.",
                                 "en": "The dotted diagonal is the line of equal shares."},
}
