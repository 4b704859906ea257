"""Random generators derived from the seed, one stream per purpose.

Each table (and each year of dossiers) draws from its own stream, keyed by stable names, so
one table's draws never shift another's and a year can be generated on its own.
"""

from __future__ import annotations

import zlib

import numpy as np


def rng_for(seed: int, *keys: str | int) -> np.random.Generator:
    """A generator for ``seed`` and a purpose such as ("dossiers", 2024); same input, same stream."""
    words = [int(seed) & 0xFFFFFFFF]
    for key in keys:
        words.append(zlib.crc32(key.encode()) if isinstance(key, str) else int(key) & 0xFFFFFFFF)
    return np.random.default_rng(np.random.SeedSequence(words))
