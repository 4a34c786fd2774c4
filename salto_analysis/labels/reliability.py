"""Report text: Flag codes of the small-numbers policy and the grading warnings."""

TEXT: dict[str, dict[str, str]] = {
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
}
