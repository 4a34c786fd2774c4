"""Notebook 01, registered youth crime: counts, yearly tables, districts and the page.

* :mod:`.counts`: :func:`select` counts cases, suspects and victims by year and age
  group from the register and population, with the counting conventions;
* :mod:`.yearly`: the yearly series, the change from the previous year and from the
  three-year average, the trend, the offence types and the victims' change;
* :mod:`.districts`: district rates against the city and the rest of the city;
* :mod:`.page`: :func:`build` makes the notebook's page (:class:`TrendsPage`): its tables
  graded and protected, their titles, sentences and figures.
"""

from . import counts, districts, page, yearly
from .counts import COUNTED, REFERENCE_YEARS, TOTAL, Selection, row_accounting, select
from .page import TrendsPage, build
from .yearly import level, offence_modus, offence_types, series, trend, victim_change, year_change

__all__ = ["counts", "districts", "page", "yearly", "TrendsPage", "build", "COUNTED", "REFERENCE_YEARS", "TOTAL", "Selection",
           "row_accounting", "select", "level", "offence_modus", "offence_types", "series", "trend",
           "victim_change", "year_change"]
