"""Report text: Notebook 00: data and data quality."""

TEXT: dict[str, dict[str, str]] = {
    "quality.no_input": {"nb": "Denne inndatafila er ikke med i datamappen, så tabellen kan ikke lages.",
                         "en": "This input file is not in the data folder, so the table cannot be made."},
    "quality.not_shown.no_register_rows": {
        "nb": "Registeret har ingen rader med alder 10–22 år til og med {year}, så tabellen kan ikke lages.",
        "en": "The register has no rows with ages 10–22 up to {year}, so the table cannot be made.",
    },
    "quality.not_shown.no_population_rows": {
        "nb": "Befolkningsfila har ingen innbyggere 10–22 år til og med {year}, så tabellen kan ikke lages.",
        "en": "The population file has no residents aged 10–22 up to {year}, so the table cannot be made.",
    },
    "quality.not_shown.no_survey_rows": {
        "nb": "Ung i Oslo har ingen undersøkelsesår til og med {year}, så tabellen kan ikke lages.",
        "en": "Ung i Oslo has no survey year up to {year}, so the table cannot be made.",
    },
    "quality.not_shown.no_missing": {
        "nb": "Ingen verdier mangler i dataene til og med {year}.",
        "en": "No value is missing in the data up to {year}.",
    },
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
    "quality.fewer_than": {"nb": "færre enn {min_count}", "en": "fewer than {min_count}"},
}
