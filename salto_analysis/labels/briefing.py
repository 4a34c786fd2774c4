"""Report text: The briefing's index page, run details and runner messages."""

TEXT: dict[str, dict[str, str]] = {
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
    "briefing.git_clean": {"nb": "ingen endringer som ikke er lagret i git", "en": "no uncommitted changes"},
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
    # the key findings on the index (salto_analysis.briefing.findings)
    "briefing.findings": {"nb": "Viktigste funn", "en": "Key findings"},
    "briefing.findings_intro": {
        "nb": "Tallene i parentes er {level} % konfidensintervall (KI): området der det sanne tallet trolig ligger. "
              "Hvert funn lenker til tabellen eller figuren det bygger på.",
        "en": "The figures in brackets are {level}% confidence intervals (CI): the range in which the true value "
              "probably lies. Each finding links to the table or figure it comes from.",
    },
    "briefing.no_findings": {"nb": "Ingen side har tall til en oppsummering.",
                             "en": "No page has figures for a summary."},
    "briefing.finding.link": {"nb": "Se tallene", "en": "See the figures"},
    "briefing.finding.link_label": {"nb": "Se tallene på siden «{page}»", "en": "See the figures on the page “{page}”"},
    "briefing.finding.level": {
        "nb": "I {year} ble {count} unge registrert som mistenkt i minst én sak, {rate} innbyggere i samme alder "
              "({ci}).",
        "en": "In {year}, {count} young people were registered as suspects in at least one case, {rate} residents "
              "of the same age ({ci}).",
    },
    "briefing.finding.level_cases": {"nb": "Politiet registrerte {count} anmeldte saker med unge mistenkte.",
                                     "en": "The police registered {count} reported cases with young suspects."},
    "briefing.finding.change_subject": {"nb": "Antallet mistenkte per innbygger",
                                        "en": "The number of suspects per resident"},
    "briefing.finding.change_previous": {"nb": "Fra {prev} til {year}: {sentence}.",
                                         "en": "From {prev} to {year}: {sentence}."},
    "briefing.finding.change_mean": {"nb": "Sammenlignet med gjennomsnittet for {span}: {sentence}.",
                                     "en": "Compared with the average of {span}: {sentence}."},
    "briefing.finding.change_mean_nospan": {"nb": "Sammenlignet med gjennomsnittet for de foregående årene: {sentence}.",
                                            "en": "Compared with the average of the previous years: {sentence}."},
    "briefing.finding.overlap": {
        "nb": "Av de unge som ble registrert som mistenkt i {span}, var {suspects} ({suspects_ci}) også registrert "
              "som fornærmet; av dem som ble registrert som fornærmet, var {victims} ({victims_ci}) også registrert "
              "som mistenkt.",
        "en": "Of the young people registered as suspects in {span}, {suspects} ({suspects_ci}) were also "
              "registered as victims; of those registered as victims, {victims} ({victims_ci}) were also "
              "registered as suspects.",
    },
    "briefing.finding.overlap_nospan": {
        "nb": "Av de unge som ble registrert som mistenkt, var {suspects} ({suspects_ci}) også registrert som "
              "fornærmet; av dem som ble registrert som fornærmet, var {victims} ({victims_ci}) også registrert "
              "som mistenkt.",
        "en": "Of the young people registered as suspects, {suspects} ({suspects_ci}) were also registered as "
              "victims; of those registered as victims, {victims} ({victims_ci}) were also registered as suspects.",
    },
    "briefing.finding.ratio_higher": {
        "nb": "Unge som var registrert som fornærmet, ble {ratio} ganger så ofte registrert som mistenkt som andre "
              "unge på samme alder ({ci}).",
        "en": "Young people registered as victims were registered as suspects {ratio} times as often as other "
              "young people of the same age ({ci}).",
    },
    "briefing.finding.ratio_lower": {
        "nb": "Unge som var registrert som fornærmet, ble sjeldnere registrert som mistenkt enn andre unge på samme "
              "alder: {ratio} ganger så ofte ({ci}).",
        "en": "Young people registered as victims were registered as suspects less often than other young people "
              "of the same age: {ratio} times as often ({ci}).",
    },
    "briefing.finding.ratio_chance": {
        "nb": "Unge som var registrert som fornærmet, ble ikke sikkert oftere eller sjeldnere registrert som "
              "mistenkt enn andre unge: forskjellen ({ratio} ganger så ofte, {ci}) er innenfor det som kan skyldes "
              "tilfeldig variasjon.",
        "en": "Young people registered as victims were not clearly more or less often registered as suspects than "
              "other young people: the difference ({ratio} times as often, {ci}) is within what chance variation "
              "could produce.",
    },
    "briefing.finding.order": {
        "nb": "Av de {n} som var registrert i begge roller, ble {victim_first} ({victim_ci}) registrert som "
              "fornærmet før de ble registrert som mistenkt, og {suspect_first} ({suspect_ci}) omvendt.",
        "en": "Of the {n} persons registered in both roles, {victim_first} ({victim_ci}) were registered as "
              "victims before they were registered as suspects, and {suspect_first} ({suspect_ci}) the other way "
              "round.",
    },
    "briefing.finding.groups": {
        "nb": "De {k} av {n} mistenkte som hadde {threshold} eller flere lovbrudd i {year}, sto for {share} "
              "av lovbruddene ({ci}).",
        "en": "The {k} of {n} suspects with {threshold} or more offences in {year} accounted for {share} of the "
              "offences ({ci}).",
    },
    "briefing.finding.groups_more": {
        "nb": "De {k} med {threshold} eller flere sto for {share} ({ci}).",
        "en": "The {k} with {threshold} or more accounted for {share} ({ci}).",
    },
    "briefing.finding.drug": {
        "nb": "{indicator}, elever i videregående skole. {parts}.",
        "en": "{indicator}, upper secondary pupils. {parts}.",
    },
    "briefing.finding.drug_subject": {"nb": "Andelen", "en": "The share"},
    "briefing.finding.drug_female": {"nb": "Blant jentene var andelen {before} ved forrige undersøkelse og {now} nå. {sentence}",
                                     "en": "Girls: {before} in the previous survey and {now} now. {sentence}"},
    "briefing.finding.drug_male": {"nb": "Blant guttene var andelen {before} ved forrige undersøkelse og {now} nå. {sentence}",
                                   "en": "Boys: {before} in the previous survey and {now} now. {sentence}"},
    # the index's summary of uncertain and withheld figures, and the appendix page with the full list
    "briefing.uncertainty": {"nb": "Hva er usikkert?", "en": "What is uncertain?"},
    "briefing.uncertain_named": {
        "nb": "{n} tall er usikre og bør leses med forsiktighet. De står i disse tabellene og figurene:",
        "en": "{n} figures are uncertain and should be read with care. They are in these tables and figures:",
    },
    "briefing.no_uncertain": {"nb": "Ingen tall er merket usikre.", "en": "No figure is marked uncertain."},
    "briefing.withheld_per_page": {
        "nb": "Tall som er skjult («:») fordi de gjelder for få personer eller er for usikre, per side:",
        "en": "Figures withheld (“:”) because they concern too few persons or are too uncertain, per page:",
    },
    "briefing.withheld_count": {"nb": "{n} skjult", "en": "{n} withheld"},
    "briefing.uncertain_in_table": {"nb": "{n} usikre tall", "en": "{n} uncertain figures"},
    "briefing.uncertain_one": {"nb": "1 usikkert tall", "en": "1 uncertain figure"},
    "briefing.flagged_page_link": {"nb": "Hele listen over usikre og skjulte tall, med begrunnelse",
                                   "en": "The full list of uncertain and withheld figures, with the reasons"},
    "briefing.flagged_page_title": {"nb": "Vedlegg: usikre og skjulte tall", "en": "Appendix: uncertain and withheld figures"},
    "briefing.previous_page": {"nb": "Forrige side", "en": "Previous page"},
    "briefing.next_page": {"nb": "Neste side", "en": "Next page"},
    "briefing.page_nav": {"nb": "Sidene i kunnskapsgrunnlaget", "en": "Pages of the briefing"},
    "briefing.appendix": {"nb": "Teknisk vedlegg", "en": "Technical appendix"},
    "briefing.appendix_section": {"nb": "vedlegg", "en": "appendix"},
    "briefing.appendix_hint": {
        "nb": "Metoder, kontroller og lange tabeller. Klikk for å åpne; vedlegget skrives alltid ut.",
        "en": "Methods, checks and long tables. Click to open; the appendix is always printed.",
    },
    "briefing.page_nav_end": {"nb": "Videre lesing", "en": "Continue reading"},
}
