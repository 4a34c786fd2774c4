"""All report text in Norwegian bokmål (``nb``, the default) and English (``en``).

Notebooks, tables, plots and the briefing take their words from here, so that a
reviewer reading ``lang="nb"`` sees no English and the two languages never drift.
Keys are ``"area.name"``; values are ``{"nb": ..., "en": ...}`` and may contain
``str.format`` fields.

Each area has its own block below; add keys to the block of the module that
uses them.
"""

from __future__ import annotations

__all__ = ["LANGS", "TEXT", "t", "check_lang"]

LANGS = ("nb", "en")

TEXT: dict[str, dict[str, str]] = {}

# --- common -----------------------------------------------------------------------------
TEXT.update({
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
})

# --- reliability (salto_analysis.reliability) ---------------------------------------------
# Flag codes of reliability.grade ("CODE: short text") and the change sentences of
# salto_analysis.change (which share the policy's language).
TEXT.update({
    "reliability.flag.ok": {"nb": "ok", "en": "ok"},
    "reliability.flag.uncertain": {"nb": "usikkert", "en": "uncertain"},
    "reliability.flag.suppressed": {"nb": "skjult", "en": "suppressed"},
    "reliability.D1": {
        "nb": "D1: færre enn {min_count} personer (personvern)",
        "en": "D1: fewer than {min_count} persons (privacy)",
    },
    "reliability.D2": {
        "nb": "D2: skjult så andre skjulte tall ikke kan regnes ut fra summene",
        "en": "D2: withheld so that other hidden figures cannot be worked out from the totals",
    },
    "reliability.P1": {
        "nb": "P1: effektivt utvalg under {min_n_eff}",
        "en": "P1: effective sample size under {min_n_eff}",
    },
    "reliability.P2": {
        "nb": "P2: konfidensintervallet er {abs_width_max} prosentpoeng eller bredere",
        "en": "P2: confidence interval {abs_width_max} percentage points wide or wider",
    },
    "reliability.P3": {
        "nb": "P3: konfidensintervallet er bredere enn {rel_width_max} % av andelen",
        "en": "P3: confidence interval wider than {rel_width_max}% of the share",
    },
    "reliability.Pc": {
        "nb": "Pc: usikker motsatt andel (intervallet er bredere enn {complement_rel_width_max} % av den)",
        "en": "Pc: complement share unreliable (interval wider than {complement_rel_width_max}% of it)",
    },
    "reliability.Pdf": {
        "nb": "Pdf: færre enn {min_df} frihetsgrader (få skoler), bør vurderes",
        "en": "Pdf: fewer than {min_df} degrees of freedom (few schools), needs review",
    },
    "reliability.P0": {
        "nb": "P0: andelen er 0 % eller 100 %, bør vurderes",
        "en": "P0: share is 0% or 100%, needs review",
    },
    "reliability.C1": {
        "nb": "C1: bygger på færre enn {min_events} hendelser",
        "en": "C1: based on fewer than {min_events} events",
    },
    "reliability.C2": {
        "nb": "C2: konfidensintervallet er bredere enn {count_rel_width_max} % av tallet",
        "en": "C2: confidence interval wider than {count_rel_width_max}% of the figure",
    },
    "reliability.C3": {
        "nb": "C3: ustabilt, bygger på færre enn {unstable_events} hendelser",
        "en": "C3: unstable, based on fewer than {unstable_events} events",
    },
    "reliability.Cdf": {
        "nb": "Cdf: færre enn {min_df} frihetsgrader, bør vurderes",
        "en": "Cdf: fewer than {min_df} degrees of freedom, needs review",
    },
    "reliability.S1": {
        "nb": "S1: bygger på færre enn {min_units} personer",
        "en": "S1: based on fewer than {min_units} persons",
    },
    "reliability.S2": {
        "nb": "S2: færre enn {min_at_risk} personer igjen under oppfølging",
        "en": "S2: fewer than {min_at_risk} persons still followed up",
    },
    "reliability.warning": {
        "nb": "{flagged} av {rows} tall i tabellen «{measure}» er merket: {suppressed} skjult (:), {uncertain} usikre.",
        "en": "{flagged} of {rows} figures in the table “{measure}” are flagged: {suppressed} suppressed (:), {uncertain} uncertain.",
    },
    # the same for a table without a name in the language (reliability.table_name)
    "reliability.warning_unnamed": {
        "nb": "{flagged} av {rows} tall i en tabell med {kind} er merket: {suppressed} skjult (:), {uncertain} usikre.",
        "en": "{flagged} of {rows} figures in a table of {kind} are flagged: {suppressed} suppressed (:), {uncertain} uncertain.",
    },
    "reliability.kind.proportion": {"nb": "andeler", "en": "shares"},
    "reliability.kind.rate": {"nb": "rater", "en": "rates"},
    "reliability.kind.count": {"nb": "antall", "en": "counts"},
    "reliability.kind.ratio": {"nb": "forholdstall", "en": "ratios"},
    "reliability.kind.difference": {"nb": "differanser", "en": "differences"},
    "reliability.kind.summary": {"nb": "sammendrag", "en": "summaries"},
    "reliability.summary_none": {
        "nb": "Alle {rows} tall i tabellen kan vises.",
        "en": "All {rows} figures in the table can be shown.",
    },
    "reliability.unresolved": {
        "nb": "OBS: {cells} skjulte tall kan fortsatt regnes ut fra summene; tabellen må ikke publiseres slik.",
        "en": "NOTE: {cells} hidden figures can still be worked out from the totals; do not publish the table as it is.",
    },
    # change sentences (salto_analysis.change.sentence)
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
})
# --- end reliability

# --- io (salto_analysis.io) --------------------------------------------------------------
TEXT.update({
    "io.rows_read": {"nb": "Rader lest fra fila", "en": "Rows read from the file"},
    "io.dropped.blank": {"nb": "Tomme rader fjernet", "en": "Blank rows removed"},
    "io.rows_kept": {"nb": "Rader beholdt", "en": "Rows kept"},
    "io.excluded.age_outside_scope": {
        "nb": "Holdt utenfor analysen: alder utenfor 10–22 år",
        "en": "Excluded from analysis: age outside 10–22",
    },
    "io.rows_in_analysis": {"nb": "Rader med i analysen", "en": "Rows in the analysis"},
    "io.notice.csv_format": {
        "nb": "Lest som CSV med tegnsett {encoding} og skilletegn «{separator}»",
        "en": "Read as CSV with encoding {encoding} and separator “{separator}”",
    },
    "io.notice.sheet": {
        "nb": "Arbeidsboka har {n} ark; leste arket «{sheet}»",
        "en": "The workbook has {n} sheets; read the sheet “{sheet}”",
    },
    "io.notice.extra_columns": {
        "nb": "Ukjente kolonner er beholdt uendret, men brukes ikke: {columns}",
        "en": "Unknown columns are kept unchanged but not used: {columns}",
    },
    "io.notice.derived_replaced": {
        "nb": "Kolonner i fila er erstattet av verdier beregnet fra de andre kolonnene: {columns}",
        "en": "Columns in the file were replaced by values derived from the other columns: {columns}",
    },
    "io.notice.absent_columns": {
        "nb": "Valgfrie kolonner som mangler i fila (tomme i dataene): {columns}",
        "en": "Optional columns absent from the file (empty in the data): {columns}",
    },
    "io.notice.value_labels": {
        "nb": "SPSS-verdietiketter er brukt for kolonnene: {columns}",
        "en": "SPSS value labels were used for the columns: {columns}",
    },
    "io.notice.no_weight": {
        "nb": "Ingen vektkolonne: alle elever har vekt 1 (uvektede anslag)",
        "en": "No weight column: every pupil has weight 1 (unweighted estimates)",
    },
    "io.notice.no_items_answered": {
        "nb": "Elever som ikke har svart på noen av spørsmålene (beholdt; teller ikke i noe spørsmål)",
        "en": "Pupils who answered none of the items (kept; they count in no item)",
    },
    "io.notice.synthetic": {
        "nb": "Syntetiske data: fila er oppført som syntetisk i manifest.json",
        "en": "Synthetic data: the file is listed as synthetic in manifest.json",
    },
    "io.notice.manifest_mismatch": {
        "nb": "Fila er endret etter at den ble laget (sjekksummen avviker fra manifest.json); "
              "den regnes derfor ikke som syntetisk",
        "en": "The file has changed since it was generated (its checksum differs from manifest.json); "
              "it is therefore not treated as synthetic",
    },
    "io.notice.manifest_unreadable": {
        "nb": "manifest.json i mappen kunne ikke leses; fila regnes ikke som syntetisk",
        "en": "manifest.json in the folder could not be read; the file is not treated as synthetic",
    },
})
# --- end io

# --- tables and plots (salto_analysis.tables, salto_analysis.plots, salto_analysis.report) --
TEXT.update({
    # column headers of the estimate-table columns (grouping columns take their
    # names from salto_analysis.schemas)
    "tables.col.numerator": {"nb": "Antall", "en": "Number"},
    "tables.col.denominator": {"nb": "Av totalt", "en": "Out of"},
    "tables.col.count": {"nb": "Antall", "en": "Count"},
    "tables.col.exposure": {"nb": "Befolkning", "en": "Population"},
    # the same counts of the reference (earlier year, other group) in ratio and difference tables
    "tables.col.numerator_ref": {"nb": "Antall, referanse", "en": "Number, reference"},
    "tables.col.denominator_ref": {"nb": "Av totalt, referanse", "en": "Out of, reference"},
    "tables.col.count_ref": {"nb": "Antall, referanse", "en": "Count, reference"},
    "tables.col.exposure_ref": {"nb": "Befolkning, referanse", "en": "Population, reference"},
    "tables.col.se": {"nb": "Standardfeil", "en": "Standard error"},
    "tables.col.n_eff": {"nb": "Effektivt utvalg", "en": "Effective sample size"},
    "tables.col.deff": {"nb": "Designeffekt", "en": "Design effect"},
    "tables.col.df": {"nb": "Frihetsgrader", "en": "Degrees of freedom"},
    "tables.col.p_value": {"nb": "p-verdi", "en": "p-value"},
    "tables.col.p_adjusted": {"nb": "Justert p-verdi", "en": "Adjusted p-value"},
    "tables.col.time": {"nb": "Tid", "en": "Time"},
    "tables.col.n_at_risk": {"nb": "Antall i risiko", "en": "Number at risk"},
    "tables.col.events": {"nb": "Hendelser", "en": "Events"},
    "tables.col.schools": {"nb": "Skoler", "en": "Schools"},
    "tables.col.input": {"nb": "Datafil", "en": "Input"},
    "tables.col.column": {"nb": "Kolonne", "en": "Column"},
    "tables.yes": {"nb": "ja", "en": "yes"},
    "tables.no": {"nb": "nei", "en": "no"},
    # header of the estimate column, by estimate-table kind
    "tables.estimate.proportion": {"nb": "Andel", "en": "Share"},
    "tables.estimate.rate": {"nb": "Rate", "en": "Rate"},
    "tables.estimate.rate_per": {"nb": "Rate per {per}", "en": "Rate per {per}"},
    "tables.estimate.count": {"nb": "Antall", "en": "Count"},
    "tables.estimate.ratio": {"nb": "Forhold", "en": "Ratio"},
    "tables.estimate.difference": {"nb": "Differanse", "en": "Difference"},
    "tables.estimate.summary": {"nb": "Verdi", "en": "Value"},
    "tables.unit.percent": {"nb": "%", "en": "%"},
    "tables.unit.points": {"nb": "prosentpoeng", "en": "percentage points"},
    "tables.ci": {"nb": "{level} % KI", "en": "{level}% CI"},
    "tables.ci_low": {"nb": "Nedre grense ({level} % KI)", "en": "Lower limit ({level}% CI)"},
    "tables.ci_high": {"nb": "Øvre grense ({level} % KI)", "en": "Upper limit ({level}% CI)"},
    "tables.interval_to": {"nb": "til", "en": "to"},
    # footnotes
    "tables.note.uncertain": {
        "nb": "Usikkert tall – les med forsiktighet ({reason}).",
        "en": "Uncertain figure – read with caution ({reason}).",
    },
    "tables.note.missing": {
        "nb": "«..» betyr at tallet ikke kan beregnes eller mangler.",
        "en": "“..” means the figure cannot be computed or is missing.",
    },
    "tables.note.ci": {
        "nb": "KI: konfidensintervall ({level} %).",
        "en": "CI: confidence interval ({level}%).",
    },
    "tables.note.pivot": {
        "nb": "Tallene i cellene: {cells}.",
        "en": "Figures in the cells: {cells}.",
    },
    # plots
    "plots.not_shown_one": {
        "nb": "1 verdi vises ikke: for få eller for usikker.",
        "en": "1 value is not shown: too few or too uncertain.",
    },
    "plots.not_shown": {
        "nb": "{n} verdier vises ikke: for få eller for usikre.",
        "en": "{n} values are not shown: too few or too uncertain.",
    },
    "plots.uncertain": {"nb": "Usikkert (lys, skravert)", "en": "Uncertain (faded, hatched)"},
    "plots.interval": {"nb": "{level} % konfidensintervall", "en": "{level}% confidence interval"},
    "plots.synthetic": {"nb": "SYNTETISKE DATA", "en": "SYNTHETIC DATA"},
    "plots.funnel.reference": {"nb": "Referanse ({rate})", "en": "Reference ({rate})"},
    "plots.funnel.limit": {"nb": "{level} % kontrollgrense", "en": "{level}% control limit"},
    "plots.funnel.x": {"nb": "Befolkning", "en": "Population"},
    "plots.funnel.outside": {
        "nb": "Punkter utenfor 99,8 %-grensen skiller seg trolig fra referansen; punkter innenfor er forenlige med tilfeldig variasjon.",
        "en": "Points outside the 99.8% limit probably differ from the reference; points inside are consistent with chance variation.",
    },
    "plots.km.x": {"nb": "Tid", "en": "Time"},
    "plots.km.at_risk": {"nb": "Antall i risiko", "en": "Number at risk"},
    "plots.all_hidden": {
        "nb": "Ingen verdier kan vises her: alle er for få eller for usikre.",
        "en": "No value can be shown here: all are too few or too uncertain.",
    },
    # report (banner, warning box)
    "report.warning.title": {"nb": "Tall som må leses med forsiktighet", "en": "Figures to read with caution"},
    "report.warning.intro": {
        "nb": "Denne siden har {uncertain} usikre og {suppressed} skjulte tall. "
              "Usikre tall er merket og lyse i tabellene og skravert i figurene; skjulte tall vises som «:».",
        "en": "This page has {uncertain} uncertain and {suppressed} withheld figures. "
              "Uncertain figures are marked and faded in the tables and hatched in the figures; "
              "withheld figures are shown as “:”.",
    },
    "report.warning.none": {
        "nb": "Ingen tall på denne siden er merket som usikre eller skjult.",
        "en": "No figure on this page is marked as uncertain or withheld.",
    },
    "report.flag.uncertain": {"nb": "usikkert", "en": "uncertain"},
    "report.flag.suppressed": {"nb": "skjult («:»)", "en": "withheld (“:”)"},
    "report.table": {"nb": "Tabell", "en": "Table"},
    "report.all_rows": {"nb": "hele tabellen", "en": "whole table"},
    "tables.col.file": {"nb": "Fil", "en": "File"},
    "tables.col.item": {"nb": "Post", "en": "Item"},
    "tables.col.rows": {"nb": "Rader", "en": "Rows"},
    "tables.col.check": {"nb": "Kontroll", "en": "Check"},
    "tables.col.result": {"nb": "Resultat", "en": "Result"},
    "tables.col.detail": {"nb": "Detaljer", "en": "Details"},
    "tables.note.empty": {
        "nb": "Tom celle: ingen rader for denne kombinasjonen i dataene.",
        "en": "Empty cell: no rows for this combination in the data.",
    },
    "plots.uncertain_point": {"nb": "Usikkert (lys, åpen)", "en": "Uncertain (faded, open)"},
    # data-quality page (salto_analysis.quality, notebook 00)
    "quality.heading.page": {"nb": "Datagrunnlag og datakvalitet", "en": "Data and data quality"},
    "quality.intro": {
        "nb": "Denne siden viser hva tallene i briefingen for {year} bygger på: hvor mange rader hver fil hadde "
              "og hvor mange som er med i analysen, hvilke år og bydeler dataene dekker, hvor mange verdier som "
              "mangler, og kontroller som kan avsløre feil i uttrekkene. Alt gjelder data til og med {year}.",
        "en": "This page shows what the figures of the {year} briefing rest on: how many rows each file had and "
              "how many are in the analysis, which years and districts the data cover, how many values are "
              "missing, and checks that can reveal faults in the extracts. Everything refers to data up to and "
              "including {year}.",
    },
    "quality.heading.synthetic": {"nb": "Er dataene ekte?", "en": "Are the data real?"},
    "quality.synthetic.yes": {
        "nb": "Alle inndata er syntetiske: de er laget for utprøving og beskriver ingen virkelige personer. "
              "Tallene på sidene i denne briefingen kan ikke brukes til å si noe om Oslo.",
        "en": "All inputs are synthetic: they were made for testing and describe no real persons. "
              "The figures in this briefing say nothing about Oslo.",
    },
    "quality.synthetic.no": {
        "nb": "Inndataene er ikke merket som syntetiske; de regnes som virkelige uttrekk.",
        "en": "The inputs are not marked as synthetic; they are taken to be real extracts.",
    },
    "quality.synthetic.mixed": {
        "nb": "Noen inndata er syntetiske ({inputs}); tall som bygger på dem beskriver ingen virkelige personer.",
        "en": "Some inputs are synthetic ({inputs}); figures built on them describe no real persons.",
    },
    "quality.heading.accounting": {"nb": "Radregnskap per fil", "en": "Row accounting per file"},
    "quality.note.accounting": {
        "nb": "Tallene teller rader i filene, ikke personer, og vises derfor uten prikking: de er totaler for "
              "hele fila uten fordeling på bydel, år eller alder. Rader utenfor aldersgruppen 10–22 år blir "
              "liggende i dataene, men er ikke med i analysene.",
        "en": "These figures count rows of the files, not persons, and are therefore shown without suppression: "
              "they are totals for the whole file, not broken down by district, year or age. Rows outside ages "
              "10–22 stay in the data but are not part of the analyses.",
    },
    "quality.heading.coverage": {"nb": "Dekning etter år og bydel", "en": "Coverage by year and district"},
    "quality.note.coverage": {
        "nb": "Tellingene av registreringer, befolkning og svar gjelder personer og følger derfor de samme "
              "reglene for små tall som resten av briefingen.",
        "en": "The counts of registrations, population and answers concern persons and therefore follow the "
              "same small-number rules as the rest of the briefing.",
    },
    "quality.table.cases_by_year": {
        "nb": "Anmeldelser med mistenkt eller fornærmet 10–22 år per år, til og med {year}",
        "en": "Cases with a suspect or victim aged 10–22 per year, up to {year}",
    },
    "quality.table.register_coverage": {
        "nb": "Registreringer i analysen (sak × person × rolle, 10–22 år) etter år og bostedsbydel, til og med {year}",
        "en": "Register rows in the analysis (case × person × role, ages 10–22) by year and home district, "
              "up to {year}",
    },
    "quality.table.population_coverage": {
        "nb": "Befolkning 10–22 år etter år og bydel, til og med {year}",
        "en": "Population aged 10–22 by year and district, up to {year}",
    },
    "quality.table.survey_coverage": {
        "nb": "Svar i Ung i Oslo etter undersøkelsesår og bydel, til og med {year}",
        "en": "Ung i Oslo respondents by survey year and district, up to {year}",
    },
    "quality.heading.missing": {"nb": "Manglende verdier", "en": "Missing values"},
    "quality.table.missing": {
        "nb": "Andel manglende verdier per kolonne, data til og med {year}",
        "en": "Share of missing values per column, data up to {year}",
    },
    "quality.complete_columns": {
        "nb": "{input}: ingen manglende verdier i {columns}.",
        "en": "{input}: no missing values in {columns}.",
    },
    "quality.complete_none": {
        "nb": "Alle kolonner har minst én manglende verdi.",
        "en": "Every column has at least one missing value.",
    },
    "quality.heading.checks": {"nb": "Kontroller", "en": "Checks"},
    "quality.note.checks": {
        "nb": "Kontrollene leter etter tegn på feil i uttrekkene. «Sjekk dette» betyr ikke at noe er galt, "
              "men at noen bør se på det før tallene brukes.",
        "en": "The checks look for signs of faults in the extracts. “Check this” does not mean that something "
              "is wrong, but that someone should look at it before the figures are used.",
    },
    "quality.result.ok": {"nb": "✓ i orden", "en": "✓ fine"},
    "quality.result.warning": {"nb": "⚠ sjekk dette", "en": "⚠ check this"},
    "quality.check.year_volumes": {
        "nb": "Uvanlig mange eller få anmeldelser i et år",
        "en": "Unusually many or few cases in a year",
    },
    "quality.check.latest_year": {"nb": "Er rapportåret komplett?", "en": "Is the reporting year complete?"},
    "quality.check.population_districts": {
        "nb": "Befolkningstall for alle bydeler med registreringer",
        "en": "Population figures for every district with registrations",
    },
    "quality.check.unknown_district": {"nb": "Ukjent bostedsbydel", "en": "Unknown home district"},
    "quality.check.survey_schools": {"nb": "Skoler per undersøkelse", "en": "Schools per survey wave"},
    "quality.detail.volume_year": {
        "nb": "{year}: {n} anmeldelser, {percent} % av medianen ({median}) i årene rundt",
        "en": "{year}: {n} cases, {percent}% of the median ({median}) of the years around it",
    },
    "quality.detail.volume_year_small": {
        "nb": "{year}: færre enn {min_count} anmeldelser, mot en median på {median} i årene rundt",
        "en": "{year}: fewer than {min_count} cases, against a median of {median} in the years around it",
    },
    "quality.detail.volume_ok": {
        "nb": "Ingen år i {first}–{last} skiller seg ut fra årene rundt (grense: under halvparten eller over "
              "det dobbelte av medianen).",
        "en": "No year in {first}–{last} stands out from the years around it (limit: below half or above "
              "double the median).",
    },
    "quality.detail.no_register": {"nb": "Ingen registreringer i perioden.", "en": "No registrations in the period."},
    "quality.detail.no_rows_year": {
        "nb": "Registeret har ingen rader for {year}.",
        "en": "The register has no rows for {year}.",
    },
    "quality.months": {
        "nb": "januar,februar,mars,april,mai,juni,juli,august,september,oktober,november,desember",
        "en": "January,February,March,April,May,June,July,August,September,October,November,December",
    },
    "quality.detail.year_partial": {
        "nb": "Siste registrering i {year} er i {month}: året ser ut til å mangle data, og endringer fra året "
              "før blir for lave.",
        "en": "The last registration in {year} is in {month}: the year seems to lack data, and changes from the "
              "year before will be too low.",
    },
    "quality.detail.year_complete": {
        "nb": "Registeret har registreringer fram til desember {year}.",
        "en": "The register has registrations up to December {year}.",
    },
    "quality.detail.no_population": {"nb": "Befolkningsfila mangler.", "en": "The population file is missing."},
    "quality.detail.population_year_missing": {
        "nb": "Befolkningsfila har ikke {year} (den har {years}); rater for {year} kan ikke beregnes.",
        "en": "The population file lacks {year} (it has {years}); rates for {year} cannot be computed.",
    },
    "quality.detail.districts_absent": {
        "nb": "Mangler befolkning 10–22 år i {year} for: {districts}. Rater for disse bydelene kan ikke beregnes.",
        "en": "No population aged 10–22 in {year} for: {districts}. Rates for these districts cannot be computed.",
    },
    "quality.detail.districts_ok": {
        "nb": "Alle {n} bydeler med registreringer i {year} har befolkningstall.",
        "en": "All {n} districts with registrations in {year} have population figures.",
    },
    "quality.detail.unknown_high": {
        "nb": "{percent} % av radene i {year} har ukjent bostedsbydel (grense {limit} %); bydelsratene blir for lave.",
        "en": "{percent}% of the rows in {year} have an unknown home district (limit {limit}%); district rates "
              "will be too low.",
    },
    "quality.detail.unknown_ok": {
        "nb": "{percent} % av radene i {year} har ukjent bostedsbydel (grense {limit} %).",
        "en": "{percent}% of the rows in {year} have an unknown home district (limit {limit}%).",
    },
    "quality.detail.no_survey": {"nb": "Ung i Oslo-fila mangler.", "en": "The Ung i Oslo file is missing."},
    "quality.detail.no_waves": {
        "nb": "Ung i Oslo har ingen undersøkelse til og med {year}.",
        "en": "Ung i Oslo has no survey wave up to {year}.",
    },
    "quality.detail.wave_schools": {"nb": "{wave}: {n} skoler", "en": "{wave}: {n} schools"},
    "quality.detail.few_schools": {
        "nb": "{listing}. Under {min} skoler ({waves}) gir færre enn 8 frihetsgrader: intervallene blir brede "
              "og tallene merkes for vurdering.",
        "en": "{listing}. Fewer than {min} schools ({waves}) give fewer than 8 degrees of freedom: intervals "
              "get wide and figures are marked for review.",
    },
    "quality.detail.schools_ok": {"nb": "{listing}.", "en": "{listing}."},
    "quality.heading.reading": {"nb": "Slik leser du tallene", "en": "How to read the figures"},
    "quality.note.reading": {
        "nb": "Tallene er registrerte data, ikke en fullstendig beskrivelse av virkeligheten: politiets "
              "registreringer speiler både kriminalitet, anmeldelsestilbøyelighet og politiets innsats. "
              "Hvert tall vises med et konfidensintervall som sier hvor mye det kunne variert av tilfeldige "
              "grunner. «:» betyr at tallet er skjult fordi det gjelder færre enn {min_count} personer eller er "
              "for usikkert. Et hevet tall (¹) viser til en fotnote om hvorfor tallet er usikkert; slike tall er "
              "lysere i tabellene og skraverte i figurene.",
        "en": "The figures are registered data, not a complete picture of reality: police registrations reflect "
              "crime, the willingness to report and police activity alike. Each figure is shown with a "
              "confidence interval that says how much it could have varied by chance. “:” means that the figure "
              "is withheld because it concerns fewer than {min_count} persons or is too uncertain. A raised "
              "number (¹) points to a footnote on why the figure is uncertain; such figures are lighter in the "
              "tables and hatched in the figures.",
    },
})
# --- end tables and plots

# --- briefing (salto_analysis.briefing) ---------------------------------------------------
TEXT.update({
    "briefing.reporting_year": {"nb": "Rapporteringsår {year}", "en": "Reporting year {year}"},
    "briefing.contents": {"nb": "Innhold", "en": "Contents"},
    "briefing.back_to_index": {"nb": "Til forsiden", "en": "Back to the index"},
    "briefing.pages": {"nb": "Sidene", "en": "Pages"},
    "briefing.headlines": {"nb": "Hovedtall", "en": "Headline figures"},
    "briefing.no_headlines": {"nb": "Ingen side har meldt hovedtall.", "en": "No page reported headline figures."},
    "briefing.flagged": {"nb": "Usikre og skjulte tall", "en": "Uncertain and suppressed figures"},
    "briefing.flagged_intro": {
        "nb": "Alle tall i kunnskapsgrunnlaget som er merket usikre eller er skjult («:»), med begrunnelse.",
        "en": "Every figure in the briefing that is marked uncertain or is withheld (“:”), with the reason.",
    },
    "briefing.no_flagged": {"nb": "Ingen tall er merket usikre eller skjult.",
                            "en": "No figure is marked uncertain or withheld."},
    "briefing.flagged_count": {"nb": "{uncertain} usikre og {suppressed} skjulte tall",
                               "en": "{uncertain} uncertain and {suppressed} withheld figures"},
    "briefing.flag.ok": {"nb": "god nok", "en": "reliable"},
    "briefing.flag.uncertain": {"nb": "usikker", "en": "uncertain"},
    "briefing.flag.suppressed": {"nb": "skjult (:)", "en": "withheld (:)"},
    "briefing.col.page": {"nb": "Side", "en": "Page"},
    "briefing.col.table": {"nb": "Tabell", "en": "Table"},
    "briefing.col.group": {"nb": "Gruppe", "en": "Group"},
    "briefing.col.estimate": {"nb": "Tall", "en": "Figure"},
    "briefing.col.interval": {"nb": "{level} %-konfidensintervall", "en": "{level}% confidence interval"},
    "briefing.col.flag": {"nb": "Merking", "en": "Mark"},
    "briefing.col.reason": {"nb": "Begrunnelse", "en": "Reason"},
    "briefing.all": {"nb": "alle", "en": "all"},
    "briefing.more_headlines": {"nb": "… og {n} hovedtall til på siden", "en": "… and {n} more headline figures on the page"},
    "briefing.tables_link": {
        "nb": "Publiserte tabeller: CSV-filer i mappen «tables» og én Excel-fil ({xlsx}).",
        "en": "Published tables: CSV files in the folder “tables” and one Excel workbook ({xlsx}).",
    },
    "briefing.partial_run": {
        "nb": "Delkjøring: bare disse sidene ble laget: {names}.",
        "en": "Partial run: only these pages were made: {names}.",
    },
    "briefing.run_details": {"nb": "Kjøringsdetaljer", "en": "Run details"},
    "briefing.parameters": {"nb": "Parametere", "en": "Parameters"},
    "briefing.parameter": {"nb": "Parameter", "en": "Parameter"},
    "briefing.value": {"nb": "Verdi", "en": "Value"},
    "briefing.input_files": {"nb": "Inndatafiler (SHA-256)", "en": "Input files (SHA-256)"},
    "briefing.file": {"nb": "Fil", "en": "File"},
    "briefing.versions": {"nb": "Programvareversjoner", "en": "Package versions"},
    "briefing.package": {"nb": "Pakke", "en": "Package"},
    "briefing.version": {"nb": "Versjon", "en": "Version"},
    "briefing.code_version": {"nb": "Kodeversjon (git)", "en": "Code version (git)"},
    "briefing.git_dirty": {"nb": "med endringer som ikke er lagret i git", "en": "with changes not committed to git"},
    "briefing.git_clean": {"nb": "uten endringer utenom git", "en": "no uncommitted changes"},
    "briefing.git_unknown": {"nb": "ukjent (ikke en git-mappe)", "en": "unknown (not a git checkout)"},
    "briefing.started": {"nb": "Startet (UTC)", "en": "Started (UTC)"},
    "briefing.duration": {"nb": "Varighet", "en": "Duration"},
    "briefing.seconds": {"nb": "{value} s", "en": "{value} s"},
    "briefing.generated": {
        "nb": "Laget med salto-briefing. Koden er skjult; tallene kan etterprøves med kjøringsdetaljene.",
        "en": "Made with salto-briefing. The code is hidden; the run details let anyone reproduce the figures.",
    },
    # the workbook's first sheet (salto_analysis.briefing.publish)
    "briefing.xlsx.about_sheet": {"nb": "Forklaring", "en": "About"},
    "briefing.xlsx.heading": {"nb": "Publiserte tabeller – {title}", "en": "Published tables – {title}"},
    "briefing.xlsx.sheets": {"nb": "Ark og tabeller", "en": "Sheets and tables"},
    "briefing.xlsx.sheet": {"nb": "Ark", "en": "Sheet"},
    "briefing.xlsx.csv_file": {"nb": "CSV-fil", "en": "CSV file"},
    "briefing.xlsx.measure": {"nb": "Måler", "en": "Measure"},
    "briefing.xlsx.columns": {"nb": "Kolonner", "en": "Columns"},
    "briefing.xlsx.column": {"nb": "Kolonne", "en": "Column"},
    "briefing.xlsx.meaning": {"nb": "Betydning", "en": "Meaning"},
    "briefing.xlsx.symbols": {"nb": "Tegn og merking", "en": "Symbols and marks"},
    "briefing.xlsx.symbol_suppressed": {
        "nb": "«:» Tallet kan ikke offentliggjøres: for få personer (færre enn {min_count}) "
              "eller for usikkert til å vises (Statistisk sentralbyrås tegn).",
        "en": "“:” The figure cannot be published: too few persons (fewer than {min_count}) "
              "or too uncertain to show (Statistics Norway's symbol).",
    },
    "briefing.xlsx.symbol_uncertain": {
        "nb": "Kursiv grå skrift og «usikker» i kolonnen flag: tallet kan vises, men er usikkert; "
              "les det med forsiktighet (grunnen står i flag_reason).",
        "en": "Grey italics and “uncertain” in the flag column: the figure may be shown but is uncertain; "
              "read it with care (the reason is in flag_reason).",
    },
    "briefing.xlsx.symbol_blank": {
        "nb": "I CSV-filene er skjulte tall tomme celler.",
        "en": "In the CSV files withheld figures are empty cells.",
    },
    "briefing.xlsx.group_columns": {
        "nb": "Grupperingskolonner (for eksempel år, bydel, aldersgruppe) står først i hver tabell.",
        "en": "Grouping columns (for example year, district, age group) come first in each table.",
    },
    "briefing.column.numerator": {"nb": "teller: antall med egenskapen (uvektet)",
                                  "en": "numerator: number with the characteristic (unweighted)"},
    "briefing.column.denominator": {"nb": "nevner: antall i gruppen (uvektet)",
                                    "en": "denominator: number in the group (unweighted)"},
    "briefing.column.count": {"nb": "antall hendelser eller personer", "en": "number of events or persons"},
    "briefing.column.exposure": {"nb": "befolkning eller eksponering som raten regnes mot",
                                 "en": "population or exposure the rate is computed against"},
    "briefing.column.estimate": {"nb": "anslaget (andel, rate, antall eller forhold)",
                                 "en": "the estimate (share, rate, count or ratio)"},
    "briefing.column.ci_low": {"nb": "nedre grense i konfidensintervallet", "en": "lower confidence limit"},
    "briefing.column.ci_high": {"nb": "øvre grense i konfidensintervallet", "en": "upper confidence limit"},
    "briefing.column.se": {"nb": "standardfeil", "en": "standard error"},
    "briefing.column.n_eff": {"nb": "effektivt utvalg", "en": "effective sample size"},
    "briefing.column.deff": {"nb": "designeffekt", "en": "design effect"},
    "briefing.column.df": {"nb": "frihetsgrader", "en": "degrees of freedom"},
    "briefing.column.p_value": {"nb": "p-verdi", "en": "p-value"},
    "briefing.column.p_adjusted": {"nb": "p-verdi justert for mange sammenligninger (Benjamini–Hochberg)",
                                   "en": "p-value adjusted for multiple comparisons (Benjamini–Hochberg)"},
    "briefing.column.flag": {"nb": "merking: ok, uncertain (usikker) eller suppressed (skjult)",
                             "en": "mark: ok, uncertain or suppressed (withheld)"},
    "briefing.column.flag_reason": {"nb": "grunnen til merkingen", "en": "the reason for the mark"},
})
# --- end briefing

# --- trends (salto_analysis.trends, notebook 01) ------------------------------------------
# Column headers of the columns unique to salto_analysis.trends / districts (through the
# "tables.col.<column>" keys), their codes (salto_analysis.trends_page.label), the titles,
# sentences and reading notes of notebook 01.
TEXT.update({
    "tables.col.counted": {"nb": "Hva som telles", "en": "Counted"},
    "tables.col.aspect": {"nb": "Kjennetegn", "en": "Characteristic"},
    "tables.col.quasi": {"nb": "Overspredning tatt med", "en": "Overdispersion allowed for"},
    "trends.value.counted.cases": {"nb": "Anmeldte saker", "en": "Registered cases"},
    "trends.value.counted.suspects": {"nb": "Unike mistenkte", "en": "Unique suspects"},
    "trends.value.counted.victims": {"nb": "Unike fornærmede", "en": "Unique victims"},
    "trends.value.total": {"nb": "I alt", "en": "Total"},
    "trends.value.city": {"nb": "Oslo", "en": "Oslo"},
    "trends.value.aspect.group": {"nb": "Begått i gruppe (flere mistenkte)",
                                  "en": "Committed in a group (several suspects)"},
    "trends.value.aspect.online": {"nb": "Digital arena (på nett)", "en": "Online"},
    "trends.ages": {"nb": "{low}–{high} år", "en": "aged {low}–{high}"},
    "trends.unknown.none": {"nb": "Alle mistenkte hadde kjent bostedsbydel.",
                            "en": "Every suspect had a known home district."},
    "trends.unknown.few": {
        "nb": "Færre enn {min_count} mistenkte hadde ukjent bostedsbydel. De er regnet med i Oslo-raden, men ikke "
              "i noen bydel, slik at antallet ikke kan regnes ut av tabellene.",
        "en": "Fewer than {min_count} suspects had an unknown home district. They are counted in the Oslo row but "
              "in no district, so that their number cannot be worked out from the tables.",
    },
    "trends.unknown.one": {
        "nb": "1 mistenkt hadde ukjent bostedsbydel («Uoppgitt»). Den personen er ikke med i noen bydel og heller "
              "ikke i Oslo-raden, som bare teller mistenkte med kjent bostedsbydel.",
        "en": "1 suspect had an unknown home district (“Uoppgitt”). That person is in no district and not in the "
              "Oslo row either, which counts only suspects with a known home district.",
    },
    "trends.unknown.many": {
        "nb": "{n} mistenkte hadde ukjent bostedsbydel («Uoppgitt»). De er ikke med i noen bydel og heller ikke i "
              "Oslo-raden, som bare teller mistenkte med kjent bostedsbydel.",
        "en": "{n} suspects had an unknown home district (“Uoppgitt”). They are in no district and not in the Oslo "
              "row either, which counts only suspects with a known home district.",
    },
    "trends.crosswalk": {
        "nb": " Bydelene følger bydelsreformen etter fila {file} ({n_old} gamle bydeler blir {n_new} nye); "
              "innbyggere og mistenkte i sammenslåtte bydeler er lagt sammen.",
        "en": " The districts follow the district reform as in the file {file} ({n_old} old districts become "
              "{n_new} new ones); residents and suspects of merged districts are added up.",
    },
    # headings
    "trends.heading.data": {"nb": "Datagrunnlag", "en": "Data"},
    "trends.heading.headline": {"nb": "Hovedtall for {year}", "en": "Headline figures for {year}"},
    "trends.heading.series": {"nb": "Utviklingen {first}–{year}", "en": "Development {first}–{year}"},
    "trends.heading.offences": {"nb": "Lovbruddstyper i {year}", "en": "Types of offence in {year}"},
    "trends.heading.districts": {"nb": "Bydeler i {year}", "en": "Districts in {year}"},
    "trends.heading.victims": {"nb": "Unge registrert som fornærmet", "en": "Young people registered as victims"},
    "trends.heading.reading": {"nb": "Lesehjelp", "en": "How to read this page"},
    # titles of tables and figures
    "trends.title.rows": {"nb": "Rader i anmeldelsesregisteret", "en": "Rows of the police register"},
    "trends.title.level": {
        "nb": "Anmeldte saker og unike mistenkte {ages} i {year}: antall og per 1 000 innbyggere",
        "en": "Registered cases and unique suspects {ages} in {year}: number and per 1,000 residents",
    },
    "trends.title.change_previous": {
        "nb": "Endring fra {prev} til {year} i antall per 1 000 innbyggere (rateforhold)",
        "en": "Change from {prev} to {year} in the number per 1,000 residents (rate ratio)",
    },
    "trends.title.change_mean": {
        "nb": "Endring fra gjennomsnittet for {ref_first}–{ref_last} til {year} i antall per 1 000 innbyggere "
              "(rateforhold)",
        "en": "Change from the average of {ref_first}–{ref_last} to {year} in the number per 1,000 residents "
              "(rate ratio)",
    },
    "trends.title.series": {
        "nb": "Anmeldte saker og unike mistenkte {ages} per år {first}–{year}: antall og per 1 000 innbyggere",
        "en": "Registered cases and unique suspects {ages} per year {first}–{year}: number and per 1,000 residents",
    },
    "trends.title.trend": {
        "nb": "Trend {first}–{year}: gjennomsnittlig årlig endring per 1 000 innbyggere (rateforhold per år)",
        "en": "Trend {first}–{year}: average annual change per 1,000 residents (rate ratio per year)",
    },
    "trends.title.offence_types": {
        "nb": "Anmeldte saker med mistenkte {ages} i {year} etter lovbruddstype: andel av alle saker",
        "en": "Registered cases with suspects {ages} in {year} by type of offence: share of all cases",
    },
    "trends.title.offence_modus": {
        "nb": "Andel av sakene i {year} som er begått i gruppe og på digital arena, etter lovbruddstype",
        "en": "Share of the cases of {year} committed in a group and online, by type of offence",
    },
    "trends.title.districts": {
        "nb": "Unike mistenkte {ages} i {year} etter bostedsbydel: antall og per 1 000 innbyggere",
        "en": "Unique suspects {ages} in {year} by home district: number and per 1,000 residents",
    },
    "trends.title.district_ratios": {
        "nb": "Bydelene sammenlignet med resten av Oslo i {year}: rateforhold med justerte p-verdier",
        "en": "The districts compared with the rest of Oslo in {year}: rate ratios with adjusted p-values",
    },
    "trends.title.victims": {
        "nb": "Unike fornærmede {ages} per år {first}–{year}: antall og per 1 000 innbyggere",
        "en": "Unique victims {ages} per year {first}–{year}: number and per 1,000 residents",
    },
    "trends.title.victim_change": {
        "nb": "Unike fornærmede {ages}: endring fra året før per 1 000 innbyggere (rateforhold, justerte p-verdier)",
        "en": "Unique victims {ages}: change from the year before per 1,000 residents (rate ratio, adjusted "
              "p-values)",
    },
    "trends.figure.series_suspects": {"nb": "Unike mistenkte {ages} per 1 000 innbyggere, {first}–{year}",
                                      "en": "Unique suspects {ages} per 1,000 residents, {first}–{year}"},
    "trends.figure.series_cases": {"nb": "Anmeldte saker per 1 000 innbyggere {ages}, {first}–{year}",
                                   "en": "Registered cases per 1,000 residents {ages}, {first}–{year}"},
    "trends.figure.offence_modus": {"nb": "Andel av sakene i {year} begått i gruppe og på digital arena",
                                    "en": "Share of the cases of {year} committed in a group and online"},
    "trends.figure.funnel": {"nb": "Unike mistenkte per 1 000 etter bostedsbydel i {year}, med kontrollgrenser",
                             "en": "Unique suspects per 1,000 by home district in {year}, with control limits"},
    "trends.figure.victims": {"nb": "Unike fornærmede {ages} per 1 000 innbyggere, {first}–{year}",
                              "en": "Unique victims {ages} per 1,000 residents, {first}–{year}"},
    "trends.figure.per_1000": {"nb": "Per 1 000 innbyggere", "en": "Per 1,000 residents"},
    # row accounting
    "trends.col.item": {"nb": "Rader", "en": "Rows"},
    "trends.col.rows": {"nb": "Antall rader", "en": "Number of rows"},
    "trends.rows.read": {"nb": "Lest fra fila", "en": "Read from the file"},
    "trends.rows.age_outside": {"nb": "Alder utenfor 10–22 år (ikke med)", "en": "Age outside 10–22 (not used)"},
    "trends.rows.age_group_not_chosen": {"nb": "Aldersgruppe som ikke er valgt (ikke med)",
                                         "en": "Age group not chosen (not used)"},
    "trends.rows.before_period": {"nb": "Registrert før {count_first} (ikke med)",
                                  "en": "Registered before {count_first} (not used)"},
    "trends.rows.after_year": {"nb": "Registrert etter {year} (ikke med)", "en": "Registered after {year} (not used)"},
    "trends.rows.used": {"nb": "Med i analysen ({count_first}–{year})", "en": "Used ({count_first}–{year})"},
    # sentences and district findings
    "trends.sentence.subject": {"nb": "Antallet per 1 000 innbyggere", "en": "The number per 1,000 residents"},
    "trends.sentence.p_value": {"nb": "p {p}", "en": "p {p}"},
    "trends.sentence.p_adjusted": {"nb": "justert p {p}", "en": "adjusted p {p}"},
    "trends.districts.none": {"nb": "ingen", "en": "none"},
    "trends.districts.findings": {
        "nb": "**Bydeler som skiller seg fra resten av Oslo** (justert p under {alpha}, bare tall merket ok, i "
              "bydelsrekkefølge): høyere: {above}; lavere: {below}. Bydeler med usikre eller skjulte tall er ikke "
              "vurdert ({n_flagged}).",
        "en": "**Districts that differ from the rest of Oslo** (adjusted p below {alpha}, only figures marked ok, "
              "in district order): higher: {above}; lower: {below}. Districts with uncertain or withheld figures are "
              "not assessed ({n_flagged}).",
    },
    # reading notes
    "trends.note.intro": {
        "nb": "Denne siden gir oversikten over barne- og ungdomskriminaliteten i Oslo slik politiet har registrert "
              "den: anmeldte saker og unike mistenkte {ages} i {year}, utviklingen {first}–{year}, lovbruddstyper, "
              "bydeler og unge som er registrert som fornærmet. Hvert tall har et {ci_level} % konfidensintervall og "
              "et merke som sier hvor trygt det er å lese det. Tall som bygger på færre enn {min_count} personer, "
              "vises som «:».{crosswalk}",
        "en": "This page gives the overview of youth crime in Oslo as the police registered it: registered cases "
              "and unique suspects {ages} in {year}, the development {first}–{year}, types of offence, districts "
              "and young people registered as victims. Every figure has a {ci_level}% confidence interval and a mark "
              "saying how safely it can be read. Figures based on fewer than {min_count} persons are shown as "
              "“:”.{crosswalk}",
    },
    "trends.note.headline": {
        "nb": "**Slik leses endringene.** Endringen er et *rateforhold*: antallet per 1 000 innbyggere i {year} "
              "delt på antallet per 1 000 i sammenligningsåret (eller i de {n_ref} årene {ref_first}–{ref_last} "
              "samlet). 1,00 betyr ingen endring og 0,95 betyr 5 % lavere. Å regne per innbygger tar hensyn til at "
              "antallet unge i Oslo endrer seg. Intervallet og p-verdien er eksakte (samme metode som R sin "
              "`poisson.test`). Når intervallet inneholder 1, kan endringen skyldes tilfeldig variasjon, og "
              "setningene sier det.",
        "en": "**How to read the changes.** A change is a *rate ratio*: the number per 1,000 residents in {year} "
              "divided by the number per 1,000 in the year compared with (or in the {n_ref} years "
              "{ref_first}–{ref_last} taken together). 1.00 means no change and 0.95 means 5% lower. Counting per "
              "resident allows for the changing number of young people in Oslo. The interval and p-value are "
              "exact (the method of R's `poisson.test`). When the interval contains 1, the change may be chance "
              "variation, and the sentences say so.",
    },
    "trends.note.overdispersion": {
        "nb": "**Saker er ikke uavhengige hendelser.** Samme person kan stå bak mange saker, og flere mistenkte kan "
              "være med i samme sak. Da varierer antallet saker mer fra år til år enn intervallene antar, så "
              "intervallene for saker er trolig for smale. Tallene for unike mistenkte er mindre utsatt for dette.",
        "en": "**Cases are not independent events.** One person can be behind many cases, and several suspects can "
              "be part of one case. The number of cases therefore varies more from year to year than the intervals "
              "assume, so the intervals for cases are probably too narrow. The figures for unique suspects are less "
              "affected.",
    },
    "trends.note.series": {
        "nb": "Hver person telles én gang per år, i aldersgruppen og bydelen fra sin første registrering det året. "
              "En sak telles i hver aldersgruppe den har en mistenkt i, så aldersgruppene for saker summerer seg "
              "ikke til «I alt». Et år med 0 har likevel et intervall (fra 0 og opp).",
        "en": "Each person is counted once per year, in the age group and district of their first registration "
              "that year. A case is counted in every age group it has a suspect in, so the age groups of cases do "
              "not add up to “Total”. A year with 0 still has an interval (from 0 upwards).",
    },
    "trends.note.trend": {
        "nb": "**Trenden** er beregnet med Poisson-regresjon av antallet per år med befolkningen som eksponering: "
              "1,03 betyr i snitt 3 % økning per år over perioden. Når tallene varierer mer enn modellen antar "
              "(overspredning), er intervallet gjort bredere (kvasi-Poisson); kolonnen «Overspredning tatt med» "
              "viser hvor. En trend over hele perioden sier ikke noe om enkeltår og kan skjule et brudd.",
        "en": "**The trend** comes from a Poisson regression of the yearly numbers with the population as "
              "exposure: 1.03 means on average 3% more per year over the period. Where the numbers vary more than "
              "the model assumes (overdispersion), the interval is widened (quasi-Poisson); the column "
              "“Overdispersion allowed for” shows where. A trend over the whole period says nothing about single "
              "years and can hide a break.",
    },
    "trends.note.offences": {
        "nb": "Hver sak har én hovedlovbruddstype. «Begått i gruppe» betyr at saken har to eller flere ulike "
              "mistenkte, uansett alder. «Digital arena» betyr at lovbruddet er begått ved hjelp av en digital "
              "plattform (handlingsprogrammets innsatsområde 2); saker der dette ikke er registrert, er holdt "
              "utenfor ({online_unknown}). Intervallene er Wilson-intervaller.",
        "en": "Each case has one main type of offence. “Committed in a group” means the case has two or more "
              "different suspects, whatever their age. “Online” means the offence used a digital platform (priority "
              "area 2 of the programme); cases where this is not recorded are left out ({online_unknown}). The "
              "intervals are Wilson intervals.",
    },
    "trends.online_unknown.none": {"nb": "ingen saker", "en": "no cases"},
    "trends.online_unknown.few": {"nb": "færre enn {min_count} saker", "en": "fewer than {min_count} cases"},
    "trends.online_unknown.one": {"nb": "1 sak", "en": "1 case"},
    "trends.online_unknown.many": {"nb": "{n} saker", "en": "{n} cases"},
    "trends.note.districts": {
        "nb": "Raten for en bydel er unike mistenkte {ages} som bor i bydelen, per 1 000 innbyggere på samme alder. "
              "Personer brukes i stedet for saker fordi bostedet hører til personen. {unknown} Bydelene står i fast "
              "rekkefølge etter bydelsnummer og er aldri rangert: forskjellene mellom bydeler er ofte mindre enn "
              "usikkerheten.",
        "en": "A district's rate is the unique suspects {ages} living in the district per 1,000 residents of the "
              "same ages. Persons are used rather than cases because the home district belongs to the person. "
              "{unknown} The districts keep a fixed order by district number and are never ranked: the differences "
              "between districts are often smaller than the uncertainty.",
    },
    "trends.note.funnel": {
        "nb": "**Traktdiagrammet** viser raten for hver bydel mot antall innbyggere. Den vannrette linjen er "
              "Oslo-raten. De stiplede og heltrukne linjene er 95 %- og 99,8 %-kontrollgrensene: der vil en bydel "
              "med Oslo-raten ligge av ren tilfeldighet. Små bydeler har vide grenser. Bydeler utenfor "
              "99,8 %-grensen skiller seg trolig fra Oslo; bydeler innenfor er forenlige med tilfeldig variasjon.",
        "en": "**The funnel plot** shows each district's rate against its number of residents. The horizontal line "
              "is the Oslo rate. The dashed and solid lines are the 95% and 99.8% control limits: a district with "
              "the Oslo rate would fall inside them by chance alone. Small districts have wide limits. Districts "
              "outside the 99.8% limit probably differ from Oslo; districts inside are consistent with chance.",
    },
    "trends.note.ratios": {
        "nb": "Hver bydel er sammenlignet med resten av Oslo (byen uten bydelen), slik at de to tallene er "
              "uavhengige, med eksakt intervall og p-verdi. Fordi {n_districts} bydeler sammenlignes samtidig, er "
              "p-verdiene justert med Benjamini–Hochbergs metode, som holder andelen falske funn nede.",
        "en": "Each district is compared with the rest of Oslo (the city without the district), so that the two "
              "figures are independent, with an exact interval and p-value. Because {n_districts} districts are "
              "compared at once, the p-values are adjusted with the Benjamini–Hochberg method, which keeps the "
              "share of false findings down.",
    },
    "trends.note.victims": {
        "nb": "Fornærmede er unike personer {ages} som er registrert som fornærmet i minst én sak i året, i "
              "aldersgruppen fra sin første registrering som fornærmet det året. Endringen fra året før er "
              "beregnet for hvert år; fordi det er mange sammenligninger, er p-verdiene justert med "
              "Benjamini–Hochbergs metode. Setningene under gjelder {year}.",
        "en": "Victims are unique persons {ages} registered as the victim in at least one case in the year, in the "
              "age group of their first registration as a victim that year. The change from the year before is "
              "computed for every year; because there are many comparisons, the p-values are adjusted with the "
              "Benjamini–Hochberg method. The sentences below are for {year}.",
    },
    "trends.note.reading_case": {
        "nb": "**Hva et registrert tall er – og ikke er.** En anmeldt sak er en sak politiet har registrert med "
              "minst én identifisert mistenkt {ages}. Tallene viser politiets arbeid og hvor mye som blir anmeldt, "
              "like mye som hvor mye kriminalitet unge begår: flere kontroller eller en ny prioritering gir flere "
              "saker uten at atferden har endret seg, og lovbrudd som ikke blir anmeldt, er ikke med. En mistenkt "
              "er ikke dømt.",
        "en": "**What a registered figure is, and is not.** A registered case is a case the police registered with "
              "at least one identified suspect {ages}. The figures show police activity and how much is reported "
              "as much as how much crime young people commit: more checks or a new priority give more cases "
              "without any change in behaviour, and offences that are not reported are not counted. A suspect has "
              "not been convicted.",
    },
    "trends.note.reading_interval": {
        "nb": "**Hvorfor intervallene betyr noe.** Selv når alle saker er talt opp, varierer tallene fra år til år "
              "av tilfeldige grunner. Et {ci_level} % konfidensintervall viser hvor mye. En endring er bare et tegn på "
              "en reell utvikling når intervallet for endringen ikke inneholder «ingen endring». Jo mindre gruppen "
              "er, jo større er usikkerheten.",
        "en": "**Why the intervals matter.** Even when every case is counted, the figures vary from year to year "
              "for reasons of chance. A {ci_level}% confidence interval shows how much. A change is only a sign of a "
              "real development when the interval of the change does not contain “no change”. The smaller the "
              "group, the greater the uncertainty.",
    },
    "trends.note.reading_symbols": {
        "nb": "**Tegn i tabellene.** «:» betyr at tallet er skjult: fordi det bygger på færre enn {min_count} "
              "personer (personvern), fordi det ellers kunne brukes til å regne ut et annet skjult tall, eller "
              "fordi det er for usikkert til å vises. Tall med et lite hevet merke (¹, ² …) er usikre; fotnoten "
              "under tabellen sier hvorfor, og de er lyse i tabellene og skraverte eller åpne i figurene. «..» "
              "betyr at tallet ikke kan beregnes.",
        "en": "**Symbols in the tables.** “:” means the figure is withheld: because it rests on fewer than "
              "{min_count} persons (privacy), because it could otherwise be used to work out another withheld "
              "figure, or because it is too uncertain to show. Figures with a small raised mark (¹, ² …) are "
              "uncertain; the footnote under the table says why, and they are faded in the tables and hatched or "
              "open in the figures. “..” means the figure cannot be computed.",
    },
})
# --- end trends

# --- overlap (salto_analysis.overlap, notebook 02) ----------------------------------------
# Column headers of the overlap tables (read by salto_analysis.tables.column_label through
# the "tables.col.<column>" keys; the column names are unique to salto_analysis.overlap),
# the codes of those columns (salto_analysis.overlap.label), and the notebook's text.
TEXT.update({
    "tables.col.among": {"nb": "Gruppe", "en": "Group"},
    "tables.col.victim_status": {"nb": "Registrert som fornærmet", "en": "Registered as victim"},
    "tables.col.temporal_order": {"nb": "Rekkefølge", "en": "Order"},
    "tables.col.ratio_type": {"nb": "Mål", "en": "Measure"},
    "tables.col.time_quantile": {"nb": "Kvartil", "en": "Quartile"},
    "tables.col.victim_type": {"nb": "Fornærmet for", "en": "Victim of"},
    "tables.col.suspect_type": {"nb": "Mistenkt for", "en": "Suspect of"},
    "tables.col.left_out": {"nb": "Holdt utenfor", "en": "Left out"},
    "overlap.value.total": {"nb": "I alt", "en": "Total"},
    "overlap.value.unknown": {"nb": "ukjent", "en": "unknown"},
    "overlap.value.among.suspects": {"nb": "Mistenkte: andel som også var fornærmet",
                                     "en": "Suspects: share who were also victims"},
    "overlap.value.among.victims": {"nb": "Fornærmede: andel som også var mistenkt",
                                    "en": "Victims: share who were also suspects"},
    "overlap.value.victim_status.victim": {"nb": "Fornærmet", "en": "Victim"},
    "overlap.value.victim_status.not_victim": {"nb": "Ikke fornærmet (resten av befolkningen)",
                                               "en": "Not a victim (rest of the population)"},
    "overlap.value.temporal_order.victim_first": {"nb": "Fornærmet først", "en": "Victim first"},
    "overlap.value.temporal_order.same_day": {"nb": "Samme dag (også samme sak)", "en": "Same day (incl. same case)"},
    "overlap.value.temporal_order.suspect_first": {"nb": "Mistenkt først", "en": "Suspect first"},
    "overlap.value.ratio_type.odds_ratio_woolf": {"nb": "Oddsforhold (Woolf)", "en": "Odds ratio (Woolf)"},
    "overlap.value.ratio_type.odds_ratio_exact": {"nb": "Oddsforhold (eksakt betinget)",
                                                  "en": "Odds ratio (exact conditional)"},
    "overlap.value.ratio_type.risk_ratio": {"nb": "Relativ risiko (Katz)", "en": "Risk ratio (Katz)"},
    "overlap.value.time_quantile.q25": {"nb": "Nedre kvartil (25 %)", "en": "Lower quartile (25%)"},
    "overlap.value.time_quantile.median": {"nb": "Median", "en": "Median"},
    "overlap.value.time_quantile.q75": {"nb": "Øvre kvartil (75 %)", "en": "Upper quartile (75%)"},
    "overlap.value.victim_type.violence": {"nb": "vold", "en": "violence"},
    "overlap.value.victim_type.threats": {"nb": "trusler", "en": "threats"},
    "overlap.value.victim_type.robbery": {"nb": "ran", "en": "robbery"},
    "overlap.value.victim_type.sexual": {"nb": "seksuallovbrudd", "en": "sexual offences"},
    "overlap.value.victim_type.other": {"nb": "annet", "en": "other"},
    "overlap.value.suspect_type.violence": {"nb": "vold", "en": "violence"},
    "overlap.value.suspect_type.threats": {"nb": "trusler", "en": "threats"},
    "overlap.value.suspect_type.robbery": {"nb": "ran", "en": "robbery"},
    "overlap.value.suspect_type.sexual": {"nb": "seksuallovbrudd", "en": "sexual offences"},
    "overlap.value.suspect_type.other": {"nb": "annet", "en": "other"},
    "overlap.value.left_out.district_not_in_population": {
        "nb": "Bosted ikke i befolkningsfila (ukjent bydel eller utenfor Oslo)",
        "en": "Home district not in the population file (unknown or outside Oslo)",
    },
    "overlap.value.left_out.sex_unknown": {
        "nb": "Kjønn ikke registrert (befolkningstallene er etter kjønn)",
        "en": "Sex not registered (the population figures are by sex)",
    },
    # table names (attrs["measure"], used in warnings)
    "overlap.measure.overlap_shares": {"nb": "Overlapp mellom mistenkte og fornærmede",
                                       "en": "Overlap of suspects and victims"},
    "overlap.measure.overlap_coverage": {"nb": "Personer holdt utenfor sammenligningen",
                                         "en": "Persons left out of the comparison"},
    "overlap.measure.overlap_suspect_shares": {"nb": "Andel mistenkt blant fornærmede og andre",
                                               "en": "Share of suspects among victims and others"},
    "overlap.measure.overlap_relative_odds": {"nb": "Oddsforhold og relativ risiko",
                                              "en": "Odds ratio and risk ratio"},
    "overlap.measure.overlap_temporal_order": {"nb": "Rekkefølge", "en": "Temporal order"},
    "overlap.measure.overlap_left_censoring": {"nb": "Ukjent tidligere historikk", "en": "Unknown earlier history"},
    "overlap.measure.overlap_time_to_suspect": {"nb": "Tid fra fornærmet til mistenkt (måneder)",
                                                "en": "Time from victim to suspect (months)"},
    "overlap.measure.overlap_type_matrix": {"nb": "Fornærmet for × mistenkt for", "en": "Victim of × suspect of"},
    # register rows (salto_analysis.overlap.row_accounting)
    "overlap.col.item": {"nb": "Registerrader", "en": "Register rows"},
    "overlap.col.rows": {"nb": "Antall rader", "en": "Rows"},
    "overlap.rows.read": {"nb": "Rader i registerfila", "en": "Rows in the register file"},
    "overlap.rows.missing_values": {
        "nb": "Uten år, dato, alder, rolle, lovbruddstype eller person (ikke brukt)",
        "en": "Without year, date, age, role, offence type or person (not used)",
    },
    "overlap.rows.after_year": {"nb": "Registrert etter {year} (ikke brukt)", "en": "Registered after {year} (not used)"},
    "overlap.rows.age_outside": {
        "nb": "Alder utenfor {age_min}–{age_max} år ved registreringen (ikke brukt)",
        "en": "Age outside {age_min}–{age_max} at registration (not used)",
    },
    "overlap.rows.type_not_selected": {"nb": "Lovbruddstype ikke valgt (ikke brukt)",
                                       "en": "Offence type not selected (not used)"},
    "overlap.rows.before_window": {
        "nb": "Registrert før {first} (brukt bare til rekkefølgen i del 3)",
        "en": "Registered before {first} (used only for the order in part 3)",
    },
    "overlap.rows.in_window": {"nb": "Registrert {first}–{year} (perioden)", "en": "Registered {first}–{year} (the period)"},
    "overlap.all_types": {"nb": "alle lovbruddstyper", "en": "all offence types"},
    # headings
    "overlap.heading.data": {"nb": "Data og avgrensning", "en": "Data and scope"},
    "overlap.heading.persons": {"nb": "1. Mistenkte og fornærmede i perioden",
                                "en": "1. Suspects and victims in the period"},
    "overlap.heading.population": {"nb": "2. Sammenlignet med befolkningen", "en": "2. Compared with the population"},
    "overlap.heading.order": {"nb": "3. Hva kom først?", "en": "3. What came first?"},
    "overlap.heading.types": {"nb": "4. Typer lovbrudd", "en": "4. Types of offence"},
    "overlap.heading.caution": {"nb": "Usikre og skjulte tall", "en": "Uncertain and withheld figures"},
    "overlap.heading.reading": {"nb": "Slik leser du tallene", "en": "How to read the figures"},
    # table and figure titles
    "overlap.title.rows": {"nb": "Registerrader i analysen", "en": "Register rows in the analysis"},
    "overlap.title.shares_total": {"nb": "Overlapp {first}–{year}: personer i begge roller",
                                   "en": "Overlap {first}–{year}: persons in both roles"},
    "overlap.title.shares_age_group": {"nb": "Overlapp etter aldersgruppe (ved første registrering i perioden)",
                                       "en": "Overlap by age group (at the first registration in the period)"},
    "overlap.title.shares_sex": {"nb": "Overlapp etter kjønn", "en": "Overlap by sex"},
    "overlap.title.shares_district": {"nb": "Overlapp etter bydel (bosted ved første registrering i perioden)",
                                      "en": "Overlap by district (home at the first registration in the period)"},
    "overlap.title.coverage": {"nb": "Registrerte personer holdt utenfor sammenligningen med befolkningen",
                               "en": "Registered persons left out of the comparison with the population"},
    "overlap.title.suspect_shares": {
        "nb": "Andel registrert som mistenkt {first}–{year}: fornærmede og resten av befolkningen {age_min}–{age_max} år",
        "en": "Share registered as suspects {first}–{year}: victims and the rest of the population aged {age_min}–{age_max}",
    },
    "overlap.title.relative_odds": {
        "nb": "Oddsforhold og relativ risiko for å være registrert som mistenkt: fornærmede mot andre",
        "en": "Odds ratio and risk ratio of being registered as a suspect: victims against others",
    },
    "overlap.title.relative_odds_total": {"nb": "Oddsforhold og relativ risiko, fornærmede mot andre (i alt)",
                                          "en": "Odds ratio and risk ratio, victims against others (total)"},
    "overlap.title.figure": {"nb": "Andel registrert som mistenkt, {first}–{year}",
                             "en": "Share registered as suspects, {first}–{year}"},
    "overlap.figure.ylabel": {"nb": "Registrert som mistenkt, %", "en": "Registered as suspect, %"},
    "overlap.title.temporal_order": {"nb": "Hva kom først? Personer registrert i begge roller",
                                     "en": "What came first? Persons registered in both roles"},
    "overlap.title.left_censoring": {
        "nb": "Personer i begge roller med første registrering i {first_data_year} (tidligere historikk ukjent)",
        "en": "Persons in both roles first registered in {first_data_year} (earlier history unknown)",
    },
    "overlap.title.time_to_suspect": {
        "nb": "Måneder fra første registrering som fornærmet til første som mistenkt (fornærmet først)",
        "en": "Months from the first registration as victim to the first as suspect (victim first)",
    },
    "overlap.title.type_matrix": {"nb": "Personer i begge roller: fornærmet for (rader) og mistenkt for (kolonner)",
                                  "en": "Persons in both roles: victim of (rows) and suspect of (columns)"},
    # reading notes
    "overlap.note.intro": {
        "nb": "**Hvem er med.** Personer som politiet har registrert som mistenkt eller fornærmet i "
              "{first}–{year} ({window} år), som var {age_min}–{age_max} år da saken ble registrert, for "
              "{types}. Hver person telles én gang. Aldersgruppe, kjønn og bydel er hentet fra personens første "
              "registrering i perioden. *Begge roller* betyr registrert både som mistenkt og som fornærmet i "
              "perioden, ikke nødvendigvis i samme sak.",
        "en": "**Who is counted.** Persons the police registered as a suspect or a victim in {first}–{year} "
              "({window} years), aged {age_min}–{age_max} when the case was registered, for {types}. Each person "
              "counts once. Age group, sex and district come from the person's first registration in the period. "
              "*Both roles* means registered both as a suspect and as a victim in the period, not necessarily in "
              "the same case.",
    },
    "overlap.note.shares": {
        "nb": "Den første andelen er hvor mange av de mistenkte som også er registrert som fornærmet; den andre "
              "hvor mange av de fornærmede som også er registrert som mistenkt. Tallene gjelder saker politiet kjenner "
              "til. Mange lovbrudd mot unge blir aldri anmeldt, så overlappet i virkeligheten kan være større.",
        "en": "The first share is how many of the suspects were also registered as victims; the second how many of "
              "the victims were also registered as suspects. The figures cover cases known to the police. Many "
              "offences against young people are never reported, so the real overlap may be larger.",
    },
    "overlap.note.population": {
        "nb": "**Sammenlignet med befolkningen.** Nevneren er befolkningen {age_min}–{age_max} år i Oslo 1. januar "
              "{year}; de som ikke er registrert, er befolkningen minus de registrerte. To forenklinger: befolkningen "
              "telles på én dato, mens perioden er {window} år, så flere unge har vært i disse aldrene i perioden enn "
              "tallet viser. Da blir antallet som ikke er fornærmet, for lavt, og oddsforholdet trekkes mot 1 (et "
              "forsiktig anslag). Registrerte personer kan også bo utenfor Oslo: bare personer med bosted i en bydel "
              "i befolkningsfila og med registrert kjønn er med, og tabellen under viser hvor mange som er holdt "
              "utenfor.",
        "en": "**Compared with the population.** The denominator is the population aged {age_min}–{age_max} in Oslo "
              "on 1 January {year}; those not registered are the population minus the registered. Two "
              "simplifications: the population is counted on one date while the period is {window} years, so more "
              "young people passed through these ages in the period than the figure shows. That makes the number "
              "of non-victims too low and pulls the odds ratio towards 1 (a cautious estimate). Registered persons "
              "may also live outside Oslo: only persons whose home district is in the population file and whose "
              "sex is registered are included, and the table below shows how many were left out.",
    },
    "overlap.note.association": {
        "nb": "**Sammenheng, ikke årsak.** At fornærmede oftere er registrert som mistenkt, er en sammenheng i "
              "registrerte data. Det viser ikke at det å bli utsatt for lovbrudd fører til lovbrudd: felles "
              "risikofaktorer, miljø og politiets oppmerksomhet kan gi det samme mønsteret. Oddsforholdet har "
              "Woolfs intervall. Når en celle i firefeltstabellen har færre enn {exact_below} personer, vises også "
              "det eksakte betingede intervallet (som R `fisher.test`), som holder bedre med små tall. Relativ "
              "risiko er andelen mistenkte blant fornærmede delt på andelen blant de andre.",
        "en": "**Association, not cause.** That victims are more often registered as suspects is an association in "
              "registered data. It does not show that being a victim leads to offending: shared risk factors, "
              "surroundings and police attention can produce the same pattern. The odds ratio has Woolf's "
              "interval. When a cell of the 2×2 table holds fewer than {exact_below} persons, the exact "
              "conditional interval (as R `fisher.test`) is shown too; it holds up better with small numbers. The "
              "risk ratio is the share of suspects among victims divided by the share among the others.",
    },
    "overlap.note.figure": {
        "nb": "Søylene viser andelen som er registrert som mistenkt blant dem som er registrert som fornærmet, og "
              "blant resten av befolkningen på samme alder. Strekene er {level} % konfidensintervall.",
        "en": "The bars show the share registered as suspects among those registered as victims, and among the rest "
              "of the population of the same ages. The lines are {level}% confidence intervals.",
    },
    "overlap.note.order": {
        "nb": "**Rekkefølge.** For personer i begge roller sammenlignes datoen for første registrering som fornærmet "
              "med datoen for første registrering som mistenkt, i alle år i dataene fra {first_data_year} til "
              "{year}. *Samme dag* omfatter personer som er registrert i begge roller i samme sak, for eksempel i en "
              "gjensidig slåsskamp. Historikk før {first_data_year} er ukjent: personer som ble registrert første "
              "gang i {first_data_year}, kan ha vært registrert før (venstresensurering), og rekkefølgen deres kan "
              "være feil. Tabellen under viser hvor mange det gjelder.",
        "en": "**Order.** For persons in both roles, the date of the first registration as a victim is compared "
              "with the date of the first registration as a suspect, in all years of the data from "
              "{first_data_year} to {year}. *Same day* includes persons registered in both roles in the same case, "
              "for example in a mutual fight. History before {first_data_year} is unknown: persons first registered "
              "in {first_data_year} may have been registered before (left censoring), and their order may be wrong. "
              "The table below shows how many this concerns.",
    },
    "overlap.note.time": {
        "nb": "Tiden fra første registrering som fornærmet til første registrering som mistenkt, for dem som var "
              "fornærmet først, i måneder. Intervallene bygger på rangerte observasjoner (ordensstatistikk) og "
              "forutsetter ingen bestemt fordeling. Bare personer som var registrert som mistenkt innen utgangen av "
              "{year}, er med, så lange tider er underrepresentert.",
        "en": "The time from the first registration as a victim to the first registration as a suspect, for those "
              "who were victims first, in months. The intervals are based on ranked observations (order "
              "statistics) and assume no particular distribution. Only persons registered as suspects by the end of "
              "{year} are included, so long times are under-represented.",
    },
    "overlap.note.types": {
        "nb": "Hver person telles én gang: i raden for den alvorligste typen personen var fornærmet for, og i "
              "kolonnen for den alvorligste typen personen var mistenkt for (rekkefølge: seksuallovbrudd, ran, "
              "vold, trusler, annet). *Annet* omfatter tyveri, narkotika, skadeverk og andre lovbrudd. Celler med få "
              "personer er skjult, og andre celler er skjult i tillegg der det trengs for at de skjulte ikke kan "
              "regnes ut fra summene.",
        "en": "Each person counts once: in the row of the most serious type they were a victim of, and in the column "
              "of the most serious type they were a suspect of (order: sexual offences, robbery, violence, threats, "
              "other). *Other* covers theft, drugs, vandalism and other offences. Cells with few persons are "
              "withheld, and further cells are withheld where needed so that the hidden ones cannot be worked out "
              "from the totals.",
    },
    "overlap.note.reading": {
        "nb": "Alle tall bygger på saker registrert av politiet. De viser hvem politiet har registrert, ikke all "
              "kriminalitet, og de endrer seg når politiets innsats endrer seg. Tall vist som «:» er skjult for å "
              "verne personvernet (færre enn {min_count} personer) eller fordi de er for usikre til å vises. Usikre "
              "tall er merket i tabellene, lyse og skraverte i figuren og listet i boksen over. "
              "Konfidensintervallene ({level} %) viser usikkerheten fra tilfeldig variasjon, ikke feil eller "
              "mangler i registreringen.",
        "en": "All figures are based on cases registered by the police. They show whom the police registered, not all "
              "crime, and they change when police effort changes. Figures shown as “:” are withheld to protect "
              "privacy (fewer than {min_count} persons) or because they are too uncertain to show. Uncertain figures "
              "are marked in the tables, faded and hatched in the figure and listed in the box above. The confidence "
              "intervals ({level}%) show the uncertainty from chance variation, not errors or gaps in the "
              "registration.",
    },
})
# --- end overlap

# --- cohorts (salto_analysis.cohorts, notebook 03) ----------------------------------------
# Column headers of the cohort tables (read by salto_analysis.tables.column_label through the
# "tables.col.<column>" keys; the column names are unique to salto_analysis.cohorts), table
# measures (attrs["measure"], also the estimate header), and the notebook's text. Group values
# are numbers ("4+", "1–3", "10–14") and need no translation.
TEXT.update({
    "tables.col.offence_band": {"nb": "Lovbrudd i året", "en": "Offences in the year"},
    "tables.col.offence_threshold": {"nb": "Lovbrudd i året", "en": "Offences in the year"},
    "tables.col.top_percent": {"nb": "De mest aktive (prosent av de mistenkte)",
                               "en": "Most active (per cent of suspects)"},
    "tables.col.person_share": {"nb": "Andel av de mistenkte med færrest lovbrudd (%)",
                                "en": "Share of suspects with the fewest offences (%)"},
    "tables.col.cohort": {"nb": "Kohort (år)", "en": "Cohort (year)"},
    "tables.col.years_after": {"nb": "År etter", "en": "Years after"},
    "tables.col.follow_status": {"nb": "Lovbrudd i oppfølgingsåret", "en": "Offences in the follow-up year"},
    "tables.col.repeat_group": {"nb": "Lovbrudd i rapporteringsåret", "en": "Offences in the reporting year"},
    "tables.col.debut_age": {"nb": "Alder ved første registrering", "en": "Age at first registration"},
    "tables.col.debut_age_group": {"nb": "Alder ved første registrering", "en": "Age at first registration"},
    "tables.col.months": {"nb": "Måneder etter første registrering", "en": "Months after the first registration"},
    # measures (table names in warnings, and the header of the estimate column)
    "cohorts.measure.share_of_suspects": {"nb": "Andel av de mistenkte", "en": "Share of suspects"},
    "cohorts.measure.persons": {"nb": "Personer", "en": "Persons"},
    "cohorts.measure.share_of_offences": {"nb": "Andel av lovbruddene", "en": "Share of offences"},
    "cohorts.measure.gini": {"nb": "Gini-koeffisient", "en": "Gini coefficient"},
    "cohorts.measure.lorenz": {"nb": "Samlet andel av lovbruddene", "en": "Cumulative share of offences"},
    "cohorts.measure.share_of_cohort": {"nb": "Andel av kohorten", "en": "Share of the cohort"},
    "cohorts.measure.share_of_group": {"nb": "Andel av gruppen", "en": "Share of the group"},
    "cohorts.measure.victim_before": {"nb": "Andel fornærmet før første lovbrudd",
                                      "en": "Share victimised before the first offence"},
    "cohorts.measure.left_censored": {"nb": "Andel med mulig tidligere debut",
                                      "en": "Share whose debut may be earlier"},
    "cohorts.measure.reregistered": {"nb": "Registrert på nytt", "en": "Registered again"},
    "cohorts.measure.hazard_ratio": {"nb": "Hasardforhold", "en": "Hazard ratio"},
    # register rows (cohorts.accounting_table)
    "cohorts.accounting.rows_read": {"nb": "Rader i registeret", "en": "Rows in the register"},
    "cohorts.accounting.rows_out_of_scope": {"nb": "Alder utenfor 10–22 år (ikke brukt)",
                                             "en": "Age outside 10–22 (not used)"},
    "cohorts.accounting.rows_incomplete": {"nb": "Uten person, sak, dato eller alder (ikke brukt)",
                                           "en": "Without person, case, date or age (not used)"},
    "cohorts.accounting.victim_rows": {"nb": "Rader som fornærmet (brukt til «fornærmet før første lovbrudd»)",
                                       "en": "Rows as victim (used for “victimised before the first offence”)"},
    "cohorts.accounting.suspect_rows": {"nb": "Rader som mistenkt", "en": "Rows as suspect"},
    "cohorts.accounting.duplicate_suspect_rows": {
        "nb": "Samme person mistenkt to ganger i samme sak (telt én gang)",
        "en": "Same person suspect twice in one case (counted once)"},
    "cohorts.accounting.suspect_rows_above_age_max": {
        "nb": "Mistenkt i alderen {age_max_plus}–22 år (bare brukt i oppfølgingen)",
        "en": "Suspect at ages {age_max_plus}–22 (used in the follow-up only)"},
    "cohorts.accounting.suspect_rows_counted": {
        "nb": "Mistenkt i alderen {age_min}–{age_max} år (telt som lovbrudd)",
        "en": "Suspect at ages {age_min}–{age_max} (counted as offences)"},
    # suppression summary (cohorts.suppression_summary)
    "cohorts.summary.table": {"nb": "Tabell", "en": "Table"},
    "cohorts.summary.cells": {"nb": "Celler", "en": "Cells"},
    "cohorts.summary.privacy": {"nb": "Skjult: færre enn grensen", "en": "Withheld: below the threshold"},
    "cohorts.summary.secondary": {"nb": "Skjult: hindre tilbakeregning", "en": "Withheld: prevent back-calculation"},
    "cohorts.summary.reliability": {"nb": "Skjult: for usikre", "en": "Withheld: too uncertain"},
    "cohorts.summary.uncertain": {"nb": "Vist, men usikre", "en": "Shown but uncertain"},
    # table titles (cohorts.page; also the titles of the published tables)
    "cohorts.title.offence_bands": {"nb": "Mistenkte {age_min}–{age_max} år etter antall lovbrudd i {year}",
                                    "en": "Suspects aged {age_min}–{age_max} by number of offences in {year}"},
    "cohorts.title.threshold_series": {"nb": "Personer {age_min}–{age_max} år med mange lovbrudd i året, {first}–{year}",
                                       "en": "Persons aged {age_min}–{age_max} with many offences in the year, "
                                             "{first}–{year}"},
    "cohorts.title.threshold_headline": {"nb": "Personer {age_min}–{age_max} år med mange lovbrudd i {year}",
                                         "en": "Persons aged {age_min}–{age_max} with many offences in {year}"},
    "cohorts.title.top_shares": {"nb": "Andel av lovbruddene i {year} som de mest aktive mistenkte står for",
                                 "en": "Share of the offences in {year} held by the most active suspects"},
    "cohorts.title.group_shares": {"nb": "Andel av lovbruddene i {year} som gruppene med mange lovbrudd står for",
                                   "en": "Share of the offences in {year} held by the groups with many offences"},
    "cohorts.title.gini": {"nb": "Gini-koeffisient for lovbrudd blant de mistenkte, {year}",
                           "en": "Gini coefficient of offences among the suspects, {year}"},
    "cohorts.title.lorenz": {"nb": "Lorenzkurve: lovbruddene fordelt på de mistenkte, {year}",
                             "en": "Lorenz curve: the offences spread over the suspects, {year}"},
    "cohorts.title.transitions": {"nb": "Hva skjer årene etter? Kohorter fulgt i inntil {follow_years} år",
                                  "en": "What happens in the following years? Cohorts followed for up to "
                                        "{follow_years} years"},
    "cohorts.title.debut_age": {"nb": "Alder ved første registrering: gruppen {group} og de andre mistenkte i {year}",
                                "en": "Age at the first registration: the {group} group and the other suspects "
                                      "in {year}"},
    "cohorts.title.victim_before": {"nb": "Registrert som fornærmet før første lovbrudd, {year}",
                                    "en": "Registered as a victim before the first offence, {year}"},
    "cohorts.title.left_censored": {"nb": "Mistenkte der første registrering kan ligge før dataene starter, {year}",
                                    "en": "Suspects whose first registration may precede the data, {year}"},
    "cohorts.title.reregistration_curve": {"nb": "Registrert på nytt etter første registrering (Kaplan–Meier)",
                                           "en": "Registered again after the first registration (Kaplan–Meier)"},
    "cohorts.title.reregistration": {"nb": "Andel registrert på nytt etter 6, 12, 24 og 36 måneder",
                                     "en": "Share registered again after 6, 12, 24 and 36 months"},
    "cohorts.title.logrank": {"nb": "Første registrering i 10–14 år mot 15–17 år: hasardforhold og log-rank-test",
                              "en": "First registration at 10–14 against 15–17: hazard ratio and log-rank test"},
    "cohorts.title.offence_mix": {"nb": "Lovbruddstyper i {year}: gruppen {group} og de andre mistenkte",
                                  "en": "Offence types in {year}: the {group} group and the other suspects"},
    "cohorts.title.breakdown_sex": {"nb": "Gruppene med mange lovbrudd etter kjønn, {year}",
                                    "en": "The groups with many offences by sex, {year}"},
    "cohorts.title.breakdown_age_group": {"nb": "Gruppene med mange lovbrudd etter aldersgruppe, {year}",
                                          "en": "The groups with many offences by age group, {year}"},
    "cohorts.title.breakdown_district": {"nb": "Gruppene med mange lovbrudd etter bosted (bydel), {year}",
                                         "en": "The groups with many offences by home district, {year}"},
    # headings of the page
    "cohorts.heading.data": {"nb": "Data og definisjoner", "en": "Data and definitions"},
    "cohorts.heading.counts": {"nb": "Antall lovbrudd per person", "en": "Offences per person"},
    "cohorts.heading.concentration": {"nb": "Hvor samlet er lovbruddene?", "en": "How concentrated are the offences?"},
    "cohorts.heading.persistence": {"nb": "Fortsetter de? Kohorter fulgt over tid",
                                    "en": "Do they carry on? Cohorts followed over time"},
    "cohorts.heading.debut": {"nb": "Første registrering", "en": "The first registration"},
    "cohorts.heading.reregistration": {"nb": "Tid til ny registrering", "en": "Time to a new registration"},
    "cohorts.heading.mix": {"nb": "Hvilke lovbrudd?", "en": "Which offences?"},
    "cohorts.heading.privacy": {"nb": "Personvern: hva kan vises om små grupper?",
                                "en": "Privacy: what can be shown about small groups?"},
    "cohorts.heading.reading": {"nb": "Slik leser du tallene", "en": "How to read the figures"},
    # notes
    "cohorts.note.conventions": {
        "nb": "**Slik er tallene laget.** Et lovbrudd er en registrert sak (anmeldelse) der personen er "
              "registrert som mistenkt; en sak med tre mistenkte teller én gang for hver av dem. Antall lovbrudd "
              "per person telles per kalenderår etter registreringsdato, for saker registrert mens personen var "
              "{age_min}–{age_max} år (SaLTo regner gjengangere som unge under 18 år med minst 4 registrerte "
              "lovbrudd i året). Gruppene {groups} er personer med minst så mange lovbrudd i året. Rapporteringsåret "
              "er {year}. Tallene gjelder registrerte lovbrudd, ikke all kriminalitet: de påvirkes av hva som "
              "anmeldes og hva politiet prioriterer. Tabellen under viser hvilke registerrader som er brukt.",
        "en": "**How the figures are made.** An offence is a registered case (police report) in which the person "
              "is registered as a suspect; a case with three suspects counts once for each of them. Offences per "
              "person are counted per calendar year by registration date, for cases registered while the person "
              "was {age_min}–{age_max} (SaLTo counts as repeat offenders young people under 18 with at least 4 "
              "registered offences in a year). The groups {groups} are persons with at least that many offences "
              "in the year. The reporting year is {year}. The figures are registered offences, not all crime: they "
              "depend on what is reported and on police priorities. The table below shows which register rows "
              "are used.",
    },
    "cohorts.note.counts": {
        "nb": "Andelene er av alle mistenkte i aldersgruppen som ble registrert i året. Antall personer med mange "
              "lovbrudd er vist med et eksakt Poisson-intervall: det viser hvor mye tallet kunne variert av "
              "tilfeldige grunner alene, også om forholdene var uendret.",
        "en": "The shares are of all suspects in the age group registered in the year. The number of persons "
              "with many offences is shown with an exact Poisson interval: how much the figure could vary by "
              "chance alone, even if nothing had changed.",
    },
    "cohorts.note.concentration": {
        "nb": "**Hva andelene er av.** Andelene er av de mistenkte og deres lovbrudd, ikke av alle unge i Oslo. "
              "Når de fleste er registrert for bare ett eller to lovbrudd, samles lovbruddene på få personer "
              "også av rene tilfeldigheter, så konsentrasjon alene beviser ikke at en liten, fast gruppe står for "
              "det meste (Barnett & Lofaso 1984).",
        "en": "**What the shares are of.** The shares are of the suspects and their offences, not of all young "
              "people in Oslo. When most are registered for only one or two offences, the offences gather on few "
              "persons by chance alone, so concentration by itself does not prove that a small, fixed group "
              "commits most of them (Barnett & Lofaso 1984).",
    },
    "cohorts.note.chance_gini": {
        "nb": "Om alle de mistenkte hadde like stor risiko, ville Gini-koeffisienten likevel vært omtrent {chance} "
              "({level} % KI {chance_ci}); observert er den {observed} ({level} % KI {observed_ci}). Bare "
              "forskjellen mellom de to sier noe om at noen skiller seg ut.",
        "en": "If every suspect had the same risk, the Gini coefficient would still be about {chance} "
              "({level}% CI {chance_ci}); the observed one is {observed} ({level}% CI {observed_ci}). Only the "
              "difference between the two says that some stand out.",
    },
    "cohorts.note.bootstrap": {
        "nb": "Intervallene er bootstrap-intervaller ({n_boot} trekninger av de mistenkte med fast startverdi "
              "{seed}), så tallene blir like ved hver kjøring. Grupper som bare skiller seg fra en annen vist gruppe "
              "med noen få personer, vises ikke («:»), fordi forskjellen ville avslørt lovbruddene til de få.",
        "en": "The intervals are bootstrap intervals ({n_boot} resamples of the suspects with the fixed seed "
              "{seed}), so the figures are the same on every run. Groups that differ from another shown group by "
              "only a few persons are not shown (“:”), because the difference would reveal those few persons' "
              "offences.",
    },
    "cohorts.note.persistence": {
        "nb": "En kohort er personene med minst så mange lovbrudd som grensen i ett år. Hvert av de neste "
              "{follow_years} årene er hver person enten fortsatt over grensen, registrert med færre lovbrudd, "
              "eller ikke registrert. I oppfølgingen teller lovbrudd i alle aldre opp til 22 år, fordi man ikke "
              "slutter å begå lovbrudd når man fyller 18. «Ikke registrert» omfatter også dem som har flyttet fra "
              "Oslo; registeret kan ikke skille dem fra dem som har sluttet. Strekene viser 95 %-intervallet for "
              "andelen som fortsatt er over grensen (nederst) og for andelen som er registrert i det hele tatt "
              "(øverst).",
        "en": "A cohort is the persons with at least the threshold number of offences in one year. In each of "
              "the next {follow_years} years each person is still at or above the threshold, registered with "
              "fewer offences, or not registered. The follow-up counts offences at all ages up to 22, because "
              "offending does not stop at 18. “Not registered” also covers those who moved away from Oslo; the "
              "register cannot tell them from those who stopped. The bars show the 95% interval of the share "
              "still at or above the threshold (lower) and of the share registered at all (upper).",
    },
    "cohorts.note.right_censoring": {
        "nb": "**Høyresensurering:** dataene slutter i {year}, så disse kohortene er fulgt kortere enn "
              "{follow_years} år: {cohorts}.",
        "en": "**Right censoring:** the data end in {year}, so these cohorts are followed for fewer than "
              "{follow_years} years: {cohorts}.",
    },
    "cohorts.note.debut": {
        "nb": "Alder ved første registrering er alderen i den første saken der personen er registrert som "
              "mistenkt i dataene. **Venstresensurering:** for personer som var 11 år eller eldre i {first_year}, "
              "da dataene starter, kan den egentlige første registreringen ligge før {first_year}; den siste "
              "tabellen viser hvor mange det gjelder. «Fornærmet før første lovbrudd» betyr registrert som "
              "fornærmet i en sak med tidligere registreringsdato enn den første saken som mistenkt (samme dag "
              "regnes ikke som før). Dette er samvariasjon i registrerte data, ikke årsak; se også siden om overlapp "
              "mellom fornærmede og mistenkte.",
        "en": "Age at the first registration is the age in the first case in which the person is registered as "
              "a suspect in the data. **Left censoring:** for persons who were 11 or older in {first_year}, when "
              "the data begin, the true first registration may lie before {first_year}; the last table shows how "
              "many this concerns. “Victim before the first offence” means registered as a victim in a case with "
              "an earlier registration date than the first case as a suspect (the same day does not count as "
              "before). This is association in registered data, not cause; see also the page on the overlap of "
              "victims and suspects.",
    },
    "cohorts.note.reregistration": {
        "nb": "Kurvene viser den samlede andelen som er registrert som mistenkt på nytt, regnet fra første "
              "registrering, etter alder ved første registrering (Kaplan–Meier). Bare personer som var 10 år eller "
              "yngre i {first_year} er med, så første registrering i dataene er den første. En ny sak samme dag "
              "teller ikke. Oppfølgingen stopper 31. desember {year} eller ved utgangen av året personen fyller 22 "
              "(sensurering); tallene under figuren er hvor mange som fortsatt følges. For personvernet er måneder "
              "slått sammen slik at hvert trinn på kurven gjelder ingen eller minst {min_count} personer; tabellen "
              "viser derfor nærmeste måned med et trinn. De som debuterer tidlig, følges mens de er yngre, så "
              "kurvene sammenligner også ulike aldre.",
        "en": "The curves show the cumulative share registered as a suspect again, counted from the first "
              "registration, by age at the first registration (Kaplan–Meier). Only persons who were 10 or younger "
              "in {first_year} are included, so the first registration in the data is the first. A new case on the "
              "same day does not count. Follow-up stops on 31 December {year} or at the end of the year the person "
              "turns 22 (censoring); the numbers under the figure are how many are still followed. For privacy, "
              "months are merged so that every step of the curve concerns no one or at least {min_count} persons; "
              "the table therefore shows the nearest month with a step. Those with an early debut are followed "
              "while younger, so the curves also compare different ages.",
    },
    "cohorts.note.logrank": {
        "nb": "Hasardforholdet {hr} ({level} % KI {hr_ci}) sammenligner hvor raskt de som ble registrert første "
              "gang i 10–14 år ble registrert på nytt, med dem som var 15–17 år (over 1: raskere). Log-rank-testen "
              "av om kurvene er like: p = {p}.",
        "en": "The hazard ratio {hr} ({level}% CI {hr_ci}) compares how fast those first registered at 10–14 were "
              "registered again with those first registered at 15–17 (above 1: faster). Log-rank test of equal "
              "curves: p = {p}.",
    },
    "cohorts.note.logrank_hidden": {
        "nb": "Sammenligningen av kurvene kan ikke vises, fordi gruppene er for små.",
        "en": "The comparison of the curves cannot be shown because the groups are too small.",
    },
    "cohorts.note.mix": {
        "nb": "Andelen i hver gruppe som er registrert for minst ett lovbrudd av typen i året. En person kan være "
              "registrert for flere typer, så andelene summerer seg til mer enn 100 %. Personer, ikke lovbrudd, er "
              "telt, så intervallene holder selv om noen har mange saker.",
        "en": "The share of each group registered for at least one offence of the type in the year. A person can "
              "be registered for several types, so the shares add up to more than 100%. Persons, not offences, are "
              "counted, so the intervals hold even when some have many cases.",
    },
    "cohorts.note.privacy": {
        "nb": "Gruppene med mange lovbrudd er små. Fordelt på bydel, kjønn og alder samtidig ville nesten hver "
              "celle vært én eller noen få personer som kan kjennes igjen. Siden viser derfor bare inndelinger som "
              "tåler prikking, og tall under {min_count} personer vises ikke («:»), heller ikke tall som ville "
              "gjort det mulig å regne dem ut.",
        "en": "The groups with many offences are small. Broken down by district, sex and age at once, nearly "
              "every cell would be one or a few recognisable persons. The page therefore shows only breakdowns "
              "that survive suppression; counts under {min_count} persons are not shown (“:”), nor are figures "
              "from which they could be worked out.",
    },
    "cohorts.note.crossed": {
        "nb": "Bydel × kjønn × aldersgruppe for gruppen {group}: {hidden} av {cells} celler måtte skjules "
              "({privacy} med færre enn {min_count} personer, {secondary} for å hindre tilbakeregning, "
              "{reliability} fordi de er for usikre). Inndelingen vises ikke.",
        "en": "District × sex × age group for the {group} group: {hidden} of {cells} cells would have to be "
              "withheld ({privacy} with fewer than {min_count} persons, {secondary} to prevent back-calculation, "
              "{reliability} as too uncertain). The breakdown is not shown.",
    },
    "cohorts.note.breakdown_hidden": {
        "nb": "Gruppen {group} etter {dimension} vises ikke: {hidden} av {cells} celler måtte skjules.",
        "en": "The {group} group by {dimension} is not shown: {hidden} of {cells} cells would have to be "
              "withheld.",
    },
    "cohorts.note.sex_unknown": {
        "nb": "{n} personer i gruppen {group} har ikke registrert kjønn og er ikke med i fordelingen etter kjønn.",
        "en": "{n} persons in the {group} group have no registered sex and are not in the breakdown by sex.",
    },
    "cohorts.note.summary": {
        "nb": "Skjulte og usikre celler i tabellene på denne siden:",
        "en": "Withheld and uncertain cells in the tables of this page:",
    },
    "cohorts.note.reading": {
        "nb": "- Tallene er registrerte lovbrudd og mistenkte, ikke dømte personer og ikke all kriminalitet.\n"
              "- Alle tall har et 95 %-konfidensintervall. Når to intervaller overlapper mye, kan forskjellen skyldes "
              "tilfeldigheter.\n"
              "- Usikre tall er merket og vist lyst eller skravert; «:» betyr at tallet er skjult for personvernet "
              "(færre enn {min_count} personer) eller fordi det er for usikkert.\n"
              "- Gruppen med 10 eller flere lovbrudd er liten: tall for den svinger mye fra år til år.\n"
              "- At mange lovbrudd samles på få personer, og at fornærmede oftere blir mistenkt, er samvariasjon "
              "i registrerte data, ikke årsak.",
        "en": "- The figures are registered offences and suspects, not convicted persons and not all crime.\n"
              "- Every figure has a 95% confidence interval. When two intervals overlap a lot, the difference may "
              "be chance.\n"
              "- Uncertain figures are marked and drawn faded or hatched; “:” means the figure is withheld for "
              "privacy (fewer than {min_count} persons) or because it is too uncertain.\n"
              "- The group with 10 or more offences is small: its figures vary a lot from year to year.\n"
              "- That many offences gather on few persons, and that victims are more often suspects, is "
              "association in registered data, not cause.",
    },
    "cohorts.text.fewer_than": {"nb": "færre enn {min_count}", "en": "fewer than {min_count}"},
    "cohorts.text.year_one": {"nb": "år", "en": "year"},
    "cohorts.text.years": {"nb": "år", "en": "years"},
    # figures
    "cohorts.figure.lorenz_y": {"nb": "Samlet andel av lovbruddene (%)", "en": "Cumulative share of offences (%)"},
    "cohorts.figure.equal_shares": {"nb": "Lik fordeling", "en": "Equal shares"},
    "cohorts.figure.at_or_above": {"nb": "Fortsatt over grensen", "en": "Still at or above the threshold"},
    "cohorts.figure.below": {"nb": "Registrert, under grensen", "en": "Registered, below the threshold"},
    "cohorts.figure.not_registered": {"nb": "Ikke registrert", "en": "Not registered"},
    "cohorts.figure.cohort_x": {"nb": "Kohort (år) og år etter", "en": "Cohort (year) and years after"},
    "cohorts.figure.cohort_y": {"nb": "Kohort {group}: andel (%)", "en": "Cohort {group}: share (%)"},
})
# --- end cohorts

# --- drug use (salto_analysis.drug_use, notebook 04) --------------------------------------
TEXT.update({
    # headers of the drug-use grouping columns (read by tables.column_label)
    "tables.col.indicator": {"nb": "Indikator", "en": "Indicator"},
    "tables.col.school_level": {"nb": "Skoleslag", "en": "School level"},
    # indicators (salto_analysis.drug_use.INDICATORS)
    "drug_use.indicator.drunk": {"nb": "Beruset siste 12 måneder", "en": "Drunk in the last 12 months"},
    "drug_use.indicator.cannabis": {"nb": "Cannabis siste 12 måneder", "en": "Cannabis in the last 12 months"},
    "drug_use.indicator.other_drugs": {"nb": "Andre narkotiske stoffer siste 12 måneder",
                                       "en": "Other illegal drugs in the last 12 months"},
    "drug_use.indicator.cocaine": {"nb": "Kokain siste 12 måneder", "en": "Cocaine in the last 12 months"},
    "drug_use.indicator.nitrous_oxide": {"nb": "Lystgass siste 12 måneder",
                                         "en": "Nitrous oxide in the last 12 months"},
    "drug_use.indicator.vaping": {"nb": "E-sigarett/vape siste 12 måneder", "en": "Vaping in the last 12 months"},
    "drug_use.indicator.pro_legalisation": {"nb": "Positiv til legalisering av cannabis",
                                            "en": "In favour of legalising cannabis"},
    "drug_use.rule.frequency": {
        "nb": "Ja: svar 2–5 («1 gang» til «11 ganger eller mer»). Nei: svar 1 («Nei, aldri siste 12 måneder»). "
              "Ubesvart: holdt utenfor og talt.",
        "en": "Yes: answers 2–5 (“once” to “11 times or more”). No: answer 1 (“No, not in the last 12 months”). "
              "No answer: left out and counted.",
    },
    "drug_use.rule.legal": {
        "nb": "Ja: svar 1 («Ja»). Nei: svar 2 («Nei») og 3 («Vet ikke») – «Vet ikke» er med i nevneren. "
              "Ubesvart: holdt utenfor og talt.",
        "en": "Yes: answer 1 (“Yes”). No: answers 2 (“No”) and 3 (“Don't know”) – “Don't know” stays in the "
              "denominator. No answer: left out and counted.",
    },
    "drug_use.source.frequency": {
        "nb": "Ungdata/FHI (folkehelseprofil): minst én gang de siste 12 månedene",
        "en": "Ungdata/FHI (public-health profile): at least once in the last 12 months",
    },
    "drug_use.source.legal": {
        "nb": "Ung i Oslo/Ungdata: andel som svarer «Ja» av alle som har svart",
        "en": "Ung i Oslo/Ungdata: share answering “Yes” of all who answered",
    },
    "drug_use.def.indicator": {"nb": "Indikator", "en": "Indicator"},
    "drug_use.def.item": {"nb": "Spørsmål i dataene", "en": "Item in the data"},
    "drug_use.def.rule": {"nb": "Regel", "en": "Rule"},
    "drug_use.def.source": {"nb": "Definisjon", "en": "Definition"},
    "drug_use.school_level.lower_secondary": {"nb": "Ungdomsskole (8.–10. trinn)",
                                              "en": "Lower secondary (grades 8–10)"},
    "drug_use.school_level.upper_secondary": {"nb": "Videregående (VG1–VG3)", "en": "Upper secondary (VG1–VG3)"},
    "drug_use.grade.all": {"nb": "Alle trinn", "en": "All grades"},
    "drug_use.sex.female": {"nb": "jenter", "en": "girls"},
    "drug_use.sex.male": {"nb": "gutter", "en": "boys"},
    "drug_use.share_subject": {"nb": "Andelen", "en": "The share"},
    # notebook 04: titles and headings
    "drug_use.title": {"nb": "Rusbruk blant ungdom i Oslo: utvikling i Ung i Oslo",
                       "en": "Substance use among Oslo youth: trends in Ung i Oslo"},
    "drug_use.h.definitions": {"nb": "Hvordan indikatorene er laget", "en": "How the indicators are defined"},
    "drug_use.h.nonresponse": {"nb": "Ubesvarte spørsmål", "en": "Item non-response"},
    "drug_use.h.prevalence": {"nb": "Andel etter undersøkelsesår, trinn og kjønn",
                              "en": "Prevalence by survey year, grade and sex"},
    "drug_use.h.trends": {"nb": "Utviklingen over tid", "en": "Trends over time"},
    "drug_use.h.change": {"nb": "Endring siden forrige undersøkelse og trend over tid",
                          "en": "Change since the previous survey and trend over time"},
    "drug_use.h.districts": {"nb": "Bydeler i {wave}", "en": "Districts in {wave}"},
    "drug_use.h.reading": {"nb": "Slik leser du tallene", "en": "How to read the figures"},
    "drug_use.t.definitions": {"nb": "Definisjoner av indikatorene", "en": "Indicator definitions"},
    "drug_use.t.nonresponse": {"nb": "Andel som ikke svarte på spørsmålet", "en": "Share who did not answer the item"},
    "drug_use.t.prevalence": {"nb": "Andel (%) etter år, skoleslag, trinn og kjønn",
                              "en": "Prevalence (%) by year, school level, grade and sex"},
    "drug_use.t.headline": {"nb": "Andel elever i videregående skole (VG1–VG3) i {wave}",
                            "en": "Share of upper secondary pupils (VG1–VG3) in {wave}"},
    "drug_use.t.prevalence_latest": {"nb": "Andel (%) i {wave} med intervall, utvalg og designeffekt",
                                     "en": "Prevalence (%) in {wave} with interval, sample size and design effect"},
    "drug_use.t.change": {"nb": "Endring i prosentpoeng fra {wave_from} til {wave_to}",
                          "en": "Change in percentage points from {wave_from} to {wave_to}"},
    "drug_use.t.trend": {"nb": "Trend {wave_from}–{wave_to}: oddsforhold per år",
                         "en": "Trend {wave_from}–{wave_to}: odds ratio per year"},
    "drug_use.t.districts": {"nb": "Andel (%) etter bydel i {wave}, sammenlignet med hele Oslo",
                             "en": "Prevalence (%) by district in {wave}, compared with the whole city"},
    "drug_use.fig.trend": {"nb": "{indicator}", "en": "{indicator}"},
    "drug_use.fig.district": {"nb": "{indicator}, {wave}", "en": "{indicator}, {wave}"},
    "drug_use.fig.city": {"nb": "Hele Oslo ({level} % KI)", "en": "Whole city ({level}% CI)"},
    "drug_use.fig.wave": {"nb": "Undersøkelsesår", "en": "Survey year"},
    # notebook 04: text
    "drug_use.intro": {
        "nb": "Siden viser hvor mange elever i Ung i Oslo som har brukt rusmidler siste 12 måneder, med "
              "konfidensintervaller som tar hensyn til at elevene går i samme skoler. Indikatorer: {indicators}. "
              "Undersøkelsesår: {waves}.",
        "en": "This page shows how many pupils in Ung i Oslo used substances in the last 12 months, with "
              "confidence intervals that take into account that pupils attend the same schools. Indicators: "
              "{indicators}. Survey years: {waves}.",
    },
    "drug_use.note.design.strata": {
        "nb": "Beregningen er designbasert: skolene er klynger, bydelene er strata og hvert undersøkelsesår er "
              "et eget utvalg{weights}.",
        "en": "The estimates are design-based: schools are clusters, districts are strata and each survey year "
              "is a sample of its own{weights}.",
    },
    "drug_use.note.design.no_strata": {
        "nb": "Beregningen er designbasert: skolene er klynger og hvert undersøkelsesår er et eget utvalg{weights}. "
              "Bydelene brukes ikke som strata fordi {why}.",
        "en": "The estimates are design-based: schools are clusters and each survey year is a sample of its own"
              "{weights}. Districts are not used as strata because {why}.",
    },
    "drug_use.note.why.not_nested": {"nb": "en skole kan ha elever fra flere bydeler",
                                     "en": "a school can have pupils from several districts"},
    "drug_use.note.why.lonely": {"nb": "noen bydeler har bare én skole i et undersøkelsesår",
                                 "en": "some districts have only one school in a survey year"},
    "drug_use.note.why.no_district": {"nb": "dataene mangler bydel", "en": "the data has no district"},
    "drug_use.note.weights": {"nb": ", med vektene i dataene", "en": ", using the weights in the data"},
    "drug_use.note.no_weights": {"nb": " (uten vekter)", "en": " (unweighted)"},
    "drug_use.note.excluded": {
        "nb": "{n} elever uten oppgitt {what} er holdt utenfor alle tabellene.",
        "en": "{n} pupils without a recorded {what} are left out of all tables.",
    },
    "drug_use.note.excluded_none": {"nb": "Ingen elever er holdt utenfor.", "en": "No pupil is left out."},
    "drug_use.note.nonresponse": {
        "nb": "Elever som ikke har svart på et spørsmål, er holdt utenfor andelen for det spørsmålet. "
              "Tabellen viser hvor mange det gjelder.",
        "en": "Pupils who did not answer an item are left out of the share for that item. "
              "The table shows how many.",
    },
    "drug_use.note.prevalence": {
        "nb": "Tabellene viser andelen med konfidensintervall for hvert år, én tabell per indikator; «Alle "
              "trinn» er hele skoleslaget. Antall svar, effektivt utvalg og designeffekt for alle år står i den "
              "publiserte tabellen; tabellen under viser dem for {wave}.",
        "en": "The tables show the share with its confidence interval for each year, one table per indicator; "
              "“All grades” is the whole school level. Number of answers, effective sample size and design "
              "effect for every year are in the published table; the table below shows them for {wave}.",
    },
    "drug_use.note.trends": {
        "nb": "Linjene viser andelen per skoleslag og kjønn; det skraverte båndet er {level} % "
              "konfidensintervall. Usikre punkter er lyse; skjulte punkter er utelatt.",
        "en": "The lines show the share by school level and sex; the shaded band is the {level}% confidence "
              "interval. Uncertain points are faded; withheld points are left out.",
    },
    "drug_use.note.change": {
        "nb": "Endringen er forskjellen i andel mellom {wave_from} og {wave_to}, med standardfeil som tar hensyn "
              "til at de samme skolene er med begge årene. Trenden er en logistisk regresjon på undersøkelsesår "
              "({wave_first}–{wave_to}) med designbaserte standardfeil (skoler som klynger), som R-pakken survey "
              "(svyglm); oddsforholdet per år er over 1 når andelen øker og under 1 når den synker. "
              "P-verdiene er justert med Benjamini–Hochberg-metoden over alle radene i hver tabell "
              "({n_change} endringer og {n_trend} trender), slik at andelen falske funn holdes under 5 %; "
              "setningene over bruker de justerte p-verdiene. Endring og trend er bare regnet ut der alle "
              "andelene de bygger på, kan vises.",
        "en": "The change is the difference in share between {wave_from} and {wave_to}, with a standard error "
              "that allows for the same schools taking part in both years. The trend is a logistic regression on "
              "the survey year ({wave_first}–{wave_to}) with design-based standard errors (schools as clusters), "
              "as R's survey package (svyglm); the odds ratio per year is above 1 when the share rises and below "
              "1 when it falls. The p-values are adjusted with the Benjamini–Hochberg method across all rows of "
              "each table ({n_change} changes and {n_trend} trends), which keeps the expected share of false "
              "discoveries under 5%; the sentences above use the adjusted p-values. Change and trend are computed "
              "only where every share they rest on can be shown.",
    },
    "drug_use.note.not_computed": {
        "nb": "Ikke beregnet fordi en andel de bygger på er skjult (:): {groups}.",
        "en": "Not computed because a share they rest on is withheld (:): {groups}.",
    },
    "drug_use.note.one_wave": {
        "nb": "Bare ett undersøkelsesår er valgt, så endring og trend kan ikke beregnes.",
        "en": "Only one survey year is selected, so change and trend cannot be computed.",
    },
    "drug_use.note.districts": {
        "nb": "Bydelstall bygger på få skoler og elever, så mange er merket usikre eller skjult. Det er poenget: "
              "forskjeller mellom bydeler må leses med intervallene. Bydelene står i kodeorden, ikke rangert. "
              "Bydel er {district_meaning}.",
        "en": "District figures rest on few schools and pupils, so many are flagged as uncertain or withheld. "
              "That is the point: differences between districts must be read with their intervals. Districts are "
              "in code order, not ranked. District means {district_meaning}.",
    },
    "drug_use.note.district_meaning": {"nb": "skolens eller elevens bydel slik den står i dataene",
                                       "en": "the school's or pupil's district as recorded in the data"},
    "drug_use.note.districts_off": {
        "nb": "Bydelstall er ikke med i denne kjøringen (de slås på med parameteren district_breakdown).",
        "en": "District figures are not part of this run (the parameter district_breakdown turns them on).",
    },
    "drug_use.reading.census": {
        "nb": "**Ung i Oslo er ikke et tilfeldig utvalg.** Alle elever fra 8. trinn til VG3 blir invitert. "
              "Et konfidensintervall her sier derfor ikke hvor mye tallet kunne variert med et annet utvalg fra "
              "en liste, men hvor usikkert det er på grunn av frafall (elever som ikke svarte) og variasjon "
              "mellom skoler.",
        "en": "**Ung i Oslo is not a random sample.** All pupils from grade 8 to VG3 are invited. A confidence "
              "interval here therefore does not say how much the figure could vary with another sample from a "
              "list, but how uncertain it is because of non-response (pupils who did not answer) and variation "
              "between schools.",
    },
    "drug_use.reading.response_rate": {
        "nb": "Svarprosent i dataene: {rates}.",
        "en": "Response rate in the data: {rates}.",
    },
    "drug_use.reading.no_response_rate": {
        "nb": "Dataene oppgir ikke svarprosenten (antall inviterte elever mangler), så den kan ikke oppgis her. "
              "Jo lavere svarprosent, jo mer kan frafall skjevvri tallene, uten at intervallene fanger det opp.",
        "en": "The data does not give the response rate (the number of invited pupils is missing), so it cannot "
              "be stated here. The lower the response rate, the more non-response can bias the figures, without "
              "the intervals showing it.",
    },
    "drug_use.reading.deff": {
        "nb": "**Designeffekten** sier hvor mye større usikkerheten er fordi elever i samme skole ligner hverandre, "
              "sammenlignet med et tilfeldig utvalg av like mange elever.",
        "en": "The **design effect** says how much larger the uncertainty is because pupils in the same school "
              "resemble each other, compared with a random sample of as many pupils.",
    },
    "drug_use.reading.deff_median": {
        "nb": "Her er medianen {deff}: {n} svar gir omtrent like sikre tall som {n_eff} tilfeldig valgte elever.",
        "en": "Here the median is {deff}: {n} answers give about as precise figures as {n_eff} randomly chosen "
              "pupils.",
    },
    "drug_use.reading.flags": {
        "nb": "Tall merket usikre er lyse i tabellene og figurene; tall som ikke kan vises, står som «:». "
              "Grensen for å vise et antall er {min_count} elever.",
        "en": "Figures marked uncertain are faded in the tables and figures; figures that cannot be shown "
              "appear as “:”. The threshold for showing a count is {min_count} pupils.",
    },
})
# --- end drug use


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise a clear ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r} is not supported; use 'nb' (Norwegian bokmål) or 'en' (English)")
    return lang


def t(key: str, lang: str = "nb", /, **fields) -> str:
    """The text for ``key`` in ``lang``, formatted with ``fields``.

    >>> t("common.synthetic_banner", "en")[:14]
    'SYNTHETIC DATA'
    """
    check_lang(lang)
    try:
        entry = TEXT[key]
    except KeyError:
        raise KeyError(f"no report text for {key!r}; add it to salto_analysis/labels.py") from None
    text = entry[lang]
    return text.format(**fields) if fields else text


from salto_analysis.figure_labels_new import TEXT as _FIGURE_TEXT; TEXT.update(_FIGURE_TEXT)  # noqa: E402, I001
