"""Ung i Oslo drug-use trends (notebook 04): indicators, design-based prevalence, change and trend.

Ung i Oslo (NOVA) invites every pupil from grade 8 to VG3; pupils are clustered in schools,
so intervals that treat pupils as independent are too narrow. Everything here is
design-based. The modules, in the order the notebook uses them:

``indicators``  the indicator mapping (Ungdata/FHI: at least once in the last 12 months;
                "Vet ikke" stays in the legalisation denominator) and :func:`derive`
``frame``       :func:`prepare`: chosen waves, pupils left out and counted, the survey designs
                (schools as PSUs, waves as strata, districts as strata where nested)
``prevalence``  item non-response, prevalence by wave × school level × grade × sex (with
                school-level subtotals), the latest wave by district with the whole city
``changes``     change between two waves with the cross-wave school covariance
                (:meth:`salto_analysis.survey.Design.difference`), Benjamini–Hochberg
``trend``       survey-weighted logistic trend on the year with R ``svyglm``'s design-based
                variance, all groups of an indicator in one vectorised pass
                (:func:`salto_analysis.change.survey_trend` on the pooled design)
``display``     trend and district figures, honest change sentences
``page``        the notebook's parameters, :func:`build` (every table graded on the page) and notes

Every analysis function returns an *ungraded* estimate table
(:mod:`salto_analysis.estimates`); :func:`build` grades each on the notebook's
:class:`salto_analysis.page.Page`. Change and trend are computed only for groups
whose shares can all be shown in the graded prevalence table, so they never reveal a
withheld share. Person-level rows never leave the package: :func:`derive` drops
``pupil_id`` and the tables hold only domain sums.

Example (the notebook in short)::

    frame = drug_use.prepare(io.load_survey(path))
    page = drug_use.build(frame, survey, params.policy(5, 0.95, "nb"), district_breakdown=True)
    page.show("prevalence")
"""

from .changes import changes
from .display import change_sentences, district_figures, trend_figures
from .frame import BY_OPTIONS, prepare
from .indicators import DEFAULT_INDICATORS, INDICATORS, SCHOOL_LEVELS, Indicator, definitions, derive
from .page import (
    TABLES,
    DrugUsePage,
    build,
    check_options,
    deff_note,
    design_note,
    district_note,
    excluded_note,
    intro,
    method_note,
    nonresponse_note,
    not_computed_note,
    reading_notes,
    response_rate_note,
)
from .prevalence import ALL_GRADES, CITY, districts, item_nonresponse, prevalence
from .trend import logistic_trend, trends

__all__ = [
    "Indicator",
    "INDICATORS",
    "DEFAULT_INDICATORS",
    "BY_OPTIONS",
    "SCHOOL_LEVELS",
    "ALL_GRADES",
    "CITY",
    "check_options",
    "definitions",
    "derive",
    "prepare",
    "item_nonresponse",
    "prevalence",
    "changes",
    "trends",
    "logistic_trend",
    "districts",
    "trend_figures",
    "district_figures",
    "change_sentences",
    "TABLES",
    "DrugUsePage",
    "build",
    "intro",
    "reading_notes",
    "design_note",
    "excluded_note",
    "not_computed_note",
    "deff_note",
    "response_rate_note",
    "nonresponse_note",
    "method_note",
    "district_note",
]
