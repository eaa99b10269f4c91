package ictgate.authority.scope_test

import data.ictgate.authority.scope
import data.ictgate.testlib.builders

test_pao_is_in_scope if {
	scope.in_scope with input as builders.input_for({})
	builders.summary(scope.findings) == {["R-AUTH-8", "pass", "/agency/kind"]} with input as builders.input_for({})
}

test_every_moi_and_lao_kind_is_in_scope if {
	every kind in ["moi_provincial_agency", "pao", "city_municipality", "town_municipality",
		"subdistrict_municipality", "sao", "bma", "pattaya_city"] {
		scope.in_scope with input as builders.input_for({"agency": {"kind": kind}})
	}
}

test_central_government_computer_system_is_out_of_scope if {
	changes := {"agency": {"kind": "central_government"}}
	not scope.in_scope with input as builders.input_for(changes)
	builders.summary(scope.findings) == {["R-AUTH-8", "not_applicable", "/agency/kind"]}
		with input as builders.input_for(changes)
}

test_other_agency_is_out_of_scope if {
	not scope.in_scope with input as builders.input_for({"agency": {"kind": "other"}})
}

test_central_government_cctv_in_samut_prakan_is_in_scope if {
	changes := {
		"submitted_on": "2024-07-17",
		"agency": {"kind": "central_government", "province": "TH-11"},
		"project": {"category": "cctv"},
	}
	scope.in_scope with input as builders.input_for(changes)
	builders.summary(scope.findings) == {["R-AUTH-8", "pass", "/agency/province"]}
		with input as builders.input_for(changes)
}

test_central_government_cctv_in_samut_prakan_before_the_2024_letter_is_out_of_scope if {
	changes := {
		"submitted_on": "2024-07-16",
		"agency": {"kind": "central_government", "province": "TH-11"},
		"project": {"category": "cctv"},
	}
	not scope.in_scope with input as builders.input_for(changes)
}

test_central_government_cctv_elsewhere_is_out_of_scope if {
	changes := {"agency": {"kind": "central_government", "province": "TH-30"}, "project": {"category": "cctv"}}
	not scope.in_scope with input as builders.input_for(changes)
}

test_central_government_computer_system_in_samut_prakan_is_out_of_scope if {
	changes := {"agency": {"kind": "central_government", "province": "TH-11"}}
	not scope.in_scope with input as builders.input_for(changes)
}

test_day_before_the_2010_rules_is_out_of_scope if {
	changes := {"submitted_on": "2010-02-02"}
	not scope.in_scope with input as builders.input_for(changes)
	builders.summary(scope.findings) == {["R-AUTH-8", "not_applicable", "/submitted_on"]}
		with input as builders.input_for(changes)
}

test_day_the_2010_rules_apply_is_in_scope if {
	scope.in_scope with input as builders.input_for({"submitted_on": "2010-02-03"})
}

test_caller_as_of_before_2010_is_out_of_scope if {
	not scope.in_scope with input as object.union(builders.input_for({}), {"as_of": "2009-12-31"})
}

test_missing_agency_kind_fails if {
	not scope.in_scope with input as builders.without("agency/kind")
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/agency/kind"]}
		with input as builders.without("agency/kind")
}

test_unknown_category_fails if {
	changes := {"project": {"category": "furniture"}}
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/project/category"]}
		with input as builders.input_for(changes)
}

test_invalid_date_fails if {
	changes := {"submitted_on": "1 Feb 2025"}
	not scope.in_scope with input as builders.input_for(changes)
	builders.summary(scope.findings) == {["R-AUTH-8", "fail", "/submitted_on"]}
		with input as builders.input_for(changes)
}

test_scope_provinces_are_data if {
	changes := {"agency": {"kind": "central_government", "province": "TH-30"}, "project": {"category": "cctv"}}
	scope.in_scope with input as builders.input_for(changes)
		with data.rulebook.parameters.authority.cctv_any_agency_provinces as {"TH-30": {"from": "2020-01-01"}}
}
