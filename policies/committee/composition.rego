# A province's committee order against the composition rules in force on
# the evaluation date (RULEBOOK §4):
#
#   from 2010-02-03 (MOI-2010; composition in MOI-MEMO-2010 §2.2 items 1-8)
#     R-COMP-1 chair: the governor, exactly one     R-COMP-5 LAO representative(s)
#     R-COMP-2 vice chair: the deputy governor CIO  R-COMP-6 the provincial statistician
#     R-COMP-3 two ICT experts (<2 fail, >2 warn)   R-COMP-7 secretary: head of provincial office
#     R-COMP-4 MOI agency head representative(s)    R-COMP-8 assistant secretary: head of ICT group
#     R-COMP-9 no committee for Bangkok or Pattaya; Chon Buri's includes Pattaya City
#   from 2024-05-31 (MOI-2024 items 1-3)
#     R-COMP-10 experts' declared fields  R-COMP-11 police commander or representative
#     R-COMP-12 the nine added powers     R-COMP-13 what a missing addition means (Interpretation)
#
# The order is input.order; input.category ("computer_system" or "cctv",
# optional) says for which kind of project R-COMP-13 judges the order.

# METADATA
# scope: package
# title: Committee composition (RULEBOOK section 4)
# description: >-
#   A province's committee order (input.order) against the composition rules
#   in force on the evaluation date: the 2010 members and the 2024 additions.
# custom:
#   sources: [MOI-MEMO-2010, MOI-2010, MOI-2024]
package ictgate.committee.composition

import data.ictgate.lib.context
import data.ictgate.lib.findings as finding
import data.ictgate.lib.thai

_params := data.rulebook.parameters.committee

_order := object.get(input, "order", {})

_members := object.get(_order, "members", [])

_powers := object.get(_order, "powers", [])

default applies := false

applies if context.as_of >= _params.rules_2010_from

default amendments_apply := false

amendments_apply if context.as_of >= _params.rules_2024_from

# Member indexes by role and by position; pointers name the member concerned.
_with_role(role) := [i | some i, member in _members; member.role == role]

_with_position(position) := [i | some i, member in _members; member.position == position]

_member_pointer(i) := sprintf("/members/%d", [i])

_position_of(i) := sprintf("%v", [object.get(_members[i], "position", "-")])

# METADATA
# scope: document
# title: Committee composition findings
# description: >-
#   The 2010 composition rules (chair, vice chair, experts, required members,
#   secretaries, Bangkok and Pattaya City) and the 2024 additions.
# custom:
#   rule_ids: [
#     R-COMP-1, R-COMP-2, R-COMP-3, R-COMP-4, R-COMP-5, R-COMP-6, R-COMP-7,
#     R-COMP-8, R-COMP-9, R-COMP-10, R-COMP-11, R-COMP-12, R-COMP-13,
#   ]
findings contains finding.result("R-COMP-1", "fail", "", "as_of_invalid", {}) if not context.as_of

findings contains finding.result("R-COMP-1", "not_applicable", "/order/effective_from", "before_rules", {
	"as_of": context.as_of,
	"from": _params.rules_2010_from,
}) if {
	context.as_of
	not applies
}

# R-COMP-1, 2, 7 and 8: roles held by exactly one member, of a given position.
_single_roles := {
	"R-COMP-1": {
		"role": "chair", "position": _params.chair_position,
		"none": "no_chair", "many": "many_chairs", "wrong": "chair_not_governor",
	},
	"R-COMP-2": {
		"role": "vice_chair", "position": _params.vice_chair_position,
		"none": "no_vice_chair", "many": "many_vice_chairs", "wrong": "vice_chair_not_cio",
	},
	"R-COMP-7": {
		"role": "secretary", "position": _params.secretary_position,
		"none": "missing", "many": "many", "wrong": "wrong_position",
	},
	"R-COMP-8": {
		"role": "assistant_secretary", "position": _params.assistant_secretary_position,
		"none": "missing", "many": "many", "wrong": "wrong_position",
	},
}

findings contains _single_role(rule_id, spec) if {
	applies
	some rule_id, spec in _single_roles
}

_single_role(rule_id, spec) := finding.result(rule_id, "fail", "/members", spec.none, {}) if {
	count(_with_role(spec.role)) == 0
}

_single_role(rule_id, spec) := finding.result(
	rule_id, "fail", _member_pointer(holders[1]), spec.many,
	{"count": sprintf("%d", [count(holders)])},
) if {
	holders := _with_role(spec.role)
	count(holders) > 1
}

_single_role(rule_id, spec) := result if {
	holders := _with_role(spec.role)
	count(holders) == 1
	i := holders[0]
	result := _holder_result(rule_id, i, _position_of(i) == spec.position, spec.wrong)
}

_holder_result(rule_id, i, true, _) := finding.result(rule_id, "pass", _member_pointer(i), "ok", {})

_holder_result(rule_id, i, false, wrong_key) := finding.result(
	rule_id, "fail", sprintf("%s/position", [_member_pointer(i)]), wrong_key,
	{"position": _position_of(i), "position_th": thai.labels("positions", [_position_of(i)])},
)

# R-COMP-3: the memo names two ICT experts; fewer fails, more warns.
_experts := experts_in(_order)

_expert_params := {"count": sprintf("%d", [count(_experts)]), "expected": sprintf("%d", [_params.experts_named])}

findings contains finding.result("R-COMP-3", "pass", "/members", "ok", _expert_params) if {
	applies
	count(_experts) == _params.experts_named
}

findings contains finding.result("R-COMP-3", "fail", "/members", "too_few", _expert_params) if {
	applies
	count(_experts) < _params.experts_named
}

findings contains finding.result("R-COMP-3", "warn", "/members", "too_many", _expert_params) if {
	applies
	count(_experts) > _params.experts_named
}

# R-COMP-4, R-COMP-5, R-COMP-6: members that must sit on the committee.
_required_members := {
	"R-COMP-4": "moi_agency_head_representative",
	"R-COMP-5": "lao_representative",
	"R-COMP-6": "provincial_statistician",
}

findings contains finding.result(
	rule_id, "pass", _member_pointer(holders[0]), "ok",
	{"count": sprintf("%d", [count(holders)])},
) if {
	applies
	some rule_id, position in _required_members
	holders := _with_position(position)
	count(holders) > 0
}

findings contains finding.result(rule_id, "fail", "/members", "missing", {}) if {
	applies
	some rule_id, position in _required_members
	count(_with_position(position)) == 0
}

# R-COMP-9: Bangkok and Pattaya City have no committee of their own;
# Chon Buri's committee includes a Pattaya City representative.
findings contains finding.result("R-COMP-9", "fail", "/province", _params.without_committee[_order.province], {}) if {
	applies
}

_pattaya_members := [i |
	some i, member in _members
	member.position == "lao_representative"
	member.lao_kind == _params.pattaya_lao_kind
]

findings contains finding.result("R-COMP-9", "pass", _member_pointer(_pattaya_members[0]), "pattaya_ok", {}) if {
	applies
	_order.province == _params.pattaya_province
	count(_pattaya_members) > 0
}

findings contains finding.result("R-COMP-9", "fail", "/members", "pattaya_missing", {}) if {
	applies
	_order.province == _params.pattaya_province
	count(_pattaya_members) == 0
}

# From 2024-05-31. A missing addition is judged by R-COMP-13 (Interpretation):
# a warning for computer-system projects, a failure for CCTV projects.
default gap_outcome := "warn"

gap_outcome := "fail" if input.category == "cctv"

# An order made after the letter had to follow it, whatever the projects.
gap_outcome := "fail" if _signed_after_letter

_signed_after_letter if input.order.order.signed_on >= _params.rules_2024_from

_gap_key := "signed_after_letter" if _signed_after_letter

_gap_key := sprintf("not_amended_%s", [_category]) if not _signed_after_letter

# The 2024 additions as functions of an order, so that the pre-check can ask
# them of an order on file (committee/approval.rego) without "with".
experts_in(order) := [i | some i, member in object.get(order, "members", []); member.position == "expert"]

undeclared_experts_in(order) := [i |
	some i, member in object.get(order, "members", [])
	member.position == "expert"
	not _declares_2024_field(member)
]

police_in(order) := [i |
	some i, member in object.get(order, "members", [])
	member.position in _params.police_positions
]

missing_powers_in(order) := [power | some power in _params.powers_2024; not power in object.get(order, "powers", [])]

# missing_amendments_in: which of R-COMP-10, 11 and 12 the order does not meet.
missing_amendments_in(order) := {rule_id | some rule_id, lacking in _lacking(order); lacking}

_lacking(order) := {
	"R-COMP-10": _lacks_declared_experts(order),
	"R-COMP-11": count(police_in(order)) == 0,
	"R-COMP-12": count(missing_powers_in(order)) > 0,
}

_lacks_declared_experts(order) if {
	count(experts_in(order)) == 0
} else if {
	count(undeclared_experts_in(order)) > 0
} else := false

_declares_2024_field(member) if {
	some field in object.get(member, "expertise", [])
	field in _params.expert_fields_2024
}

_undeclared_experts := undeclared_experts_in(_order)

_police_members := police_in(_order)

missing_powers := missing_powers_in(_order)

default missing_amendments := set()

missing_amendments := missing_amendments_in(_order) if amendments_apply

# R-COMP-10: every expert declares a field.
findings contains finding.result("R-COMP-10", "pass", "/members", "ok", {}) if {
	amendments_apply
	count(_experts) > 0
	count(_undeclared_experts) == 0
}

findings contains finding.result("R-COMP-10", gap_outcome, "/members", "no_experts", {}) if {
	amendments_apply
	count(_experts) == 0
}

findings contains finding.result(
	"R-COMP-10", gap_outcome, sprintf("%s/expertise", [_member_pointer(i)]), "undeclared",
	{"member": sprintf("%d", [i + 1]), "from": _params.rules_2024_from},
) if {
	amendments_apply
	some i in _undeclared_experts
}

# R-COMP-11: the provincial police commander or a representative.
findings contains finding.result("R-COMP-11", "pass", _member_pointer(_police_members[0]), "ok", {}) if {
	amendments_apply
	count(_police_members) > 0
}

findings contains finding.result(
	"R-COMP-11", gap_outcome, "/members", "missing",
	{"from": _params.rules_2024_from},
) if {
	amendments_apply
	count(_police_members) == 0
}

# R-COMP-12: the nine powers.
findings contains finding.result("R-COMP-12", "pass", "/powers", "ok", {}) if {
	amendments_apply
	count(missing_powers) == 0
}

findings contains finding.result("R-COMP-12", gap_outcome, "/powers", "missing", {
	"count": sprintf("%d", [count(missing_powers)]),
	"missing": concat(", ", missing_powers),
	"missing_th": thai.labels("powers", missing_powers),
}) if {
	amendments_apply
	count(missing_powers) > 0
}

# R-COMP-13: the order as a whole, after 2024-05-31.
default is_amended := false

is_amended if {
	amendments_apply
	count(missing_amendments) == 0
}

findings contains finding.result("R-COMP-13", "pass", "", "amended", {}) if is_amended

findings contains finding.result(
	"R-COMP-13", gap_outcome, "", _gap_key,
	{
		"missing_rules": concat(", ", sort(missing_amendments)),
		"missing_rules_th": thai.labels("amendments_2024", sort(missing_amendments)),
		"signed_on": _signed_on,
	},
) if {
	amendments_apply
	count(missing_amendments) > 0
}

default _signed_on := "-"

_signed_on := input.order.order.signed_on

# An order checked on a date before it takes effect is not in force then: a person must look.
findings contains finding.result(
	"R-COMP-13", "review", "/order/effective_from", "not_yet_in_force",
	{"effective_from": input.order.order.effective_from, "as_of": context.as_of},
) if {
	applies
	context.as_of < input.order.order.effective_from
}

default _category := "computer_system"

_category := "cctv" if input.category == "cctv"
