"""Report text: Notebook 04: drug use (Ung i Oslo)."""

TEXT: dict[str, dict[str, str]] = {
    # indicators (salto_analysis.drug_use.INDICATORS)
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
    "drug_use.note.one_school": {
        "nb": "Undersøkelsesår med svar fra bare én skole er ikke med i tabellene: {waves} ({n} elever). Skolene er "
              "klyngene i utvalget, så med én skole kan usikkerheten ikke beregnes, og én skole er ikke hele byen.",
        "en": "Survey years answered by one school only are not in the tables: {waves} ({n} pupils). The schools are "
              "the clusters of the sample, so with one school the uncertainty cannot be estimated, and one school is "
              "not the whole city.",
    },
    "drug_use.not_shown.no_change": {
        "nb": "Ingen endring fra {wave_from} til {wave_to} kan beregnes: alle andelene den ville bygge på, er skjult "
              "(:) i tabellen over.",
        "en": "No change from {wave_from} to {wave_to} can be computed: every share it would rest on is withheld (:) "
              "in the table above.",
    },
    "drug_use.not_shown.no_trend": {
        "nb": "Ingen trend kan beregnes: alle andelene den ville bygge på, er skjult (:) i tabellen over.",
        "en": "No trend can be computed: every share it would rest on is withheld (:) in the table above.",
    },
    "drug_use.not_shown.no_waves": {
        "nb": "Ingen av de valgte undersøkelsesårene har svar fra minst to skoler, så ingen andeler kan beregnes.",
        "en": "None of the chosen survey years has answers from at least two schools, so no shares can be computed.",
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
              "({wave_first}–{wave_to}) med standardfeil som tar hensyn til at elevene er trukket "
              "skolevis; oddsforholdet per år er over 1 når andelen øker og under 1 når den synker. "
              "P-verdiene er justert med Benjamini–Hochberg-metoden over alle radene i hver tabell "
              "({n_change} endringer og {n_trend} trender), slik at andelen falske funn holdes under 5 %; "
              "setningene over bruker de justerte p-verdiene. Endring og trend er bare regnet ut der alle "
              "andelene de bygger på, kan vises.",
        "en": "The change is the difference in share between {wave_from} and {wave_to}, with a standard error "
              "that allows for the same schools taking part in both years. The trend is a logistic regression on "
              "the survey year ({wave_first}–{wave_to}) with standard errors that allow for the pupils "
              "being sampled school by school; the odds ratio per year is above 1 when the share rises and below "
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
    "drug_use.t.districts_smoothed": {
        "nb": "Utjevnet andel (%) etter bydel i {wave} (småområdemodell)",
        "en": "Smoothed share (%) by district in {wave} (small-area model)",
    },
    "drug_use.t.districts_compare": {
        "nb": "Andel (%) etter bydel i {wave}: direkte fra undersøkelsen og utjevnet",
        "en": "Share (%) by district in {wave}: directly from the survey and smoothed",
    },
    "drug_use.not_shown.smoothed_few": {
        "nb": "Utjevnede bydelstall beregnes ikke: for få bydeler har tall som kan brukes (minst 3 trengs).",
        "en": "Smoothed district figures are not computed: too few districts have figures that can be used (at "
              "least 3 are needed).",
    },
    "drug_use.note.smoothed": {
        "nb": "**Utjevnede bydelstall.** Et bydelstall rett fra undersøkelsen bygger på elevene i noen få skoler og "
              "blir derfor usikkert. Det utjevnede tallet trekker bydelens tall et stykke mot gjennomsnittet for "
              "bydelene: langt når bydelens eget tall er usikkert (få elever eller store forskjeller mellom "
              "skolene), nesten ikke når det er sikkert. Det gir tall som svinger mindre av tilfeldigheter og "
              "smalere intervaller, men også tall som ligger litt nærmere hverandre enn bydelene kanskje gjør. "
              "Bydeler som er skjult for personvernet i tabellen over, er skjult her også og er ikke med i "
              "beregningen.",
        "en": "**Smoothed district figures.** A district figure taken straight from the survey rests on the pupils "
              "of a few schools and is therefore uncertain. The smoothed figure pulls the district's figure some "
              "way towards the average of the districts: far when the district's own figure is uncertain (few "
              "pupils or large differences between schools), hardly at all when it is reliable. That gives "
              "figures that swing less by chance and narrower intervals, but also figures that lie somewhat closer "
              "to each other than the districts perhaps do. Districts withheld for privacy in the table above are "
              "withheld here too and are left out of the calculation.",
    },
    "drug_use.note.smoothed_variance": {
        "nb": "For disse bydelene var usikkerheten i undersøkelsestallet selv for usikker til å brukes (for få "
              "skoler, eller ingen eller alle svarte ja), så den er erstattet med et anslag ut fra antall elever: "
              "{districts}.",
        "en": "For these districts the uncertainty of the survey figure was itself too uncertain to use (too few "
              "schools, or no one or everyone answered yes), so it is replaced by an estimate from the number of "
              "pupils: {districts}.",
    },
    "drug_use.note.smoothed_variance_none": {
        "nb": "For alle bydelene som vises, er usikkerheten i undersøkelsestallet brukt som den er.",
        "en": "For every district shown, the uncertainty of the survey figure is used as it is.",
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
    # accessible figures: alt text, the data table beside each figure, legends
    "drug_use.fig.group_sex": {"nb": "Skoleslag og kjønn", "en": "School level and sex"},
}
