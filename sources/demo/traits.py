"""Hidden traits of each unit, drawn once per seed and shared by every table.

A ward that handles dossiers badly also tends to get low survey scores; a department that files its
reports late also lets its tasks slip. Drawing the traits once keeps that story consistent across
tables. Traits are standard-normal scores (higher is better) and a size weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sources.demo.rng import rng_for
from sources.demo.units import UNITS


@dataclass(frozen=True)
class Traits:
    ids: list[str]
    service: np.ndarray  # quality of dossier handling (speed, fewer supplement loops)
    discipline: np.ndarray  # reporting on time, keeping task deadlines
    digital: np.ndarray  # use of the electronic systems
    size: np.ndarray  # relative workload (sums to 1 over all units)

    def index(self, unit_ids: list[str]) -> np.ndarray:
        position = {u: i for i, u in enumerate(self.ids)}
        return np.array([position[u] for u in unit_ids], dtype=np.int64)

    def of(self, name: str, unit_ids: list[str]) -> np.ndarray:
        return getattr(self, name)[self.index(unit_ids)]


def draw_traits(seed: int) -> Traits:
    rng = rng_for(seed, "traits")
    n = len(UNITS)
    ids = [u.id for u in UNITS]
    service = rng.normal(0.0, 1.0, n)
    discipline = 0.5 * service + rng.normal(0.0, 0.85, n)
    digital = 0.4 * service + rng.normal(0.0, 0.9, n)
    size = rng.lognormal(0.0, 0.55, n)
    size /= size.sum()
    return Traits(ids, service, discipline, digital, size)
