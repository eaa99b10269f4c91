"""The composition root: the one place that builds the service's objects from settings.

The HTTP API, the web pages, the command line (``check``, ``replay``, the
reports) and the benchmarks all get their ``Prechecker`` here, so an engine,
a schema set or a decision log is wired the same way wherever it is used.
"""

from __future__ import annotations

from ictgate.audit.decisionlog import open_decision_log
from ictgate.core.engines import build_engine
from ictgate.core.policy import load_bundle
from ictgate.core.settings import Settings
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

__all__ = ["build_prechecker"]


def build_prechecker(settings: Settings, with_log: bool = True) -> Prechecker:
    """Policies, engine, schemas and (unless ``with_log`` is false) the decision log."""
    bundle = load_bundle(settings.policy_dir)
    engine = build_engine(settings, bundle)
    try:
        log = open_decision_log(settings) if with_log else None
    except BaseException:
        engine.close()
        raise
    return Prechecker(bundle, engine, SchemaSet(settings.schema_dir), log)
