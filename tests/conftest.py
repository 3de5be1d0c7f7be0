"""Test-wide settings.

Property tests draw the same examples on every run (`derandomize`), so a CI run on a
fresh machine is reproducible: new inputs are explored on purpose, with
`HYPOTHESIS_PROFILE=explore pytest ...` or with bench/fuzz.py and bench/hostile.py.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
