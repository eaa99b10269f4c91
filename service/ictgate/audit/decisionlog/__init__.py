"""The decision log: every verdict, append-only and hash-chained, in SQLite or PostgreSQL.

    from ictgate.audit.decisionlog import build_record, open_decision_log

    log = open_decision_log(get_settings())        # SQLite, or PostgreSQL with DATABASE_URL
    stored = log.append(build_record("precheck", engine_input, verdict))
    log.get(stored.decision_id); log.query(DecisionFilter(province="TH-11")); log.verify()

Modules: ``record`` (the model), ``build`` (a record from an engine input and
a verdict), ``masking``, ``canonical`` (the bytes that are hashed), ``chain``
(hashes), ``verify`` (the walk), ``anchoring`` (the anchor key, checkpoints
and published heads), ``archive`` (retention), ``filters``, ``base`` (the
protocol), ``sqlite`` and ``postgres`` (the backends), ``factory``.
"""

from ictgate.audit.decisionlog.anchoring import (
    AnchorKey,
    ArchiveMark,
    Checkpoint,
    ExpectedHead,
    load_anchor_key,
    parse_expected_head,
    read_checkpoints,
    write_checkpoint,
)
from ictgate.audit.decisionlog.archive import ArchiveRefused, check_archive
from ictgate.audit.decisionlog.base import DecisionLog, DecisionLogSettings, DuplicateDecision
from ictgate.audit.decisionlog.build import build_record, utc_timestamp
from ictgate.audit.decisionlog.canonical import canonical_json, sha256_digest
from ictgate.audit.decisionlog.chain import GENESIS_HASH, chain_hash, seal
from ictgate.audit.decisionlog.factory import open_decision_log
from ictgate.audit.decisionlog.filters import MAX_PAGE_SIZE, DecisionFilter, Page
from ictgate.audit.decisionlog.record import (
    KINDS,
    OUTCOMES,
    DecisionRecord,
    Kind,
    ProposalSeen,
    RuleOutcome,
    StoredRecord,
)
from ictgate.audit.decisionlog.sqlite import SQLiteDecisionLog
from ictgate.audit.decisionlog.verify import ChainHead, Problem, ProblemKind, VerifyReport, verify_chain
from ictgate.core.masking import MASKED, Mask

__all__ = [
    "AnchorKey",
    "ArchiveMark",
    "ArchiveRefused",
    "Checkpoint",
    "ExpectedHead",
    "check_archive",
    "load_anchor_key",
    "parse_expected_head",
    "read_checkpoints",
    "write_checkpoint",
    "GENESIS_HASH",
    "KINDS",
    "MASKED",
    "MAX_PAGE_SIZE",
    "OUTCOMES",
    "ChainHead",
    "DecisionFilter",
    "DecisionLog",
    "DecisionLogSettings",
    "DecisionRecord",
    "DuplicateDecision",
    "Kind",
    "Mask",
    "Page",
    "ProposalSeen",
    "Problem",
    "ProblemKind",
    "RuleOutcome",
    "SQLiteDecisionLog",
    "StoredRecord",
    "VerifyReport",
    "build_record",
    "canonical_json",
    "chain_hash",
    "open_decision_log",
    "seal",
    "sha256_digest",
    "utc_timestamp",
    "verify_chain",
]
