"""salto_analysis: statistics and notebooks for SaLTo, Oslo's youth crime-prevention cooperation.

Modules are named by what they hold: ``schemas`` and ``io`` (inputs), ``synth``
(synthetic sample data), ``stats``, ``survey`` and ``reliability`` (intervals,
design-based estimation, small-number policy), ``estimates`` (the one result
shape), the analyses (``trends``, ``overlap``, ``cohorts``, ``drug_use``), the
presentation (``labels``, ``tables``, ``plots``) and the ``briefing`` runner.
See ``DESIGN.md`` in the shared folder and the README.
"""

__version__ = "0.1.0"
