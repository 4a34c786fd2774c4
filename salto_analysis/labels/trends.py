"""Report text: Notebook 01: registered youth crime."""

TEXT: dict[str, dict[str, str]] = {
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
    "trends.heading.reading": {"nb": "Slik leser du tallene", "en": "How to read the figures"},
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
    "trends.title.district_rates": {
        "nb": "Unike mistenkte {ages} i {year} per 1 000 innbyggere etter bostedsbydel: rå, aldersjustert og "
              "utjevnet rate",
        "en": "Unique suspects {ages} in {year} per 1,000 residents by home district: crude, age-adjusted and "
              "smoothed rate",
    },
    "trends.title.district_ratios": {
        "nb": "Bydelene sammenlignet med hele Oslo i {year}: raten som forhold til Oslo-raten, plassering mot "
              "kontrollgrensene og mulig rangering",
        "en": "The districts compared with the whole of Oslo in {year}: the rate relative to the Oslo rate, "
              "position against the control limits and possible rank",
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
    # why a figure or table is not shown (small data)
    "trends.not_shown.no_previous": {
        "nb": "Endringen fra året før kan ikke beregnes: registeret begynner i {first_data_year}, så det finnes "
              "ingen tall for {prev}.",
        "en": "The change from the year before cannot be computed: the register starts in {first_data_year}, so "
              "there are no figures for {prev}.",
    },
    "trends.not_shown.no_reference": {
        "nb": "Sammenligningen med gjennomsnittet av de {n_ref} foregående årene ({ref_first}–{ref_last}) kan ikke "
              "gjøres: registeret begynner i {first_data_year}.",
        "en": "The comparison with the average of the {n_ref} previous years ({ref_first}–{ref_last}) cannot be "
              "made: the register starts in {first_data_year}.",
    },
    "trends.not_shown.one_year": {
        "nb": "Registeret begynner i {year}, så perioden har bare ett år, og utviklingen over tid kan ikke "
              "beregnes.",
        "en": "The register starts in {year}, so the period has a single year and the development over time "
              "cannot be computed.",
    },
    "trends.not_shown.funnel_none": {
        "nb": "Ingen unge {ages} med kjent bostedsbydel er registrert som mistenkt i {year}, så figuren med "
              "kontrollgrenser kan ikke tegnes.",
        "en": "No young people {ages} with a known home district were registered as suspects in {year}, so the "
              "figure with control limits cannot be drawn.",
    },
    "trends.not_shown.funnel_withheld": {
        "nb": "Figuren med kontrollgrenser vises ikke: raten for hele Oslo i {year} er skjult (se tabellen over "
              "bydelene), og uten den er det ingen referanselinje å tegne grensene rundt.",
        "en": "The figure with control limits is not shown: the rate for the whole of Oslo in {year} is withheld "
              "(see the table of districts), and without it there is no reference line to draw the limits around.",
    },
    "trends.not_shown.comparison_withheld": {
        "nb": "Bydelene kan ikke sammenlignes med Oslo: raten for hele Oslo i {year} er skjult.",
        "en": "The districts cannot be compared with Oslo: the rate for the whole of Oslo in {year} is withheld.",
    },
    "trends.not_shown.comparison_few": {
        "nb": "Bydelene sammenlignes ikke med Oslo: bare {n} av bydelene har tall som kan vises, og sammenligningen "
              "trenger minst 3.",
        "en": "The districts are not compared with Oslo: only {n} of the districts have figures that can be shown, "
              "and the comparison needs at least 3.",
    },
    # the funnel limits: which ones, and why
    "trends.funnel.widened": {"nb": "utvidet", "en": "widened"},
    "trends.funnel.adjusted": {
        "nb": "Bydelene skiller seg mer fra hverandre enn tilfeldigheter alene kan forklare (spredningen er "
              "{phi} ganger det tilfeldigheter gir, med {n} bydeler). Grensene er derfor utvidet med den "
              "virkelige forskjellen mellom bydelene, lik for store og små bydeler. Uten utvidelsen ville de "
              "fleste store bydeler havne utenfor grensene bare fordi bydeler er forskjellige, og grensene ville "
              "ikke lenger skille det uvanlige fra det vanlige.",
        "en": "The districts differ more from each other than chance alone can explain (the spread is {phi} "
              "times what chance gives, with {n} districts). The limits are therefore widened by the real "
              "difference between districts, the same for large and small districts. Without the widening most "
              "large districts would fall outside the limits just because districts differ, and the limits would "
              "no longer tell the unusual from the usual.",
    },
    "trends.funnel.plain": {
        "nb": "Bydelene skiller seg ikke mer fra hverandre enn tilfeldigheter kan forklare (med {n} bydeler), så "
              "grensene er de vanlige, uten utvidelse.",
        "en": "The districts do not differ from each other more than chance can explain (with {n} districts), so "
              "the limits are the usual ones, without widening.",
    },
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
        "nb": "**Bydeler som skiller seg fra hele Oslo** (utenfor {level} %-grensen i traktdiagrammet, i "
              "bydelsrekkefølge): høyere: {above}; lavere: {below}. Bydeler med skjulte tall er ikke vurdert "
              "({n_flagged}).",
        "en": "**Districts that differ from the whole of Oslo** (outside the {level}% limit of the funnel plot, in "
              "district order): higher: {above}; lower: {below}. Districts with withheld figures are not assessed "
              "({n_flagged}).",
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
              "antallet unge i Oslo endrer seg. Intervallet og p-verdien er regnet eksakt "
              "(metoden står i metodebeskrivelsen). Når intervallet inneholder 1, kan endringen skyldes tilfeldig variasjon, og "
              "setningene sier det.",
        "en": "**How to read the changes.** A change is a *rate ratio*: the number per 1,000 residents in {year} "
              "divided by the number per 1,000 in the year compared with (or in the {n_ref} years "
              "{ref_first}–{ref_last} taken together). 1.00 means no change and 0.95 means 5% lower. Counting per "
              "resident allows for the changing number of young people in Oslo. The interval and p-value are "
              "exact (the method is in the methods notes). When the interval contains 1, the change may be chance "
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
              "er intervallet gjort bredere; kolonnen «Ekstra variasjon tatt med» "
              "viser hvor. En trend over hele perioden sier ikke noe om enkeltår og kan skjule et brudd.",
        "en": "**The trend** comes from a Poisson regression of the yearly numbers with the population as "
              "exposure: 1.03 means on average 3% more per year over the period. Where the numbers vary more than "
              "the model assumes the interval is widened; the column "
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
        "nb": "**Traktdiagrammet** viser raten for hver bydel mot antall innbyggere. Hver bydel sammenlignes med "
              "hele Oslo (den vannrette linjen, Oslo-raten). De stiplede og heltrukne linjene er 95 %- og "
              "{funnel_level} %-kontrollgrensene: innenfor dem ligger en bydel som ikke skiller seg fra Oslo mer "
              "enn ventet. Små bydeler har vide grenser. {funnel_adjustment} En bydel utenfor "
              "{funnel_level} %-grensen kalles høyere eller lavere enn Oslo, både i figuren, i tabellen og i "
              "setningen under. Den vide grensen brukes fordi {n_districts} bydeler sammenlignes samtidig: med "
              "95 %-grensen ville ofte minst én bydel havne utenfor av ren tilfeldighet.",
        "en": "**The funnel plot** shows each district's rate against its number of residents. Each district is "
              "compared with the whole of Oslo (the horizontal line, the Oslo rate). The dashed and solid lines "
              "are the 95% and {funnel_level}% control limits: a district inside them does not differ from Oslo "
              "more than expected. Small districts have wide limits. {funnel_adjustment} A district outside the "
              "{funnel_level}% limit is called higher or lower than Oslo, in the figure, in the table and in the "
              "sentence below alike. The wide limit is used because {n_districts} districts are compared at once: "
              "with the 95% limit at least one district would often fall outside by chance alone.",
    },
    "trends.note.ratios": {
        "nb": "Tabellen sammenligner hver bydel med hele Oslo, på samme måte som traktdiagrammet: forholdet er "
              "bydelens rate delt på Oslo-raten (1,20 betyr 20 % høyere), og kolonnen om kontrollgrensene sier om "
              "bydelen ligger over, under eller innenfor {funnel_level} %-grensen. Mulig rangering er et intervall: "
              "plassene bydelen kunne hatt blant bydelene med sikre tall (1 = høyest rate), regnet ut fra den "
              "utjevnede raten. Et bredt intervall betyr at rekkefølgen mellom bydelene ikke kan leses ut av "
              "tallene. Bydeler med usikre eller skjulte tall rangeres ikke.",
        "en": "The table compares each district with the whole of Oslo, in the same way as the funnel plot: the "
              "ratio is the district's rate divided by the Oslo rate (1.20 means 20% higher), and the column on the "
              "control limits says whether the district lies above, below or inside the {funnel_level}% limit. The "
              "possible rank is an interval: the places the district could have among the districts with reliable "
              "figures (1 = highest rate), worked out from the smoothed rate. A wide interval means that the order "
              "of the districts cannot be read from the figures. Districts with uncertain or withheld figures are "
              "not ranked.",
    },
    "trends.note.district_rates": {
        "nb": "**Tre rater for hver bydel.** *Rå rate*: mistenkte per 1 000 innbyggere. *Aldersjustert rate*: raten "
              "bydelen ville hatt med samme alders- og kjønnssammensetning som hele Oslo i {year}; den er lavere "
              "enn den rå raten der bydelen har mange unge voksne, som oftere er registrert. *Utjevnet rate*: den "
              "rå raten trukket et stykke mot Oslo-raten, mest for små bydeler, der tilfeldigheter betyr mest. En "
              "liten bydel med en høy rå rate får dermed en mer forsiktig utjevnet rate; store bydeler endres "
              "nesten ikke. Den utjevnede raten er det beste anslaget når man vil vite hvordan bydelen faktisk "
              "ligger an, den rå raten er det som faktisk ble registrert.",
        "en": "**Three rates for each district.** *Crude rate*: suspects per 1,000 residents. *Age-adjusted rate*: "
              "the rate the district would have with the same age and sex make-up as the whole of Oslo in {year}; "
              "it is lower than the crude rate where the district has many young adults, who are registered more "
              "often. *Smoothed rate*: the crude rate pulled some way towards the Oslo rate, most for small "
              "districts, where chance matters most. A small district with a high crude rate thus gets a more "
              "cautious smoothed rate; large districts hardly change. The smoothed rate is the best estimate of "
              "where the district really stands; the crude rate is what was actually registered.",
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
}
