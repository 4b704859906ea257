"""Demo data for the Resolution 57 dashboard: Hanoi's units, tasks, reports, documents, dossiers,
budget, surveys and the data-sharing register, generated deterministically from a seed.

``generate(out, scale=1.0, seed=57)`` writes every source into ``out``; ``UNITS`` lists the
organisational units; ``units_yaml()`` renders them as ``config/units.yaml``.
"""

from sources.demo.generate import OUTPUTS, generate, is_current
from sources.demo.units import UNITS, Unit, units_yaml

__all__ = ["OUTPUTS", "UNITS", "Unit", "generate", "is_current", "units_yaml"]
