"""``ictgate check``: find the files, check each one, gather the results.

    paths.py        files, directories and globs -> the files to read
    run.py          one file -> one result (check_document), dispatching on the document kind
    evaluators.py   the embedded engine, or a running service (--server)
    results.py      the results, their states and the run's exit code (docs/contract.md)

The reports (ictgate/gate/reports/) only read a GateRun; nothing here writes output.
"""

from ictgate.gate.evaluators import Evaluator, LocalEvaluator, ServerEvaluator
from ictgate.gate.paths import Expansion, expand_paths
from ictgate.gate.results import (
    EXIT_FAIL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_REVIEW,
    FileResult,
    GateRun,
    Problem,
    exit_code,
)
from ictgate.gate.run import check_document, check_files, document_kind

__all__ = [
    "EXIT_FAIL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_REVIEW",
    "Evaluator",
    "Expansion",
    "FileResult",
    "GateRun",
    "LocalEvaluator",
    "Problem",
    "ServerEvaluator",
    "check_document",
    "check_files",
    "document_kind",
    "exit_code",
    "expand_paths",
]
