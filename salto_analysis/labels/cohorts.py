"""Report text: Notebook 03: repeat offenders."""

TEXT: dict[str, dict[str, str]] = {
    # measures (table names in warnings, and the header of the estimate column)
    "cohorts.measure.share_of_suspects": {"nb": "Andel av de mistenkte", "en": "Share of suspects"},
    "cohorts.measure.persons": {"nb": "Personer", "en": "Persons"},
    "cohorts.measure.share_of_offences": {"nb": "Andel av lovbruddene", "en": "Share of offences"},
    # the count columns of a share-of-offences table are persons (tables.column_label, per measure)
    "cohorts.measure.share_of_offences.col.numerator": {"nb": "Personer i gruppen", "en": "Persons in the group"},
    "cohorts.measure.share_of_offences.col.denominator": {"nb": "Mistenkte i alt", "en": "All suspects"},
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
    "cohorts.summary.withheld": {"nb": "Skjult: for få eller for usikre", "en": "Withheld: too few or too uncertain"},
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
                                 "en": "Share of the offences in {year} accounted for by the most active suspects"},
    "cohorts.title.group_shares": {"nb": "Andel av lovbruddene i {year} som gruppene med mange lovbrudd står for",
                                   "en": "Share of the offences in {year} accounted for by the groups with many offences"},
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
    "cohorts.title.reregistration_curve": {"nb": "Registrert på nytt etter første registrering: andel over tid",
                                           "en": "Registered again after the first registration: share over time"},
    "cohorts.title.reregistration": {"nb": "Andel registrert på nytt etter 6, 12, 24 og 36 måneder",
                                     "en": "Share registered again after 6, 12, 24 and 36 months"},
    "cohorts.title.logrank": {"nb": "Første registrering i 10–14 år mot 15–17 år: blir de registrert på nytt like raskt?",
                              "en": "First registration at 10–14 compared with 15–17: are they registered again as soon?"},
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
    "cohorts.not_shown.no_suspects_year": {
        "nb": "Ingen mistenkte i alderen {age_min}–{age_max} år ble registrert i {year}, så tabellen kan ikke "
              "lages.",
        "en": "No suspects aged {age_min}–{age_max} were registered in {year}, so the table cannot be made.",
    },
    "cohorts.not_shown.lorenz": {
        "nb": "Lorenzkurven kan ikke vises: de mistenkte i {year} er så få at hvert punkt på kurven ville avsløre en "
              "gruppe på færre enn {min_count} personer.",
        "en": "The Lorenz curve cannot be shown: the suspects of {year} are so few that every point of the curve "
              "would reveal a group of fewer than {min_count} persons.",
    },
    "cohorts.not_shown.no_cohorts": {
        "nb": "Ingen kohort kan følges: ingen mistenkte i alderen {age_min}–{age_max} år hadde {group} lovbrudd i noen "
              "av de {follow_years} årene før {year} som registeret dekker.",
        "en": "No cohort can be followed: no suspect aged {age_min}–{age_max} had {group} offences in any of the "
              "{follow_years} years before {year} that the register covers.",
    },
    "cohorts.not_shown.left_censored_structural": {
        "nb": "Ingen av de mistenkte i {year} kan ha vært registrert før dataene starter i {first_year}: året før "
              "var de høyst {before} år, og registreringene teller fra 10 år. Tallet er derfor 0 for alle, uten usikkerhet, "
              "og tabellen vises ikke.",
        "en": "None of the suspects of {year} can have been registered before the data start in {first_year}: the "
              "year before, they were at most {before}, and registrations count from age 10. The figure is therefore 0 for "
              "everyone, without uncertainty, and the table is not shown.",
    },
    "cohorts.not_shown.no_curve": {
        "nb": "Kurven kan ikke vises: ingen eller for få ble registrert første gang i alderen {age_min}–{age_max} år "
              "til og med {year} til at kurven kan vises uten å avsløre grupper på færre enn {min_count} personer.",
        "en": "The curve cannot be shown: nobody, or too few, were first registered at ages {age_min}–{age_max} up "
              "to {year} for the curve to be shown without revealing groups of fewer than {min_count} persons.",
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
              "registrering, etter alder ved første registrering. Bare personer som var 10 år eller "
              "yngre i {first_year} er med, så første registrering i dataene er den første. En ny sak samme dag "
              "teller ikke. Oppfølgingen stopper 31. desember {year} eller ved utgangen av året personen fyller 22 "
              "(sensurering); tallene under figuren er hvor mange som fortsatt følges. For personvernet er måneder "
              "slått sammen slik at hvert trinn på kurven gjelder ingen eller minst {min_count} personer; tabellen "
              "viser derfor nærmeste måned med et trinn. De som debuterer tidlig, følges mens de er yngre, så "
              "kurvene sammenligner også ulike aldre.",
        "en": "The curves show the cumulative share registered as a suspect again, counted from the first "
              "registration, by age at the first registration. Only persons who were 10 or younger "
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
        "nb": "Bydel × kjønn × aldersgruppe for gruppen {group} vises ikke: for mange av cellene måtte skjules, "
              "fordi de gjelder færre enn {min_count} personer, ville gjort det mulig å regne ut slike tall, "
              "eller er for usikre.",
        "en": "District × sex × age group for the {group} group is not shown: too many of its cells would have "
              "to be withheld, because they concern fewer than {min_count} persons, would let such counts be "
              "worked out, or are too uncertain.",
    },
    "cohorts.note.breakdown_hidden": {
        "nb": "Gruppen {group} etter {dimension} vises ikke: for mange av cellene måtte skjules.",
        "en": "The {group} group by {dimension} is not shown: too many of its cells would have to be withheld.",
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
    # accessible figures: alt text, the data table beside each figure, legends
    # figures of the page modules
    "cohorts.figure.alt.lorenz_top": {
        "nb": "De {top} % av de mistenkte med flest lovbrudd står for {share} av lovbruddene.",
        "en": "The {top}% of suspects with the most offences account for {share} of the offences.",
    },
    "cohorts.figure.alt.equal": {"nb": "Den prikkede diagonalen er lik fordeling.",
                                 "en": "The dotted diagonal is the line of equal shares."},
}
