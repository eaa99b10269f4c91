"""ictgate: pre-check of Thai provincial computer-system and CCTV project proposals.

The verdict is computed entirely in Rego (``policies/``). This package only
parses, validates, calls the policy engine, stamps the result and renders it.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
