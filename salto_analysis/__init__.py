"""salto_analysis: statistics and notebooks for SaLTo, Oslo's youth crime-prevention cooperation.

Modules are named by what they hold: ``schemas`` and ``io`` (inputs), ``synth``
(synthetic sample data), ``stats``, ``survey``, ``change`` and their kin (intervals,
design-based estimation, comparisons), ``estimates`` (the one result shape),
``policy``, ``disclosure`` and ``reliability`` (the small-numbers policy), the
analyses (``quality``, ``trends``, ``overlap``, ``cohorts``, ``drug_use``), ``page``
(one notebook's page), the presentation (``labels``, ``formatting``, ``sentences``,
``tables``, ``plots``, ``report``) and the ``briefing`` runner. See
``docs/README.md`` (architecture, methods, small-numbers policy, conventions) and the
top-level README.
"""

__version__ = "0.1.0"
