"""Shared test configuration: Hypothesis profiles.

Choose a profile with the ``ORDERMAP_HYPOTHESIS_PROFILE`` environment variable:

- ``default``: quick, for local runs (about 50 examples per property);
- ``ci``: about 150 examples per property;
- ``thorough``: about 1000 examples per property, for a scheduled or pre-release run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Documents are large composite values; drawing one can be slower than Hypothesis expects,
# and a deadline would make timings on a loaded CI machine fail tests for no reason.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}

settings.register_profile("default", max_examples=50, **_COMMON)
settings.register_profile("ci", max_examples=150, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("ORDERMAP_HYPOTHESIS_PROFILE", "default"))
