"""Report text: Notebook 02: victim-offender overlap."""

TEXT: dict[str, dict[str, str]] = {
    # table names (by TableMeta.measure, used in warnings)
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
        "en": "Odds ratio and risk ratio of being registered as a suspect: victims compared with others",
    },
    "overlap.title.relative_odds_total": {"nb": "Oddsforhold og relativ risiko, fornærmede mot andre (i alt)",
                                          "en": "Odds ratio and risk ratio, victims compared with others (total)"},
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
              "risikofaktorer, miljø og politiets oppmerksomhet kan gi det samme mønsteret. Når en "
              "celle i firefeltstabellen har færre enn {exact_below} personer, vises også et intervall som holder "
              "bedre med små tall. Relativ "
              "risiko er andelen mistenkte blant fornærmede delt på andelen blant de andre.",
        "en": "**Association, not cause.** That victims are more often registered as suspects is an association in "
              "registered data. It does not show that being a victim leads to offending: shared risk factors, "
              "surroundings and police attention can produce the same pattern. When a cell "
              "of the 2×2 table holds fewer than {exact_below} persons, an interval that holds up better with small "
              "numbers is shown too. The "
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
              "gang i {first_data_year}, kan ha vært registrert før, og rekkefølgen deres kan "
              "være feil. Tabellen under viser hvor mange det gjelder.",
        "en": "**Order.** For persons in both roles, the date of the first registration as a victim is compared "
              "with the date of the first registration as a suspect, in all years of the data from "
              "{first_data_year} to {year}. *Same day* includes persons registered in both roles in the same case, "
              "for example in a mutual fight. History before {first_data_year} is unknown: persons first registered "
              "in {first_data_year} may have been registered before, and their order may be wrong. "
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
}
