"""Read and validate the three inputs: police register, population and Ung i Oslo survey.

:func:`load_register`, :func:`load_population` and :func:`load_survey` read one
file, check it against :data:`salto_analysis.schemas.REGISTER` / ``POPULATION`` /
``SURVEY`` and return a typed :class:`pandas.DataFrame`; :func:`load_all` reads the
three files of a data folder found by :func:`find_input`.

Formats
-------
``.csv`` and ``.csv.gz``
    UTF-8 (with or without BOM) or Windows-1252: the file is decoded as UTF-8
    and, if that fails, as Windows-1252 (Python's ``cp1252`` codec); anything
    else is refused. The separator is the most frequent of ``;`` ``,`` tab ``|``
    outside quotes in the header line. Quoting follows RFC 4180. Numbers may use
    a decimal comma (``1,25``) and spaces as thousands separators (``12 345``).
    Parsing uses pyarrow's multithreaded CSV reader; Python's :mod:`csv`
    module takes over when pyarrow cannot parse a file, to find the exact rows.
``.xlsx``
    The sheet named like the input (``register``...) or else the first sheet;
    the header is the first row.
``.sav``
    SPSS files via pyreadstat. For category columns the value labels are used
    when every label is a recognised spelling, otherwise the codes.
``.parquet``
    Read with pyarrow.

Row numbers
-----------
Errors quote rows as in the file, 1-based with the header as row 1, so the
first data row is row 2 (the row number a spreadsheet shows). For ``.sav`` and
``.parquet`` files, which have no header line, row *n + 1* is record *n*.

Values
------
Column names match regardless of case and accents, by the schema name or its
Norwegian or English label (``kjønn``, ``kjonn``, ``Sex`` and ``sex`` all give
``sex``); SPSS variable names are often written without æøå. Code lists
(role, sex, offence type, grade, survey answers, yes/no) match
case-insensitively by code, Norwegian or English label, or a listed synonym
(:func:`accepted_spellings`; ``DATA_DICTIONARY.md`` lists them all).

District names are the exception: they must be spelled exactly as in
``salto_analysis/data/districts.csv`` (case and letters æøåü), or given by district
code (``01``, ``1``) or municipal code (``030101``). A district that differs only in
case or accents (``st. hanshaugen``, ``Grunerlokka``) is refused with a "did you
mean" suggestion. Names are proper nouns from an official list that also keys the
crosswalk for the 2027/2028 district reform; an export that changed their case
has often changed more, and one correction at the source is safer than a guess.

Empty cells and ``NA``, ``N/A``, ``nan``, ``null``, ``none`` (any case) are missing.
Rows in which every cell is empty are dropped and counted
(``rows_dropped_by_reason["blank"]``); every other row is kept.

Refusals and accounting
-----------------------
Every refusal raises :class:`InputError`, a :class:`ValueError` whose one-line
message names the file, the column, the problem, how many rows are affected and
the first of them, and the fix. Values from identifier columns and from dates and
ages (which could identify a child) never appear in a message.

Each returned frame carries ``attrs["accounting"]``, an :class:`Accounting`
record in its plain-dict form (rows read, kept, dropped and excluded by reason,
notices; :meth:`Accounting.from_dict` gives the record back), shown by
:func:`accounting_table`, and ``attrs["synthetic"]``, true when the file's folder
holds a ``manifest.json`` that lists the file as synthetic with a matching
SHA-256.

"Excluded from analysis" is explicit: register rows with an age outside
10-22 stay in the frame with ``in_scope == False`` and are counted by reason
(``age_outside_scope``); analyses filter on ``in_scope``.

Shared cache
------------
The briefing runner loads each input once and hands its notebooks a folder of
validated frames through the environment variable ``SALTO_INPUT_CACHE``
(:data:`CACHE_ENV`); the loaders take a frame from it only for the same file,
content (SHA-256) and :data:`LOADER_VERSION`, and otherwise read the file as
usual (:mod:`.cache`). Without the variable, as in JupyterLab, nothing changes.

The package is split by stage: :mod:`.files` (read a file into a raw table),
:mod:`.values` and :mod:`.vocabulary` (parse cells, accepted spellings),
:mod:`.national_id`, :mod:`.columns` and :mod:`.checks` (refusals and derived
columns), :mod:`.accounting` (row accounting, synthetic marker), :mod:`.errors`,
:mod:`.cache` (the runner's shared cache) and :mod:`.loaders` (the public
functions re-exported here).
"""

from salto_analysis.io.accounting import Accounting, Notice, accounting_table
from salto_analysis.io.cache import ENV_VAR as CACHE_ENV
from salto_analysis.io.cache import LOADER_VERSION
from salto_analysis.io.errors import InputError, InputWarning
from salto_analysis.io.files import SUPPORTED_EXTENSIONS
from salto_analysis.io.loaders import Inputs, find_input, load, load_all, load_population, load_register, load_survey
from salto_analysis.io.national_id import national_id_mask
from salto_analysis.io.values import BOOL_SPELLINGS, DATE_FORMATS, NA_TOKENS
from salto_analysis.io.vocabulary import accepted_spellings, column_spellings

__all__ = [
    "InputError",
    "InputWarning",
    "Notice",
    "Accounting",
    "Inputs",
    "SUPPORTED_EXTENSIONS",
    "CACHE_ENV",
    "LOADER_VERSION",
    "NA_TOKENS",
    "BOOL_SPELLINGS",
    "DATE_FORMATS",
    "load",
    "load_register",
    "load_population",
    "load_survey",
    "load_all",
    "find_input",
    "accounting_table",
    "accepted_spellings",
    "column_spellings",
    "national_id_mask",
]
