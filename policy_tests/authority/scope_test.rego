package ictgate.authority.scope_test

import data.ictgate.authority.scope
import data.ictgate.testlib.builders

test_pao_is_in_scope if {
	scope.in_scope with input as builders.base_input
	builders.summary(scope.findings) == {["R-AUTH-8", "pass", "/agency/kind"]} with input as builders.base_input
}

test_every_moi_and_lao_kind_is_in_scope if {
	every kind in [
		"moi_provincial_agency", "pao", "city_municipality", "town_municipality",
		"subdistrict_municipality", "sao", "bma", "pattaya_city",
	] {
		scope.in_scope with input as builders.input_for({"agency": {"kind": kind}})
	}
}

test_central_government_computer_system_is_out_of_scope if {
	proposal := builders.input_for({"agency": {"kind": "central_government"}})
	not scope.in_scope with input as proposal
	builders.summary(scope.findings) == {["R-AUTH-8", "not_applicable", "/agency/kind"]}
		with input as proposal
}

test_other_agency_is_out_of_scope if {
	not scope.in_scope with input as builders.input_for({"agency": {"kind": "other"}})
}

test_central_government_cctv_in_samut_prakan_is_in_scope if {
	proposal := builders.input_for({
		"submitted_on": "2024-07-17",
		"agency": {"kind": "central_government", "province": "TH-11"},
		"project": {"category": "cctv"},
	})
	scope.in_scope with input as proposal
	builders.summary(scope.findings) == {["R-AUTH-8", "pass", "/agency/province"]}
		with input as proposal
}

test_central_government_cctv_in_samut_prakan_before_the_2024_letter_is_out_of_scope if {
	proposal := builders.input_for({
		"submitted_on": "2024-07-16",
		"agency": {"kind": "central_government", "province": "TH-11"},
		"project": {"category": "cctv"},
	})
	not scope.in_scope with input as proposal
}

test_central_government_cctv_elsewhere_is_out_of_scope if {
	changes := {"agency": {"kind": "central_government", "province": "TH-30"}, "project": {"category": "cctv"}}
	proposal := builders.input_for(changes)
	not scope.in_scope with input as proposal
}

test_central_government_computer_system_in_samut_prakan_is_out_of_scope if {
	proposal := builders.input_for({"agency": {"kind": "central_government", "province": "TH-11"}})
	not scope.in_scope with input as proposal
}

test_day_before_the_2010_rules_is_out_of_scope if {
	proposal := builders.input_for({"submitted_on": "2010-02-02"})
	not scope.in_scope with input as proposal
	builders.summary(scope.findings) == {["R-AUTH-8", "not_applicable", "/submitted_on"]}
		with input as proposal
}

test_day_the_2010_rules_apply_is_in_scope if {
	scope.in_scope with input as builders.input_for({"submitted_on": "2010-02-03"})
}

test_caller_as_of_before_2010_is_out_of_scope if {
	not scope.in_scope with input as object.union(builders.base_input, {"as_of": "2009-12-31"})
}

test_missing_agency_kind_fails if {
	proposal := builders.without("agency/kind")
	not scope.in_scope with input as proposal
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/agency/kind"]}
		with input as proposal
}

test_unknown_category_fails if {
	proposal := builders.input_for({"project": {"category": "furniture"}})
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/project/category"]}
		with input as proposal
}

test_invalid_date_fails if {
	proposal := builders.input_for({"submitted_on": "1 Feb 2025"})
	not scope.in_scope with input as proposal
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/submitted_on"]}
		with input as proposal
}

test_scope_provinces_are_data if {
	changes := {"agency": {"kind": "central_government", "province": "TH-30"}, "project": {"category": "cctv"}}
	proposal := builders.input_for(changes)
	scope.in_scope with input as proposal
		with data.rulebook.parameters.authority.cctv_any_agency_provinces as {"TH-30": {"from": "2020-01-01"}}
}

# The kind and the category, each missing and present: OPA once read
# "not _terms.agency_kinds[_kind]" as undefined, not true, for a missing kind,
# so the failure vanished and the verdict was not_applicable.
test_missing_category_fails if {
	proposal := builders.without("project/category")
	not scope.in_scope with input as proposal
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/project/category"]}
		with input as proposal
}

test_missing_kind_and_category_fail_twice if {
	proposal := {"submission": json.remove(builders.base_submission, ["agency/kind", "project/category"])}
	builders.summary(scope.findings) == {
		["R-AUTH-8", "fail", "/agency/kind"],
		["R-AUTH-8", "fail", "/project/category"],
	}
		with input as proposal
}

test_present_kind_and_category_are_known if {
	scope._known_kind with input as builders.base_input
	scope._known_category with input as builders.base_input
	not scope._known_kind with input as builders.without("agency/kind")
	not scope._known_category with input as builders.without("project/category")
}
