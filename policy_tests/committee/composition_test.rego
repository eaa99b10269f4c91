package ictgate.committee.composition_test

import data.ictgate.committee.composition
import data.ictgate.testlib.builders

_2010_rules := {
	["R-COMP-1", "pass", "/members/0"],
	["R-COMP-2", "pass", "/members/1"],
	["R-COMP-3", "pass", "/members"],
	["R-COMP-4", "pass", "/members/4"],
	["R-COMP-5", "pass", "/members/5"],
	["R-COMP-6", "pass", "/members/6"],
	["R-COMP-7", "pass", "/members/7"],
	["R-COMP-8", "pass", "/members/8"],
}

_check(order, as_of) := summary if {
	summary := builders.summary(composition.findings) with input as builders.order_input(order, as_of)
}

# Whole orders through time.
test_complete_2010_order_in_2015_meets_every_rule_then_in_force if {
	_check(builders.order_2010, "2015-06-01") == _2010_rules
}

test_complete_2010_order_the_day_before_the_2024_letter if {
	_check(builders.order_2010, "2024-05-30") == _2010_rules
}

test_complete_2010_order_from_the_2024_letter_lacks_the_additions if {
	_check(builders.order_2010, "2024-05-31") == _2010_rules | {
		["R-COMP-10", "warn", "/members/2/expertise"],
		["R-COMP-10", "warn", "/members/3/expertise"],
		["R-COMP-11", "warn", "/members"],
		["R-COMP-12", "warn", "/powers"],
		["R-COMP-13", "warn", ""],
	}
}

test_complete_2010_order_in_2025_fails_for_cctv_projects if {
	findings := builders.summary(composition.findings) with input as object.union(
		builders.order_input(builders.order_2010, "2025-01-01"),
		{"category": "cctv"},
	)
	findings == _2010_rules | {
		["R-COMP-10", "fail", "/members/2/expertise"],
		["R-COMP-10", "fail", "/members/3/expertise"],
		["R-COMP-11", "fail", "/members"],
		["R-COMP-12", "fail", "/powers"],
		["R-COMP-13", "fail", ""],
	}
}

test_complete_2024_order_meets_every_rule if {
	_check(builders.order_2024, "2025-01-01") == {
		["R-COMP-1", "pass", "/members/0"],
		["R-COMP-2", "pass", "/members/1"],
		["R-COMP-3", "pass", "/members"],
		["R-COMP-4", "pass", "/members/4"],
		["R-COMP-5", "pass", "/members/5"],
		["R-COMP-6", "pass", "/members/6"],
		["R-COMP-7", "pass", "/members/8"],
		["R-COMP-8", "pass", "/members/9"],
		["R-COMP-10", "pass", "/members"],
		["R-COMP-11", "pass", "/members/7"],
		["R-COMP-12", "pass", "/powers"],
		["R-COMP-13", "pass", ""],
	}
}

test_before_the_2010_rules_nothing_applies if {
	_check(builders.order_2010, "2010-02-02") == {["R-COMP-1", "not_applicable", "/order/effective_from"]}
	not composition.applies with input as builders.order_input(builders.order_2010, "2010-02-02")
}

test_the_2010_rules_apply_from_their_first_day if {
	composition.applies with input as builders.order_input(builders.order_2010, "2010-02-03")
}

# R-COMP-1: exactly one chair, the governor.
test_no_chair_fails if {
	order := builders.without_position(builders.order_2010, "provincial_governor")
	["R-COMP-1", "fail", "/members"] in _check(order, "2015-01-01")
}

test_duplicate_chair_fails_at_the_second_chair if {
	order := builders.plus_member(builders.order_2010, {"position": "provincial_governor", "role": "chair"})
	["R-COMP-1", "fail", "/members/9"] in _check(order, "2015-01-01")
}

test_chair_who_is_not_the_governor_fails if {
	members := array.concat(
		[{"position": "deputy_governor", "role": "chair"}],
		array.slice(builders.order_2010.members, 1, 9),
	)
	order := builders.with_members(builders.order_2010, members)
	["R-COMP-1", "fail", "/members/0/position"] in _check(order, "2015-01-01")
}

# R-COMP-2: the vice chair is the deputy governor who is CIO.
test_vice_chair_who_is_not_the_cio_fails if {
	members := array.concat(
		[builders.order_2010.members[0], {"position": "deputy_governor", "role": "vice_chair"}],
		array.slice(builders.order_2010.members, 2, 9),
	)
	order := builders.with_members(builders.order_2010, members)
	["R-COMP-2", "fail", "/members/1/position"] in _check(order, "2015-01-01")
}

test_no_vice_chair_fails if {
	order := builders.without_position(builders.order_2010, "deputy_governor_cio")
	["R-COMP-2", "fail", "/members"] in _check(order, "2015-01-01")
}

# R-COMP-3: two experts; fewer fails, more warns.
test_one_expert_fails if {
	members := [m | some i, m in builders.order_2010.members; i != 3]
	["R-COMP-3", "fail", "/members"] in _check(builders.with_members(builders.order_2010, members), "2015-01-01")
}

test_three_experts_warn if {
	order := builders.plus_member(builders.order_2010, {"position": "expert", "role": "member"})
	["R-COMP-3", "warn", "/members"] in _check(order, "2015-01-01")
}

# R-COMP-4, 5, 6: required members.
test_missing_moi_agency_representative_fails if {
	order := builders.without_position(builders.order_2010, "moi_agency_head_representative")
	["R-COMP-4", "fail", "/members"] in _check(order, "2015-01-01")
}

test_missing_lao_representative_fails if {
	order := builders.without_position(builders.order_2010, "lao_representative")
	["R-COMP-5", "fail", "/members"] in _check(order, "2015-01-01")
}

test_missing_statistician_fails if {
	order := builders.without_position(builders.order_2010, "provincial_statistician")
	["R-COMP-6", "fail", "/members"] in _check(order, "2015-01-01")
}

# R-COMP-7 and 8: secretary and assistant secretary.
test_missing_secretary_fails if {
	order := builders.without_position(builders.order_2010, "head_of_provincial_office")
	["R-COMP-7", "fail", "/members"] in _check(order, "2015-01-01")
}

test_secretary_in_the_wrong_position_fails if {
	members := [m |
		some original in builders.order_2010.members
		m := _swap_secretary(original)
	]
	order := builders.with_members(builders.order_2010, members)
	["R-COMP-7", "fail", "/members/7/position"] in _check(order, "2015-01-01")
}

_swap_secretary(member) := {"position": "provincial_statistician", "role": "secretary"} if {
	member.role == "secretary"
} else := member

test_missing_assistant_secretary_fails if {
	order := builders.without_position(builders.order_2010, "head_of_provincial_ict_group")
	["R-COMP-8", "fail", "/members"] in _check(order, "2015-01-01")
}

test_two_assistant_secretaries_fail if {
	second := {"position": "head_of_provincial_ict_group", "role": "assistant_secretary"}
	order := builders.plus_member(builders.order_2010, second)
	["R-COMP-8", "fail", "/members/9"] in _check(order, "2015-01-01")
}

# R-COMP-9: Bangkok, Pattaya City, Chon Buri.
test_bangkok_order_fails if {
	order := object.union(builders.order_2010, {"province": "TH-10"})
	["R-COMP-9", "fail", "/province"] in _check(order, "2015-01-01")
}

test_pattaya_order_fails if {
	order := object.union(builders.order_2010, {"province": "TH-S"})
	["R-COMP-9", "fail", "/province"] in _check(order, "2015-01-01")
}

test_chon_buri_without_pattaya_fails if {
	order := object.union(builders.order_2010, {"province": "TH-20"})
	["R-COMP-9", "fail", "/members"] in _check(order, "2015-01-01")
}

test_chon_buri_with_pattaya_passes if {
	order := builders.plus_member(
		object.union(builders.order_2010, {"province": "TH-20"}),
		{"position": "lao_representative", "role": "member", "lao_kind": "pattaya_city"},
	)
	["R-COMP-9", "pass", "/members/9"] in _check(order, "2015-01-01")
}

test_other_provinces_have_no_pattaya_finding if {
	every f in _check(builders.order_2010, "2015-01-01") {
		f[0] != "R-COMP-9"
	}
}

# R-COMP-10..12 from 2024-05-31.
test_expert_without_declared_field_is_named if {
	members := [m |
		some i, original in builders.order_2024.members
		m := _strip_expertise(i, original)
	]
	findings := _check(builders.with_members(builders.order_2024, members), "2025-01-01")

	# Signed after the 2024 letter: a missing addition fails for every category.
	["R-COMP-10", "fail", "/members/3/expertise"] in findings
	["R-COMP-13", "fail", ""] in findings
}

_strip_expertise(3, member) := json.remove(member, ["expertise"])

_strip_expertise(i, member) := member if i != 3

test_order_without_experts_fails_rule_10_too if {
	order := builders.without_position(builders.order_2024, "expert")
	findings := _check(order, "2025-01-01")
	["R-COMP-3", "fail", "/members"] in findings
	["R-COMP-10", "fail", "/members"] in findings
}

test_police_representative_counts if {
	order := builders.plus_member(
		builders.without_position(builders.order_2024, "provincial_police_commander"),
		{"position": "provincial_police_commander_representative", "role": "member"},
	)
	["R-COMP-11", "pass", "/members/9"] in _check(order, "2025-01-01")
}

test_missing_police_is_a_gap if {
	order := builders.without_position(builders.order_2024, "provincial_police_commander")
	["R-COMP-11", "fail", "/members"] in _check(order, "2025-01-01")
}

test_one_missing_power_is_named if {
	powers := [p | some p in builders.order_2024.powers; p != "maintenance"]
	order := object.union(builders.order_2024, {"powers": powers})
	composition.missing_powers == ["maintenance"] with input as builders.order_input(order, "2025-01-01")
	["R-COMP-12", "fail", "/powers"] in _check(order, "2025-01-01")
}

test_amended_order_is_not_judged_before_the_letter if {
	findings := _check(builders.order_2024, "2024-05-30")
	judged := {f | some f in findings; f[2] != "/order/effective_from"}
	every f in judged {
		not f[0] in {"R-COMP-10", "R-COMP-11", "R-COMP-12", "R-COMP-13"}
	}

	# It takes effect on 2024-07-01: on 2024-05-30 it is not in force, and says so.
	["R-COMP-13", "review", "/order/effective_from"] in findings
}

# An order made after the letter must carry its additions for any project; one made
# before it only warns for computer systems (R-COMP-13).
test_an_order_signed_after_the_letter_without_police_fails_for_computer_systems if {
	order := builders.without_position(builders.order_2024, "provincial_police_commander")
	findings := _check(order, "2025-01-01")
	["R-COMP-13", "fail", ""] in findings
	before := object.union(order, {"order": {"signed_on": "2024-05-01", "effective_from": "2024-05-01"}})
	["R-COMP-13", "warn", ""] in _check(before, "2025-01-01")
	["R-COMP-11", "warn", "/members"] in _check(before, "2025-01-01")
}

test_an_order_checked_before_it_takes_effect_needs_review_naming_the_date if {
	findings := composition.findings with input as builders.order_input(builders.order_2024, "2024-06-20")
	some f in findings
	f.rule == "R-COMP-13"
	f.outcome == "review"
	f.params.effective_from == "2024-07-01"
	["R-COMP-13", "review", "/order/effective_from"] in _check(builders.order_2024, "2024-06-20")
	not ["R-COMP-13", "review", "/order/effective_from"] in _check(builders.order_2024, "2024-07-01")
}

test_missing_amendments_of_a_2010_order if {
	composition.missing_amendments_in(builders.order_2010) == {"R-COMP-10", "R-COMP-11", "R-COMP-12"}
	composition.missing_amendments_in(builders.order_2024) == set()
}

# Fail closed: an empty or member-less order fails, never passes.
test_order_without_members_fails if {
	findings := _check(builders.with_members(builders.order_2010, []), "2015-01-01")
	["R-COMP-1", "fail", "/members"] in findings
	["R-COMP-7", "fail", "/members"] in findings
}

# An expert's declared fields, missing and present (the negation now takes the
# member, not a lookup by index into the order).
test_undeclared_experts_are_those_without_a_2024_field if {
	order := {"members": [
		{"position": "expert", "role": "member"},
		{"position": "expert", "role": "member", "expertise": ["cctv"]},
		{"position": "provincial_governor", "role": "chair"},
		{"position": "expert", "role": "member", "expertise": ["cooking"]},
		{"position": "expert", "role": "member", "expertise": []},
	]}
	composition.undeclared_experts_in(order) == [0, 3, 4]
	composition.experts_in(order) == [0, 1, 3, 4]
}

test_order_without_members_has_no_undeclared_experts if {
	composition.undeclared_experts_in({}) == []
	composition.undeclared_experts_in({"members": []}) == []
}
