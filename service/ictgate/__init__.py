"""ictgate: pre-check of Thai provincial computer-system and CCTV project proposals.

The verdict is computed entirely in Rego (``policies/``). This package only
parses, validates, calls the policy engine, stamps the result and renders it.
"""

import os

# regorus (Rust) captures a backtrace for every error it reports unless told
# not to: slow, and noise in messages meant for people. Respect a caller's choice.
os.environ.setdefault("RUST_LIB_BACKTRACE", "0")

__all__ = ["__version__"]

__version__ = "0.2.0"
