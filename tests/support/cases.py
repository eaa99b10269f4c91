"""The rulebook's edge cases as data: one table feeds the API tests on the
embedded engine and, when OPA_URL is set, the same tests on a real OPA."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

BASE: dict[str, Any] = {
    "submitted_on": "2025-02-01",
    "agency": {"name": "องค์การบริหารส่วนจังหวัดนครราชสีมา", "kind": "pao", "province": "TH-30"},
    "project": {
        "title": "ระบบสารสนเทศภูมิศาสตร์เพื่อการวางแผน",
        "category": "computer_system",
        "budget_thb": 3000000,
        "standard_prices": True,
    },
}

CCTV_BLOCK: dict[str, Any] = {
    "cameras": 12,
    "follows_provincial_manual": True,
    "data_controller": "เทศบาลเมืองบางปู",
    "purposes": ["traffic"],
    "retention_days": 30,
    "notice_posted": True,
    "biometrics": {"used": False},
    "public_live_feed": False,
    "linked_to_provincial_center": False,
}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def submission(**changes: Any) -> dict[str, Any]:
    return merge(BASE, changes)


PROVINCIAL = {
    ("R-AUTH-1", "pass", "/project/standard_prices"),
    ("R-AUTH-2", "pass", "/project/budget_thb"),
    ("R-AUTH-6", "pass", ""),
    ("R-AUTH-8", "pass", "/agency/kind"),
    ("R-AUTH-10", "pass", "/agency/province"),
}
# After 2024-05-31 the order on file is consulted: Nakhon Ratchasima's and
# Chon Buri's are still their 2010 orders (policies/rulebook/committee_orders).
NOT_AMENDED = ("R-COMP-13", "warn", "/agency/province")
# The data rules on CCTV_BLOCK (not linked, no sharing), from 2024-05-31.
DATA_OK = {
    ("R-DATA-1", "pass", "/cctv"),
    ("R-DATA-5", "pass", "/cctv/public_live_feed"),
    ("R-DATA-6", "pass", "/cctv/linked_to_provincial_center"),
    ("R-DATA-7", "pass", "/cctv/retention_days"),
    ("R-DATA-8", "pass", "/cctv/notice_posted"),
    ("R-DATA-9", "pass", "/cctv/biometrics"),
}
# Samut Prakan from 2024-07-17: the amended committee and the provincial manual.
SAMUT_PRAKAN_CCTV = {
    ("R-CCTV-3", "pass", "/agency/province"),
    ("R-CCTV-4", "pass", "/cctv/follows_provincial_manual"),
}
CCTV_ROUTED = {
    ("R-AUTH-1", "pass", "/project/standard_prices"),
    ("R-AUTH-2", "pass", "/project/budget_thb"),
    ("R-AUTH-6", "pass", ""),
    ("R-AUTH-7", "pass", "/project/category"),
    ("R-AUTH-8", "pass", "/agency/kind"),
    ("R-AUTH-10", "pass", "/agency/province"),
}


def samut_prakan_cctv(**cctv: Any) -> dict[str, Any]:
    """A town municipality's CCTV project in Samut Prakan, with CCTV_BLOCK changed by ``cctv``."""
    return submission(
        agency={"kind": "town_municipality", "province": "TH-11"},
        project={"category": "cctv"},
        cctv={**CCTV_BLOCK, **cctv},
    )


# Samut Prakan CCTV from 2024-07-17, amended order on file: every rule that passes on CCTV_BLOCK.
SAMUT_PRAKAN_ROUTED = CCTV_ROUTED | {("R-COMP-13", "pass", "/agency/province")} | SAMUT_PRAKAN_CCTV | DATA_OK


@dataclass(frozen=True)
class Case:
    name: str
    submission: dict[str, Any]
    verdict: str
    body: str | None
    province: str | None
    findings: set[tuple[str, str, str]]
    as_of: str | None = None
    periods: list[str] = field(default_factory=list)
    # The approval chain as (body, role) pairs, where a case is about the chain.
    steps: list[tuple[str, str]] | None = None


CASES = [
    Case(
        "within threshold at standard prices",
        submission(),
        "pass",
        "provincial_committee",
        "TH-30",
        PROVINCIAL | {NOT_AMENDED},
        periods=["FY2568-H1"],
    ),
    Case(
        "exactly 5,000,000.00 THB",
        submission(project={"budget_thb": 5000000.00}),
        "pass",
        "provincial_committee",
        "TH-30",
        PROVINCIAL | {NOT_AMENDED},
        periods=["FY2568-H1"],
    ),
    Case(
        "5,000,000.01 THB",
        submission(project={"budget_thb": 5000000.01}),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "pass", "/project/budget_thb"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
        },
    ),
    Case(
        "5,000,000.01 THB sent to the provincial committee",
        submission(project={"budget_thb": 5000000.01}, requested_body="provincial_committee"),
        "fail",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "fail", "/requested_body"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
        },
    ),
    Case(
        "Bangkok, small budget",
        submission(agency={"kind": "bma", "province": "TH-10"}, project={"budget_thb": 150000}),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-4", "pass", "/agency/province"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
        },
    ),
    Case(
        "Bangkok, large budget",
        submission(agency={"kind": "bma", "province": "TH-10"}, project={"budget_thb": 250000000}),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-4", "pass", "/agency/province"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
        },
    ),
    Case(
        "Pattaya as TH-S",
        submission(agency={"kind": "pattaya_city", "province": "TH-S"}),
        "pass",
        "provincial_committee",
        "TH-20",
        PROVINCIAL | {("R-AUTH-5", "pass", "/agency/province"), NOT_AMENDED},
        periods=["FY2568-H1"],
    ),
    Case(
        "Pattaya City in TH-20",
        submission(agency={"kind": "pattaya_city", "province": "TH-20"}),
        "pass",
        "provincial_committee",
        "TH-20",
        PROVINCIAL | {("R-AUTH-5", "pass", "/agency/province"), NOT_AMENDED},
        periods=["FY2568-H1"],
    ),
    Case(
        "no standard prices under the threshold",
        submission(project={"standard_prices": False}),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "pass", "/project/budget_thb"),
            ("R-AUTH-3", "warn", "/project/standard_prices"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
        },
    ),
    Case(
        "central government computer system",
        submission(agency={"kind": "central_government"}),
        "not_applicable",
        None,
        None,
        {("R-AUTH-8", "not_applicable", "/agency/kind")},
    ),
    Case(
        "other agency",
        submission(agency={"kind": "other"}),
        "not_applicable",
        None,
        None,
        {("R-AUTH-8", "not_applicable", "/agency/kind")},
    ),
    Case(
        # The memo does not govern a non-MOI unit: SPK-2024's committee alone, whatever the budget.
        "central government CCTV in Samut Prakan after SPK-2024",
        submission(
            submitted_on="2024-08-01",
            agency={"kind": "central_government", "province": "TH-11"},
            project={"category": "cctv", "budget_thb": 9_000_000},
            cctv=CCTV_BLOCK,
        ),
        "pass",
        "provincial_committee",
        "TH-11",
        {
            ("R-AUTH-8", "pass", "/agency/province"),
            ("R-AUTH-10", "pass", "/agency/province"),
            ("R-COMP-13", "pass", "/agency/province"),
        }
        | SAMUT_PRAKAN_CCTV
        | DATA_OK,
        steps=[("provincial_committee", "approval")],
    ),
    Case(
        # SPK-2024 first, then memo §3.2 above the threshold: a chain of two.
        "MOI agency CCTV in Samut Prakan above the threshold",
        submission(
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv", "budget_thb": 6_000_000},
            cctv=CCTV_BLOCK,
            requested_body="provincial_committee",
        ),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "pass", "/project/budget_thb"),
            ("R-AUTH-7", "pass", "/project/category"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
            ("R-COMP-13", "pass", "/agency/province"),
        }
        | SAMUT_PRAKAN_CCTV
        | DATA_OK,
        steps=[("provincial_committee", "endorsement"), ("moi_committee", "approval")],
    ),
    Case(
        # SPK-2021 added the CCTV data committee's consent; it did not repeal memo §3.2.
        "MOI agency CCTV in Samut Prakan in 2022 above the threshold",
        submission(
            submitted_on="2022-06-01",
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv", "budget_thb": 20_000_000},
            cctv=CCTV_BLOCK,
            requested_body="provincial_cctv_data_committee",
        ),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "pass", "/project/budget_thb"),
            ("R-AUTH-7", "pass", "/project/category"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
            ("R-CCTV-2", "pass", "/requested_body"),
            ("R-DATA-1", "pass", "/cctv"),
            ("R-DATA-8", "pass", "/cctv/notice_posted"),
            ("R-DATA-9", "pass", "/cctv/biometrics"),
        },
        steps=[("provincial_cctv_data_committee", "consent"), ("moi_committee", "approval")],
    ),
    Case(
        "private company CCTV in Samut Prakan",
        submission(
            agency={"kind": "private", "province": "TH-11"},
            project={"category": "cctv"},
            cctv=CCTV_BLOCK,
        ),
        "not_applicable",
        None,
        None,
        {("R-AUTH-8", "not_applicable", "/agency/kind")},
    ),
    Case(
        "MOI state enterprise computer system",
        submission(agency={"kind": "moi_state_enterprise"}),
        "needs_review",
        "provincial_committee",
        "TH-30",
        PROVINCIAL - {("R-AUTH-8", "pass", "/agency/kind")}
        | {("R-AUTH-8", "review", "/agency/kind"), NOT_AMENDED},
        periods=["FY2568-H1"],
        steps=[("provincial_committee", "approval")],
    ),
    Case(
        "CCTV in Samut Prakan, amended order on file",
        submission(
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv"},
            cctv=CCTV_BLOCK,
        ),
        "pass",
        "provincial_committee",
        "TH-11",
        CCTV_ROUTED | {("R-COMP-13", "pass", "/agency/province")} | SAMUT_PRAKAN_CCTV | DATA_OK,
        periods=["FY2568-H1"],
    ),
    # Categories instead of free text (R-DATA-2, R-DATA-4, R-DATA-9; RULEBOOK §6).
    Case(
        "police sharing written with its Thai purpose label",
        samut_prakan_cctv(
            sharing=[{"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "การบังคับใช้กฎหมาย"}]
        ),
        "pass",
        "provincial_committee",
        "TH-11",
        SAMUT_PRAKAN_ROUTED
        | {("R-DATA-2", "pass", "/cctv/sharing/0"), ("R-DATA-4", "pass", "/cctv/sharing/0")},
        periods=["FY2568-H1"],
    ),
    Case(
        "clips shared with the public without a lawful basis",
        samut_prakan_cctv(
            sharing=[{"recipient_type": "public", "recipient": "ประชาชน", "purpose": "public_information"}]
        ),
        "needs_review",
        "provincial_committee",
        "TH-11",
        SAMUT_PRAKAN_ROUTED
        | {("R-DATA-2", "pass", "/cctv/sharing/0"), ("R-DATA-2", "review", "/cctv/sharing/0/lawful_basis")},
        periods=["FY2568-H1"],
    ),
    Case(
        "clips shared with the public on a lawful basis given by its Thai label",
        samut_prakan_cctv(
            sharing=[
                {
                    "recipient_type": "ประชาชนทั่วไป",
                    "recipient": "ประชาชน",
                    "purpose": "การเผยแพร่ข้อมูลข่าวสารแก่ประชาชน",
                    "lawful_basis": "ภารกิจเพื่อประโยชน์สาธารณะหรือการใช้อำนาจรัฐ (มาตรา 24 (4))",
                }
            ]
        ),
        "pass",
        "provincial_committee",
        "TH-11",
        SAMUT_PRAKAN_ROUTED
        | {("R-DATA-2", "pass", "/cctv/sharing/0"), ("R-DATA-2", "pass", "/cctv/sharing/0/lawful_basis")},
        periods=["FY2568-H1"],
    ),
    Case(
        "face recognition on a lawful basis of s.24 only",
        samut_prakan_cctv(biometrics={"used": True, "lawful_basis": "s24_4_public_task"}),
        "needs_review",
        "provincial_committee",
        "TH-11",
        (SAMUT_PRAKAN_ROUTED - {("R-DATA-9", "pass", "/cctv/biometrics")})
        | {("R-DATA-9", "review", "/cctv/biometrics/lawful_basis")},
        periods=["FY2568-H1"],
    ),
    Case(
        "a camera network declared as a plain computer system",
        submission(project={"title": "ติดตั้งกล้องวงจรปิดในตลาดเทศบาล"}),
        "needs_review",
        "provincial_committee",
        "TH-30",
        PROVINCIAL | {NOT_AMENDED, ("R-AUTH-7", "review", "/project/category")},
        periods=["FY2568-H1"],
    ),
    # The whole project (R-AUTH-2): a multi-year total decides the authority.
    Case(
        "a multi-year project of 9 M THB in 3 M THB tranches",
        submission(project={"budget_thb": 3000000, "total_value_thb": 9000000}),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "pass", "/project/budget_thb"),
            ("R-AUTH-2", "pass", "/project/total_value_thb"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
        },
    ),
    Case(
        "CCTV in Nakhon Ratchasima, 2010 order on file",
        submission(agency={"kind": "town_municipality"}, project={"category": "cctv"}, cctv=CCTV_BLOCK),
        "needs_review",
        "provincial_committee",
        "TH-30",
        CCTV_ROUTED | {("R-CCTV-5", "review", "/agency/province")} | DATA_OK,
        periods=["FY2568-H1"],
    ),
    Case(
        "CCTV in Chiang Mai, no order on file",
        submission(
            agency={"kind": "town_municipality", "province": "TH-50"},
            project={"category": "cctv"},
            cctv=CCTV_BLOCK,
        ),
        "needs_review",
        "provincial_committee",
        "TH-50",
        CCTV_ROUTED | {("R-CCTV-5", "review", "/agency/province")} | DATA_OK,
        periods=["FY2568-H1"],
    ),
    # The dated Samut Prakan cases of RULEBOOK §5.
    Case(
        "Samut Prakan CCTV in 2022 to the provincial CCTV data committee (valid then)",
        submission(
            submitted_on="2022-10-03",
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv"},
            requested_body="provincial_cctv_data_committee",
            cctv=CCTV_BLOCK,
        ),
        # The CCTV data committee's consent, then the memo's route (here the provincial committee).
        "pass",
        "provincial_committee",
        "TH-11",
        CCTV_ROUTED
        | {
            ("R-CCTV-2", "pass", "/requested_body"),
            ("R-DATA-1", "pass", "/cctv"),
            ("R-DATA-8", "pass", "/cctv/notice_posted"),
            ("R-DATA-9", "pass", "/cctv/biometrics"),
        },
        periods=["FY2566-H1"],
        steps=[("provincial_cctv_data_committee", "consent"), ("provincial_committee", "approval")],
    ),
    Case(
        "Samut Prakan CCTV in 2024-04 to the lapsed committee (the gap)",
        submission(
            submitted_on="2024-04-15",
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv"},
            requested_body="provincial_cctv_data_committee",
            cctv=CCTV_BLOCK,
        ),
        "needs_review",
        None,
        None,
        {
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
            ("R-CCTV-2", "review", "/requested_body"),
            ("R-CCTV-3", "review", "/submitted_on"),
            ("R-DATA-1", "pass", "/cctv"),
            ("R-DATA-8", "pass", "/cctv/notice_posted"),
            ("R-DATA-9", "pass", "/cctv/biometrics"),
        },
    ),
    Case(
        "Samut Prakan CCTV in 2024-08 to the lapsed committee",
        submission(
            submitted_on="2024-08-01",
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv"},
            requested_body="provincial_cctv_data_committee",
            cctv=CCTV_BLOCK,
        ),
        "fail",
        "provincial_committee",
        "TH-11",
        CCTV_ROUTED
        | {("R-CCTV-2", "fail", "/requested_body"), ("R-COMP-13", "pass", "/agency/province")}
        | SAMUT_PRAKAN_CCTV
        | DATA_OK,
        periods=["FY2567-H2"],
    ),
    Case(
        "Samut Prakan CCTV in 2024-08 above 5,000,000 THB",
        submission(
            submitted_on="2024-08-01",
            agency={"kind": "town_municipality", "province": "TH-11"},
            project={"category": "cctv", "budget_thb": 5000000.01},
            cctv=CCTV_BLOCK,
        ),
        "pass",
        "moi_committee",
        None,
        {
            ("R-AUTH-2", "pass", "/project/budget_thb"),
            ("R-AUTH-7", "pass", "/project/category"),
            ("R-AUTH-8", "pass", "/agency/kind"),
            ("R-AUTH-10", "pass", "/agency/province"),
            ("R-COMP-13", "pass", "/agency/province"),
        }
        | SAMUT_PRAKAN_CCTV
        | DATA_OK,
        steps=[("provincial_committee", "endorsement"), ("moi_committee", "approval")],
    ),
    Case(
        # A fiscal year before the rules is a fact the policy judges, not a shape error (422).
        "a 2009 proposal with its Buddhist-era fiscal year",
        submission(submitted_on="2009-06-01", project={"fiscal_year": 2552}),
        "not_applicable",
        None,
        None,
        {("R-AUTH-8", "not_applicable", "/submitted_on")},
    ),
    Case(
        "submitted before the 2010 rules",
        submission(submitted_on="2009-12-31"),
        "not_applicable",
        None,
        None,
        {("R-AUTH-8", "not_applicable", "/submitted_on")},
    ),
    Case(
        "as_of the day before the 2010 rules",
        submission(),
        "not_applicable",
        None,
        None,
        {("R-AUTH-8", "not_applicable", "/submitted_on")},
        as_of="2010-02-02",
    ),
    Case(
        "as_of the day the 2010 rules apply",
        submission(),
        "pass",
        "provincial_committee",
        "TH-30",
        PROVINCIAL,
        as_of="2010-02-03",
        periods=["FY2553-H1"],
    ),
]
