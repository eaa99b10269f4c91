# Whole verdicts for the edge cases of the rulebook: verdict, route and the
# exact set of findings (rule, outcome, field).
package ictgate.precheck.main_test

import data.ictgate.precheck.main
import data.ictgate.testlib.builders

# Within the threshold, standard prices declined (R-AUTH-3).
_without_standard_prices := builders.input_for({"project": {"standard_prices": false}})

test_complete_provincial_project_passes_with_its_obligation if {
	verdict := main.verdict with input as builders.base_input
	verdict.verdict == "pass"
	verdict.as_of == "2025-02-01"
	verdict.route.body == "provincial_committee"
	verdict.route.province == "TH-30"
	builders.summary(verdict.findings) == {
		["R-AUTH-1", "pass", "/project/standard_prices"],
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-6", "pass", ""],
		["R-AUTH-8", "pass", "/agency/kind"],
		["R-AUTH-10", "pass", "/agency/province"],
		["R-COMP-13", "warn", "/agency/province"], # Nakhon Ratchasima's order on file is the 2010 one
	}
	[o.period | some o in verdict.obligations] == ["FY2568-H1"]
}

test_findings_are_in_rulebook_order if {
	verdict := main.verdict with input as builders.base_input
	[f.rule | some f in verdict.findings] == ["R-AUTH-1", "R-AUTH-2", "R-AUTH-6", "R-AUTH-8", "R-AUTH-10", "R-COMP-13"]
}

test_every_finding_carries_messages_and_a_citation if {
	verdict := main.verdict with input as builders.input_for({"project": {"category": "cctv"}})
	every f in verdict.findings {
		count(f.message.th) > 0
		count(f.message.en) > 0
		f.citation.source in object.keys(data.rulebook.sources.documents)
		not contains(f.message.en, "{")
	}
}

test_exactly_five_million_passes_to_the_provincial_committee if {
	verdict := main.verdict with input as builders.input_for({"project": {"budget_thb": 5000000.00}})
	verdict.verdict == "pass"
	verdict.route.body == "provincial_committee"
}

test_five_million_and_one_satang_passes_to_the_moi_committee if {
	verdict := main.verdict with input as builders.input_for({"project": {"budget_thb": 5000000.01}})
	verdict.verdict == "pass"
	verdict.route.body == "moi_committee"
	verdict.obligations == []
	builders.summary(verdict.findings) == {
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-8", "pass", "/agency/kind"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
}

test_wrong_requested_body_fails_but_still_names_the_route if {
	proposal := builders.input_for({"project": {"budget_thb": 5000000.01}, "requested_body": "provincial_committee"})
	verdict := main.verdict with input as proposal
	verdict.verdict == "fail"
	verdict.route.body == "moi_committee"
}

test_bangkok_at_any_budget_goes_to_the_moi_committee if {
	every budget in [1, 5000000, 5000000.01, 900000000] {
		verdict := main.verdict with input as builders.input_for({
			"agency": {"kind": "bma", "province": "TH-10"},
			"project": {"budget_thb": budget},
		})
		verdict.verdict == "pass"
		verdict.route.body == "moi_committee"
		builders.summary(verdict.findings) == {
			["R-AUTH-4", "pass", "/agency/province"],
			["R-AUTH-8", "pass", "/agency/kind"],
			["R-AUTH-10", "pass", "/agency/province"],
		}
	}
}

test_pattaya_as_th_s_goes_to_the_chon_buri_committee if {
	verdict := main.verdict with input as builders.input_for({"agency": {"kind": "pattaya_city", "province": "TH-S"}})
	verdict.verdict == "pass"
	verdict.route.body == "provincial_committee"
	verdict.route.province == "TH-20"
}

test_pattaya_city_in_th_20_goes_to_the_chon_buri_committee if {
	verdict := main.verdict with input as builders.input_for({"agency": {"kind": "pattaya_city", "province": "TH-20"}})
	verdict.verdict == "pass"
	verdict.route.province == "TH-20"
	["R-AUTH-5", "pass", "/agency/province"] in builders.summary(verdict.findings)
}

test_no_standard_prices_under_the_threshold_passes_with_a_warning_to_the_moi_committee if {
	verdict := main.verdict with input as _without_standard_prices
	verdict.verdict == "pass"
	verdict.route.body == "moi_committee"
	["R-AUTH-3", "warn", "/project/standard_prices"] in builders.summary(verdict.findings)
	[f.severity | some f in verdict.findings; f.rule == "R-AUTH-3"] == ["warning"]
}

test_out_of_scope_agency_is_not_applicable_with_only_the_reason if {
	verdict := main.verdict with input as builders.input_for({"agency": {"kind": "central_government"}})
	verdict.verdict == "not_applicable"
	not verdict.route
	verdict.obligations == []
	builders.summary(verdict.findings) == {["R-AUTH-8", "not_applicable", "/agency/kind"]}
}

test_date_before_2010_is_not_applicable if {
	verdict := main.verdict with input as builders.input_for({"submitted_on": "2009-06-30"})
	verdict.verdict == "not_applicable"
	verdict.as_of == "2009-06-30"
	builders.summary(verdict.findings) == {["R-AUTH-8", "not_applicable", "/submitted_on"]}
}

test_caller_as_of_before_2010_is_not_applicable if {
	verdict := main.verdict with input as object.union(builders.base_input, {"as_of": "2010-02-02"})
	verdict.verdict == "not_applicable"
	verdict.as_of == "2010-02-02"
}

test_first_day_of_the_2010_rules_is_evaluated if {
	verdict := main.verdict with input as builders.input_for({"submitted_on": "2010-02-03"})
	verdict.verdict == "pass"
	[o.period | some o in verdict.obligations] == ["FY2553-H1"]
}

test_cctv_project_of_a_municipality_passes_to_the_provincial_committee if {
	verdict := main.verdict with input as builders.cctv_base_input
	verdict.verdict == "pass"
	verdict.route.province == "TH-11"
	["R-AUTH-7", "pass", "/project/category"] in builders.summary(verdict.findings)
}

test_cctv_project_above_threshold_goes_to_the_moi_committee if {
	proposal := builders.input_for({
		"agency": {"kind": "town_municipality", "province": "TH-11"},
		"project": {"category": "cctv", "budget_thb": 5000000.01},
	})
	verdict := main.verdict with input as proposal
	verdict.route.body == "moi_committee"
}

# Fail closed: a proposal the rules cannot decide never passes.
test_missing_budget_fails_without_a_route if {
	verdict := main.verdict with input as builders.without("project/budget_thb")
	verdict.verdict == "fail"
	not verdict.route
}

test_missing_standard_prices_fails if {
	verdict := main.verdict with input as builders.without("project/standard_prices")
	verdict.verdict == "fail"
}

test_missing_agency_kind_fails_rather_than_being_out_of_scope if {
	verdict := main.verdict with input as builders.without("agency/kind")
	verdict.verdict == "fail"
}

test_unknown_province_fails if {
	verdict := main.verdict with input as builders.input_for({"agency": {"province": "TH-99"}})
	verdict.verdict == "fail"
	not verdict.route
}

test_empty_input_fails if {
	verdict := main.verdict with input as {}
	verdict.verdict == "fail"
	builders.summary(verdict.findings) == {["R-AUTH-8", "fail", "/submitted_on"]}
}

test_invalid_caller_date_fails if {
	verdict := main.verdict with input as object.union(builders.base_input, {"as_of": "yesterday"})
	verdict.verdict == "fail"
	not verdict.as_of
}

test_a_warning_alone_does_not_fail if {
	main.verdict.verdict == "pass" with input as _without_standard_prices
}

test_a_failure_is_never_outweighed if {
	proposal := builders.input_for({"agency": {"kind": "bma", "province": "TH-11"}})
	main.verdict.verdict == "fail" with input as proposal
}
