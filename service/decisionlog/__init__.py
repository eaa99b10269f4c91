"""The decision log: every verdict, append-only and hash-chained.

Modules: ``record`` (the model), ``build`` (a record from an engine input and
a verdict), ``masking``, ``canonical`` (the bytes that are hashed), ``chain``
(hashes), ``verify`` (the walk).
"""

from .build import build_record, utc_timestamp
from .canonical import canonical_json, sha256_digest
from .chain import GENESIS_HASH, chain_hash, seal
from .masking import MASKED, Mask
from .record import KINDS, OUTCOMES, DecisionRecord, Kind, RuleOutcome, StoredRecord
from .verify import ChainHead, Problem, ProblemKind, VerifyReport, verify_chain

__all__ = [
    "GENESIS_HASH",
    "KINDS",
    "MASKED",
    "OUTCOMES",
    "ChainHead",
    "DecisionRecord",
    "Kind",
    "Mask",
    "Problem",
    "ProblemKind",
    "RuleOutcome",
    "StoredRecord",
    "VerifyReport",
    "build_record",
    "canonical_json",
    "chain_hash",
    "seal",
    "sha256_digest",
    "utc_timestamp",
    "verify_chain",
]
