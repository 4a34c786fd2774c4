"""The three input schemas (register, population, survey), defined once.

Everything that reads, writes, validates or documents an input uses these
objects: :mod:`salto_analysis.io` validates against them, :mod:`salto_analysis.synth`
writes them, and :mod:`salto_analysis.dictionary` renders
``data/sample/DATA_DICTIONARY.md`` from them.

District names, codes and the mapping from offence type to Statistics Norway's
offence group are *data*, not code: they live in ``salto_analysis/data/*.csv``
so that the district reform planned for 2027/2028 (SaLTo action programme 2026–2028) is a
file change (see :mod:`salto_analysis.geography`).

Column kinds
------------
``id``        pseudonymised identifier, kept as string
``category``  one of ``values`` (stored as an ordered ``pandas.Categorical``)
``int``       whole number within ``[min, max]``
``float``     number within ``[min, max]``
``date``      calendar date
``bool``      true/false (also 1/0, ja/nei, yes/no)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

__all__ = [
    "Column",
    "Schema",
    "REGISTER",
    "POPULATION",
    "SURVEY",
    "SCHEMAS",
    "AGE_GROUPS",
    "SCOPE_AGE_MIN",
    "SCOPE_AGE_MAX",
    "districts",
    "district_names",
    "offence_groups",
    "age_group",
]


@dataclass(frozen=True)
class Column:
    """One column of an input file.

    ``value_labels`` maps each allowed code to its (Norwegian, English) label;
    for categories its keys are the allowed values, in display order.
    """

    name: str
    kind: str
    nb: str
    en: str
    description: str
    required: bool = True
    value_labels: dict[str, tuple[str, str]] | None = None
    min: float | None = None
    max: float | None = None
    derived: bool = False
    nullable: bool = False

    @property
    def values(self) -> tuple[str, ...] | None:
        return None if self.value_labels is None else tuple(self.value_labels)


@dataclass(frozen=True)
class Schema:
    """A named set of columns, the key that identifies a row, and alternatives.

    ``one_of`` lists groups of columns of which at least one must be present
    (the register needs ``birth_year`` or ``age``).
    """

    name: str
    nb: str
    en: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"schema {self.name!r} has no column {name!r}")

    @property
    def input_columns(self) -> tuple[Column, ...]:
        """Columns read from the file (not derived by the loader)."""
        return tuple(c for c in self.columns if not c.derived)

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.input_columns if c.required)


# --------------------------------------------------------------------------- data files


def _read_package_csv(name: str) -> pd.DataFrame:
    with resources.files("salto_analysis.data").joinpath(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@cache
def districts() -> pd.DataFrame:
    """Oslo's districts: ``code``, ``municipal_code``, ``name_nb``, ``name_en``, ``kind``.

    The 15 bydeler (kind ``bydel``), Sentrum and Marka (``other``) and
    ``Uoppgitt`` for an unknown home district (``unknown``). Source: Oslo
    kommune's official names and codes 030101–030117.
    """
    return _read_package_csv("districts.csv")


def district_names(kind: str | None = None) -> tuple[str, ...]:
    """Official district names in code order, optionally only one ``kind``."""
    d = districts()
    if kind is not None:
        d = d[d["kind"] == kind]
    return tuple(d["name_nb"])


@cache
def offence_groups() -> pd.DataFrame:
    """Map from ``offence_type`` to Statistics Norway's offence group (lovbruddsgruppe).

    Follows SSB's 2015 classification of offences, in which robbery and threats
    belong to "Vold og mishandling". Edit ``salto_analysis/data/offence_groups.csv``
    to change it.
    """
    return _read_package_csv("offence_groups.csv")


# --------------------------------------------------------------------------- shared values

#: Age groups used in every SaLTo report, with inclusive bounds.
AGE_GROUPS: dict[str, tuple[int, int]] = {"10-14": (10, 14), "15-17": (15, 17), "18-22": (18, 22)}
SCOPE_AGE_MIN, SCOPE_AGE_MAX = 10, 22


def age_group(age: pd.Series) -> pd.Series:
    """Age group 10-14 / 15-17 / 18-22 as an ordered categorical; other ages are missing."""
    labels = list(AGE_GROUPS)
    bins = [AGE_GROUPS[labels[0]][0] - 0.5] + [AGE_GROUPS[g][1] + 0.5 for g in labels]
    return pd.cut(age, bins=bins, labels=labels, ordered=True)


SEX = {"female": ("jente/kvinne", "female"), "male": ("gutt/mann", "male")}

ROLE = {"suspect": ("mistenkt", "suspect"), "victim": ("fornærmet", "victim")}

OFFENCE_TYPE = {
    "violence": ("vold", "violence"),
    "robbery": ("ran", "robbery"),
    "threats": ("trusler", "threats"),
    "theft": ("tyveri", "theft"),
    "drugs": ("narkotika", "drugs"),
    "sexual": ("seksuallovbrudd", "sexual offences"),
    "vandalism": ("skadeverk", "vandalism"),
    "other": ("annet", "other"),
}

AGE_GROUP = {g: (f"{g.replace('-', '–')} år", f"{g.replace('-', '–')} years") for g in AGE_GROUPS}

GRADE = {
    "8": ("8. trinn", "grade 8"),
    "9": ("9. trinn", "grade 9"),
    "10": ("10. trinn", "grade 10"),
    "VG1": ("VG1", "upper secondary year 1"),
    "VG2": ("VG2", "upper secondary year 2"),
    "VG3": ("VG3", "upper secondary year 3"),
}

#: Ungdata frequency scale for use in the last 12 months (raw item codes).
FREQUENCY_12M = {
    "1": ("Nei, aldri siste 12 måneder", "No, not in the last 12 months"),
    "2": ("1 gang", "once"),
    "3": ("2–5 ganger", "2–5 times"),
    "4": ("6–10 ganger", "6–10 times"),
    "5": ("11 ganger eller mer", "11 times or more"),
}

#: Answer scale for the view on cannabis legalisation.
YES_NO_DONT_KNOW = {
    "1": ("Ja", "Yes"),
    "2": ("Nei", "No"),
    "3": ("Vet ikke", "Don't know"),
}


def _district_labels() -> dict[str, tuple[str, str]]:
    d = districts()
    return {row.name_nb: (row.name_nb, row.name_en) for row in d.itertuples()}


_DISTRICTS = _district_labels()


def _ssb_group_labels() -> dict[str, tuple[str, str]]:
    g = offence_groups().drop_duplicates("ssb_group_nb")
    return {row.ssb_group_nb: (row.ssb_group_nb, row.ssb_group_en) for row in g.itertuples()}


_SSB_GROUPS = _ssb_group_labels()

# --------------------------------------------------------------------------- schemas

REGISTER = Schema(
    name="register",
    nb="Anmeldelsesregister",
    en="Police register",
    description=(
        "Police-registered cases (anmeldelser), one row per case x person x role. "
        "Persons are pseudonymised."
    ),
    key=("case_id", "person_id", "role"),
    one_of=(("birth_year", "age"),),
    columns=(
        Column("case_id", "id", "saksnummer", "case id", "Pseudonymised case number (anmeldelse)."),
        Column("person_id", "id", "person-ID", "person id",
               "Pseudonymised person identifier. National identity numbers are refused."),
        Column("role", "category", "rolle", "role", "Role of the person in the case.", value_labels=ROLE),
        Column("registered_date", "date", "registreringsdato", "registration date",
               "Date the case was registered by the police."),
        Column("offence_type", "category", "lovbruddstype", "offence type",
               "Main offence of the case.", value_labels=OFFENCE_TYPE),
        Column("birth_year", "int", "fødselsår", "birth year",
               "Year of birth (give this or age).", required=False, min=1900, max=2100),
        Column("age", "int", "alder", "age",
               "Age at registration in whole years (give this or birth_year; from birth_year "
               "alone the loader sets age = year - birth_year, the age reached during the year).",
               required=False, min=0, max=120),
        Column("sex", "category", "kjønn", "sex", "Registered sex.", value_labels=SEX, nullable=True),
        Column("district", "category", "bydel (bosted)", "home district",
               "Home district (bydel) of the person.", value_labels=_DISTRICTS),
        Column("scene_district", "category", "bydel (åsted)", "scene district",
               "District where the offence took place.", required=False, value_labels=_DISTRICTS,
               nullable=True),
        Column("online", "bool", "digital arena", "online",
               "The offence used a digital platform.", required=False, nullable=True),
        # derived by the loader
        Column("year", "int", "år", "year", "Calendar year of registered_date.", derived=True),
        Column("age_group", "category", "aldersgruppe", "age group",
               "10-14, 15-17 or 18-22 years; missing outside 10-22.",
               value_labels=AGE_GROUP, derived=True, nullable=True),
        Column("group_offence", "bool", "gruppelovbrudd", "group offence",
               "The case has two or more distinct suspects.", derived=True),
        Column("ssb_offence_group", "category", "lovbruddsgruppe (SSB)", "offence group (SSB)",
               "Statistics Norway's offence group for offence_type.", value_labels=_SSB_GROUPS,
               derived=True),
        Column("in_scope", "bool", "med i analysen", "in scope",
               "Age 10-22 (SaLTo's target group). Rows outside are kept but excluded from "
               "analyses; the load accounting counts them.", derived=True),
    ),
)

POPULATION = Schema(
    name="population",
    nb="Befolkning",
    en="Population",
    description=(
        "Resident population by year, district, sex and single year of age, "
        "as in Statistics Norway's population tables (1 January)."
    ),
    key=("year", "district", "sex", "age"),
    columns=(
        Column("year", "int", "år", "year", "Year.", min=1990, max=2100),
        Column("district", "category", "bydel", "district", "Home district (bydel).",
               value_labels=_DISTRICTS),
        Column("sex", "category", "kjønn", "sex", "Sex.", value_labels=SEX),
        Column("age", "int", "alder", "age", "Age in whole years.", min=0, max=120),
        Column("population", "int", "befolkning", "population", "Number of residents.", min=0),
        Column("age_group", "category", "aldersgruppe", "age group",
               "10-14, 15-17 or 18-22 years; missing outside 10-22.",
               value_labels=AGE_GROUP, derived=True, nullable=True),
    ),
)

_ITEMS = {
    "drunk_12m": ("beruset siste 12 mnd", "drunk in the last 12 months",
                  "Drunk so much that you felt clearly intoxicated (tydelig beruset), last 12 months."),
    "cannabis_12m": ("cannabis siste 12 mnd", "cannabis in the last 12 months",
                     "Used hashish, marijuana or cannabis, last 12 months."),
    "other_drugs_12m": ("andre narkotiske stoffer siste 12 mnd", "other illegal drugs in the last 12 months",
                        "Used other illegal drugs than cannabis, last 12 months."),
    "cocaine_12m": ("kokain siste 12 mnd", "cocaine in the last 12 months", "Used cocaine, last 12 months."),
    "nitrous_oxide_12m": ("lystgass siste 12 mnd", "nitrous oxide in the last 12 months",
                          "Inhaled nitrous oxide (lystgass) for intoxication, last 12 months."),
    "vaping_12m": ("e-sigarett/vape siste 12 mnd", "vaping in the last 12 months",
                   "Used e-cigarettes or vapes, last 12 months."),
}

SURVEY = Schema(
    name="survey",
    nb="Ung i Oslo",
    en="Ung i Oslo school survey",
    description="Ung i Oslo (NOVA), one row per responding pupil, 8th grade to VG3.",
    key=("wave", "pupil_id"),
    columns=(
        Column("wave", "int", "undersøkelsesår", "survey wave", "Survey year (2015, 2018, 2021, 2023 ...).",
               min=1990, max=2100),
        Column("pupil_id", "id", "elev-ID", "pupil id", "Pseudonymised respondent number within the wave.",
               required=False),
        Column("school_id", "id", "skole-ID", "school id",
               "Pseudonymised school; the cluster (primary sampling unit)."),
        Column("district", "category", "bydel", "district", "District of the school or home.",
               value_labels=_DISTRICTS),
        Column("grade", "category", "trinn", "grade", "School grade.", value_labels=GRADE),
        Column("sex", "category", "kjønn", "sex", "Sex.", value_labels=SEX, nullable=True),
        Column("weight", "float", "vekt", "weight",
               "Survey weight (optional; must be positive where given).", required=False,
               min=0.0),
        *(
            Column(name, "category", nb, en, desc, required=False, value_labels=FREQUENCY_12M,
                   nullable=True)
            for name, (nb, en, desc) in _ITEMS.items()
        ),
        Column("cannabis_legal", "category", "bør cannabis legaliseres", "cannabis should be legalised",
               "Do you think cannabis should be legalised?", required=False,
               value_labels=YES_NO_DONT_KNOW, nullable=True),
    ),
)

#: Raw survey items, in display order.
SURVEY_ITEMS: tuple[str, ...] = (*_ITEMS, "cannabis_legal")

SCHEMAS: dict[str, Schema] = {s.name: s for s in (REGISTER, POPULATION, SURVEY)}
