# Which body approves an in-scope project (RULEBOOK §3):
#
#   R-AUTH-4  Bangkok                                   -> moi_committee
#   R-AUTH-2  budget above the threshold                -> moi_committee
#   R-AUTH-1  within the threshold, standard prices     -> provincial_committee
#   R-AUTH-3  within the threshold, no standard prices  -> moi_committee (warning)
#   R-AUTH-5  Pattaya City uses the Chon Buri committee
#   R-AUTH-7  CCTV projects follow the same rules
#   R-AUTH-10 provinces are ISO 3166-2:TH codes
#
# The rule that decides the route also checks requested_body: naming another
# body fails that rule (R-AUTH-3 stays a warning, as the rulebook says).

# METADATA
# scope: package
# title: Approving body (RULEBOOK section 3)
# description: >-
#   Which body approves an in-scope project, by agency, budget threshold and
#   standard prices, and whether the requested body is that one; the province
#   code must be a known ISO 3166-2:TH code that fits the agency kind.
# custom:
#   sources: [MOI-MEMO-2010, MOI-2024, MDES-PRICE]
package ictgate.authority.routing

import data.ictgate.authority.province
import data.ictgate.cctv.timeline
import data.ictgate.lib.context
import data.ictgate.lib.findings as finding
import data.ictgate.lib.money

_params := data.rulebook.parameters.authority

_bodies := data.rulebook.bodies.bodies

_provinces := data.rulebook.provinces.provinces

_submission := context.submission

_province := _submission.agency.province

_kind := _submission.agency.kind

_budget := _submission.project.budget_thb

is_bangkok if province.is_bangkok

is_pattaya if province.is_pattaya

has_valid_budget if {
	is_number(_budget)
	_budget > 0
}

# A multi-year project is judged on its total value when the proposal gives it
# (R-AUTH-2): the amount that decides the authority is the larger of this
# year's budget and the stated total, so a total below the budget never lowers it.
_has_total if {
	is_number(_submission.project.total_value_thb)
	_submission.project.total_value_thb > 0
}

_deciding_amount := max([_budget, _submission.project.total_value_thb]) if {
	has_valid_budget
	_has_total
}

_deciding_amount := _budget if {
	has_valid_budget
	not _has_total
}

# Exactly the threshold is "not exceeding" (MOI-MEMO-2010 §3.1).
is_within_threshold if {
	has_valid_budget
	_deciding_amount <= _params.threshold_thb
}

is_above_threshold if {
	has_valid_budget
	_deciding_amount > _params.threshold_thb
}

uses_standard_prices if _submission.project.standard_prices == true

declines_standard_prices if _submission.project.standard_prices == false

# decision: the rule whose condition names the approving body.
decision := "R-AUTH-4" if is_bangkok

decision := "R-AUTH-2" if {
	not is_bangkok
	is_above_threshold
}

decision := "R-AUTH-1" if {
	not is_bangkok
	is_within_threshold
	uses_standard_prices
}

decision := "R-AUTH-3" if {
	not is_bangkok
	is_within_threshold
	declines_standard_prices
}

body := _params.route_of_rule[decision]

committee_province := province.committee_province

# The approval chain (RULEBOOK §2): every body a proposal must pass, in order.
# A province's CCTV letters can put a body before the memo's authority route
# (Samut Prakan: the CCTV data committee's consent in 2021-2023, SPK-2021; the
# amended provincial committee from 2024-07-17, SPK-2024), and they alone name
# the body for an agency the memo does not govern. The last step approves.
steps := _chained if {
	count(_chained) > 0
	not _memo_route_missing
}

# The memo governs but cannot name its body (no valid budget, no price declaration): no
# chain, rather than a shorter one that would make an earlier body look like the approver.
_memo_route_missing if {
	_authority_decides
	count(_authority_steps) == 0
}

_chained := array.concat(_cctv_steps, [step |
	some step in _authority_steps
	not _reached(step)
])

# The memo's route adds no step for a body the CCTV timeline already put on the chain.
_reached(step) if {
	some earlier in _cctv_steps
	earlier.body == step.body
	object.get(earlier, "province", "") == object.get(step, "province", "")
}

default _authority_steps := []

_authority_steps := [_step(body, committee_province, decision, "step")] if {
	_authority_decides
	body == "provincial_committee"
	_provinces[committee_province]
}

_authority_steps := [_step(body, null, decision, "step")] if {
	_authority_decides
	body == "moi_committee"
}

default _cctv_steps := []

_cctv_steps := [_step(timeline.segment.body, committee_province, timeline.step_rule, timeline.step_key)] if {
	is_string(timeline.segment.body)
	_provinces[committee_province]
}

# One step: the body, its province (provincial bodies only), its role on the
# chain (set by _roles once the chain is known), why it is there and the letter.
_step(step_body, step_province, rule_id, message_key) := object.union(
	{
		"body": step_body,
		"name": _bodies[step_body].name,
		"rule": rule_id,
		"reason": finding.message(rule_id, message_key, _message_params),
		"citation": finding.citation(rule_id, message_key),
	},
	_province_of_step(step_province),
)

_province_of_step(step_province) := {"province": step_province} if is_string(step_province)

_province_of_step(step_province) := {} if not is_string(step_province)

# Roles: the last step approves; a CCTV data committee before it consents; any
# other body before it endorses the proposal to the next one.
_roled := [object.union(step, {"role": _role(i, step)}) | some i, step in steps]

_role(i, _) := "approval" if i == count(steps) - 1

_role(i, step) := "consent" if {
	i < count(steps) - 1
	step.body == "provincial_cctv_data_committee"
}

_role(i, step) := "endorsement" if {
	i < count(steps) - 1
	step.body != "provincial_cctv_data_committee"
}

# The route keeps the body (and province) that gives the final approval.
route := object.union(
	{"body": final.body, "name": final.name, "steps": _roled},
	_province_of_step(object.get(final, "province", null)),
) if {
	final := steps[count(steps) - 1]
}

# The body a proposal is first submitted to: the first step of the chain.
submit_to := steps[0]

on_chain(step_body) if {
	some step in steps
	step.body == step_body
}

# Naming a body that is not on the chain fails the deciding rule.
names_other_body if {
	requested := _submission.requested_body
	is_string(requested)
	not on_chain(requested)
	not _left_to_cctv_rules
}

# A CCTV project addressed to a CCTV body is judged by R-CCTV-1 and R-CCTV-2.
_left_to_cctv_rules if {
	_submission.project.category == "cctv"
	data.rulebook.parameters.cctv.lapsed_bodies[_submission.requested_body]
}

# The finding of the deciding rule: pass, or fail with the body to use instead.
_decided(rule_id, field, message_key) := finding.result(rule_id, "pass", field, message_key, _message_params) if {
	not names_other_body
}

_decided(rule_id, _, _) := finding.result(rule_id, "fail", "/requested_body", "wrong_body", _message_params) if {
	names_other_body
}

# METADATA
# scope: document
# title: Approving-body findings
# description: >-
#   The deciding rule's finding (pass, or fail naming the body to use), the
#   budget and standard-price checks, Pattaya City, CCTV as a computer system,
#   and the province code.
# custom:
#   rule_ids: [R-AUTH-1, R-AUTH-2, R-AUTH-3, R-AUTH-4, R-AUTH-5, R-AUTH-7, R-AUTH-10]
findings contains _decided("R-AUTH-4", "/agency/province", "bangkok") if is_bangkok

findings contains _decided("R-AUTH-2", "/project/budget_thb", "above_threshold") if {
	_authority_decides
	not is_bangkok
	is_above_threshold
}

findings contains finding.result("R-AUTH-2", "pass", "/project/budget_thb", "within_threshold", _message_params) if {
	_authority_decides
	not is_bangkok
	is_within_threshold
}

findings contains finding.result("R-AUTH-2", "fail", "/project/budget_thb", "budget_missing", _message_params) if {
	not is_bangkok
	not has_valid_budget
}

# The total of a multi-year project decides; it cannot be below this year's budget.
findings contains finding.result(
	"R-AUTH-2", "pass", "/project/total_value_thb", "multi_year_total",
	_message_params,
) if {
	has_valid_budget
	_has_total
	_submission.project.total_value_thb >= _budget
}

findings contains finding.result(
	"R-AUTH-2", "fail", "/project/total_value_thb", "total_below_budget",
	_message_params,
) if {
	has_valid_budget
	_has_total
	_submission.project.total_value_thb < _budget
}

findings contains _decided("R-AUTH-1", "/project/standard_prices", "routed") if {
	_authority_decides
	decision == "R-AUTH-1"
}

# The memo (MOI-MEMO-2010) governs MOI agencies and local administrations; its
# authority route applies unless a province's CCTV timeline names no body (the gap).
_authority_decides if {
	memo_governs
	not timeline.in_gap
}

memo_governs if _kind in _params.computer_system_agency_kinds

# Interpretation: a state enterprise under MOI is routed as an MOI agency, under review (R-AUTH-8).
memo_governs if _kind in _params.review_agency_kinds

findings contains finding.result(
	"R-AUTH-1", "fail", "/project/standard_prices", "standard_prices_missing",
	_message_params,
) if {
	_authority_decides
	not is_bangkok
	is_within_threshold
	not uses_standard_prices
	not declines_standard_prices
}

findings contains finding.result(
	"R-AUTH-3", "warn", "/project/standard_prices", "non_standard_prices",
	_message_params,
) if {
	_authority_decides
	decision == "R-AUTH-3"
}

findings contains finding.result("R-AUTH-5", "pass", "/agency/province", "pattaya", _committee_province_params) if {
	is_pattaya
	not is_bangkok
}

findings contains finding.result("R-AUTH-7", "pass", "/project/category", _cctv_key, {}) if {
	_authority_decides
	_submission.project.category == "cctv"
}

# A camera network declared as a plain computer system misses the CCTV rules
# (R-CCTV, R-DATA): a title naming cameras asks the officer to declare it as CCTV.
findings contains finding.result("R-AUTH-7", "review", "/project/category", "looks_like_cctv", {
	"title": _submission.project.title,
	"word": _camera_words[0],
}) if {
	_submission.project.category == "computer_system"
	count(_camera_words) > 0
}

_camera_words := [word |
	some word in _params.camera_title_words
	contains(lower(_submission.project.title), word)
]

# Cite the document in force: the 2024 letter from its date, the 2010 memo before it.
_cctv_key := "cctv_is_computer_system" if context.as_of >= _params.cctv_letter_from

_cctv_key := "cctv_is_computer_system_before_2024" if context.as_of < _params.cctv_letter_from

# R-AUTH-10: the province code is a known ISO 3166-2:TH code that fits the agency.
findings contains finding.result(
	"R-AUTH-10", "fail", "/agency/province", "province_unknown",
	{"province": sprintf("%v", [object.get(_submission, ["agency", "province"], "")])},
) if {
	not _province_known
}

# Its own rule, so that a missing province fails here on every engine: OPA
# makes "not _provinces[_province]" undefined when _province is.
_province_known if _provinces[_province]

findings contains finding.result("R-AUTH-10", "fail", "/agency/province", "kind_province_mismatch", object.union(
	_kind_params,
	{"province": _province, "expected": expected},
)) if {
	_provinces[_province]
	some expected in _mismatched_province
}

findings contains finding.result("R-AUTH-10", "pass", "/agency/province", "province_known", _province_params) if {
	_provinces[_province]
	_province != _params.pattaya.province
	count(_mismatched_province) == 0
}

findings contains finding.result(
	"R-AUTH-10", "pass", "/agency/province", "pattaya_code",
	object.union(_committee_province_params, {"province": _province}),
) if {
	_province == _params.pattaya.province
	count(_mismatched_province) == 0
}

# The province codes an agency kind must use, when it gives another one.
_mismatched_province contains _params.bangkok.province if {
	_kind == _params.bangkok.agency_kind
	_province != _params.bangkok.province
}

_mismatched_province contains sprintf("%s / %s", [_params.pattaya.committee_province, _params.pattaya.province]) if {
	_kind == _params.pattaya.agency_kind
	not _is_pattaya_province
}

_is_pattaya_province if _province in {_params.pattaya.committee_province, _params.pattaya.province}

# Message parameters. Each one has a default, so a missing field can change
# a message but never make a finding disappear.
_message_params := {
	"budget": _budget_text,
	"amount_th": _amount_text.th,
	"amount_en": _amount_text.en,
	"total": _total_text,
	"threshold": money.format_thb(_params.threshold_thb),
	"body_th": _body_name.th,
	"body_en": _body_name.en,
	"requested": _requested,
	"requested_th": _requested_name.th,
	"requested_en": _requested_name.en,
	"province": _committee_province_code,
	"province_th": _committee_province_name.th,
	"province_en": _committee_province_name.en,
}

default _budget_text := "-"

_budget_text := money.format_thb(_budget) if has_valid_budget

default _total_text := "-"

_total_text := money.format_thb(_submission.project.total_value_thb) if _has_total

# The amount the messages name: this year's budget, or the multi-year total that decided.
default _amount_text := {"th": "งบประมาณ - บาท", "en": "budget of - THB"}

_amount_text := {
	"th": sprintf("งบประมาณ %s บาท", [_budget_text]),
	"en": sprintf("budget of %s THB", [_budget_text]),
} if {
	has_valid_budget
	not _has_total
}

_amount_text := {
	"th": sprintf("มูลค่ารวมทั้งโครงการหลายปี %s บาท", [money.format_thb(_deciding_amount)]),
	"en": sprintf("multi-year total value of %s THB", [money.format_thb(_deciding_amount)]),
} if {
	has_valid_budget
	_has_total
}

default _body_name := {"th": "-", "en": "-"}

_body_name := _bodies[body].name

default _requested := "-"

_requested := _submission.requested_body if is_string(_submission.requested_body)

default _requested_name := {"th": "-", "en": "-"}

_requested_name := _bodies[_requested].name

_requested_name := {"th": _requested, "en": _requested} if not _requested_is_a_body

_requested_is_a_body if _bodies[_requested]

default _committee_province_code := "-"

_committee_province_code := committee_province

default _committee_province_name := {"th": "-", "en": "-"}

_committee_province_name := _provinces[committee_province].name

_committee_province_params := {
	"province": _committee_province_code,
	"province_th": _committee_province_name.th,
	"province_en": _committee_province_name.en,
	"committee_province": _committee_province_code,
	"committee_province_th": _committee_province_name.th,
	"committee_province_en": _committee_province_name.en,
}

_province_params := {
	"province": _province,
	"province_th": _provinces[_province].name.th,
	"province_en": _provinces[_province].name.en,
}

_kind_params := {
	"kind": sprintf("%v", [_kind]),
	"kind_th": object.get(data.rulebook.terms.agency_kinds, [_kind, "th"], sprintf("%v", [_kind])),
	"kind_en": object.get(data.rulebook.terms.agency_kinds, [_kind, "en"], sprintf("%v", [_kind])),
}
