"""What notebook 04 shows besides its tables: trend and district figures, change sentences.

Computations and published tables stay in codes (indicator names, school-level codes); the
page writes them in words at display (``value.<column>.<code>`` in :mod:`salto_analysis.labels`). The figures use
:func:`salto_analysis.plots.estimates`, which draws uncertain points faded and leaves
suppressed points out with a note.
"""

from __future__ import annotations

import pandas as pd

from salto_analysis import labels, schemas, sentences
from salto_analysis.estimates import meta_of

from salto_analysis.tables import value_label

from .indicators import INDICATORS, SCHOOL_LEVELS
from .prevalence import ALL_GRADES, CITY

__all__ = ["trend_figures", "district_figures", "change_sentences"]



def _group_label(school_level: str, sex, lang: str) -> str:
    text = labels.t(f"value.school_level.{school_level}", lang)
    if sex is not None and not pd.isna(sex):
        text += ", " + value_label("sex", sex, lang)  # the tables' word for the group, in legends too
    return text


def trend_figures(prevalence: pd.DataFrame, lang: str = "nb") -> list:
    """One line figure per indicator: share over waves by school level (× sex), with interval ribbons.

    Takes the *graded* prevalence table (coded, not :func:`label`-ed). Uses the school-level
    rows; :func:`salto_analysis.plots.estimates` draws uncertain points faded and leaves
    suppressed points out with a note under the figure.
    """
    from salto_analysis import plots

    labels.check_lang(lang)
    sub = prevalence
    if "grade" in sub.columns:
        sub = sub[sub["grade"].astype(object) == ALL_GRADES]
    figures = []
    has_sex = "sex" in sub.columns
    waves = sorted(int(w) for w in sub["wave"].unique())
    for name in [c for c in sub["indicator"].cat.categories if (sub["indicator"] == c).any()]:
        part = sub[sub["indicator"] == name].copy()
        grp = [_group_label(lv, sx if has_sex else None, lang)
               for lv, sx in zip(part["school_level"].astype(object),
                                 part["sex"].astype(object) if has_sex else [None] * len(part))]
        order = [_group_label(lv, sx, lang) for lv in SCHOOL_LEVELS
                 for sx in (schemas.SEX if has_sex else [None])]
        part["group"] = pd.Categorical(grp, categories=order, ordered=True)
        part.attrs = dict(prevalence.attrs)
        fig = plots.estimates(part, x="wave", group="group", kind="line", lang=lang,
                              title=INDICATORS[name].label(lang), xlabel=labels.t("drug_use.fig.wave", lang),
                              group_label=labels.t("drug_use.fig.group_sex" if has_sex else "tables.col.school_level",
                                                   lang))
        fig.axes[0].set_xticks(waves)
        figures.append(fig)
    return figures


def district_figures(table: pd.DataFrame, lang: str = "nb") -> list:
    """One point figure per indicator: each district with its interval, the whole city as a band.

    Takes the *graded* district table. Districts stay in code order; the city estimate is a
    horizontal line with its interval as a shaded band (when the city row is shown), added to
    the legend, the alt text and the figure's data (:func:`salto_analysis.plots.add_reference`).
    """
    from salto_analysis import plots

    labels.check_lang(lang)
    figures = []
    level = f"{100 * meta_of(table).confidence_level:g}".replace(".", "," if lang == "nb" else ".")
    for name in [c for c in table["indicator"].cat.categories if (table["indicator"] == c).any()]:
        part = table[table["indicator"] == name]
        city = part[part["district"].astype(object) == CITY]
        part = part[part["district"].astype(object) != CITY].copy()
        part["district"] = part["district"].cat.remove_unused_categories()
        part.attrs = dict(table.attrs)
        fig = plots.estimates(part, x="district", kind="point", lang=lang,
                              title=labels.t("drug_use.fig.district", lang, indicator=INDICATORS[name].label(lang),
                                             wave=meta_of(table).fact('wave', "")))
        if len(city) and city["flag"].iat[0] != "suppressed":
            est, lo, hi = (100 * float(city[c].iat[0]) for c in ("estimate", "ci_low", "ci_high"))
            plots.add_reference(fig, est, low=lo, high=hi, label=labels.t("drug_use.fig.city", lang, level=level),
                                digits=1, percent=True)
        figures.append(fig)
    return figures


def change_sentences(table: pd.DataFrame, lang: str = "nb") -> str:
    """The honest change sentences of a graded change table, one Markdown bullet per row.

    Each bullet names the group in bold, then the sentence of
    :func:`salto_analysis.sentences.change_sentence`, which uses the Benjamini–Hochberg-adjusted
    p-value: a change whose adjusted p-value is not below ``1 − confidence_level`` is reported
    as within chance variation, a withheld one as ``:``.
    """
    labels.check_lang(lang)
    lines = []
    has_sex = "sex" in table.columns
    level = meta_of(table).confidence_level
    subject = labels.t("drug_use.share_subject", lang)
    for _, row in table.iterrows():
        group = _group_label(str(row["school_level"]), row["sex"] if has_sex else None, lang)
        name = f"{INDICATORS[str(row['indicator'])].label(lang)}, {group[:1].lower()}{group[1:]}"
        text = sentences.change_sentence(row, lang=lang, subject=subject, unit="points", confidence_level=level)
        lines.append(f"- **{name}:** {text}.")
    return "\n".join(lines)
