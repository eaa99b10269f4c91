# R-AUTH-8: which submissions these rules apply to, at the evaluation date.
#
# In scope: computer-system projects (CCTV included, R-AUTH-7) of MOI agencies
# and local administrative organisations (MOI-MEMO-2010 title and §2), and
# CCTV projects of any agency in a province whose letter says so (Samut
# Prakan from 2024-07-17, SPK-2024 ¶2). Out of scope: everything else, and
# any date before the 2010 rules came into force (MOI-2010).

# METADATA
# scope: package
# title: Scope of the rules (R-AUTH-8)
# description: >-
#   Which submissions the rules apply to at the evaluation date: computer-system
#   projects of MOI agencies and LAOs, CCTV projects of any agency where a
#   province's letter says so, from the day the 2010 rules came into force.
# custom:
#   sources: [MOI-MEMO-2010, MOI-2010, SPK-2024]
package ictgate.authority.scope

import data.ictgate.lib.context
import data.ictgate.lib.findings as finding

_params := data.rulebook.parameters.authority

_terms := data.rulebook.terms

_submission := context.submission

_kind := _submission.agency.kind

_category := _submission.project.category

_province := _submission.agency.province

default in_scope := false

in_scope if {
	_is_decidable
	_rules_in_force
	_covers_agency
}

# A state enterprise under MOI: judged as an MOI agency, and flagged for review.
in_scope if {
	_is_decidable
	_rules_in_force
	_under_review
}

in_scope if {
	_is_decidable
	_rules_in_force
	not _covers_agency
	_covers_cctv_in_province
}

_is_decidable if {
	context.as_of
	_known_kind
	_known_category
}

# Rules of their own, so that a missing kind or category fails R-AUTH-8 on
# every engine: OPA makes "not _terms.agency_kinds[_kind]" undefined, not
# true, when _kind is undefined.
_known_kind if _terms.agency_kinds[_kind]

_known_category if _terms.categories[_category]

_rules_in_force if context.as_of >= _params.rules_in_force_from

_covers_agency if _kind in _params.computer_system_agency_kinds

_covers_cctv_in_province if {
	_category == "cctv"
	not _non_government
	context.as_of >= _params.cctv_any_agency_provinces[_province].from
}

_under_review if _kind in _params.review_agency_kinds

_non_government if _kind in _params.non_government_agency_kinds

# METADATA
# scope: document
# title: R-AUTH-8 scope findings
# description: >-
#   Why a submission is in scope, out of scope, or cannot be decided (an
#   invalid date, a missing or unknown agency kind or category).
# custom:
#   rule_ids: [R-AUTH-8]
findings contains finding.result("R-AUTH-8", "fail", "/submitted_on", "as_of_invalid", {}) if {
	not context.as_of
}

findings contains finding.result("R-AUTH-8", "fail", "/agency/kind", "kind_missing", {}) if {
	context.as_of
	not _known_kind
}

findings contains finding.result("R-AUTH-8", "fail", "/project/category", "kind_missing", {}) if {
	context.as_of
	not _known_category
}

findings contains finding.result("R-AUTH-8", "not_applicable", "/submitted_on", "before_rules", {
	"as_of": context.as_of,
	"from": _params.rules_in_force_from,
}) if {
	_is_decidable
	not _rules_in_force
}

findings contains finding.result("R-AUTH-8", "not_applicable", "/agency/kind", "agency_out_of_scope", _kind_params) if {
	_is_decidable
	_rules_in_force
	not in_scope
	not _non_government
}

findings contains finding.result("R-AUTH-8", "not_applicable", "/agency/kind", "private_party", _kind_params) if {
	_is_decidable
	_rules_in_force
	_non_government
}

findings contains finding.result("R-AUTH-8", "review", "/agency/kind", "state_enterprise", _kind_params) if {
	_is_decidable
	_rules_in_force
	_under_review
}

findings contains finding.result("R-AUTH-8", "pass", "/agency/kind", "in_scope_agency", _kind_params) if {
	in_scope
	_covers_agency
}

findings contains finding.result("R-AUTH-8", "pass", "/agency/province", "in_scope_cctv_province", object.union(
	_kind_params,
	{
		"from": _params.cctv_any_agency_provinces[_province].from,
		"province": _province,
		"province_th": data.rulebook.provinces.provinces[_province].name.th,
		"province_en": data.rulebook.provinces.provinces[_province].name.en,
	},
)) if {
	in_scope
	not _covers_agency
}

_kind_params := {
	"kind": _kind,
	"kind_th": _terms.agency_kinds[_kind].th,
	"kind_en": _terms.agency_kinds[_kind].en,
	"category_th": _terms.categories[_category].th,
	"category_en": _terms.categories[_category].en,
}
