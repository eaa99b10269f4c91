package ictgate.authority.routing_test

import data.ictgate.authority.routing
import data.ictgate.precheck.main
import data.ictgate.testlib.builders

# R-AUTH-1: within the threshold at standard prices -> provincial committee.
test_within_threshold_standard_prices_goes_to_provincial_committee if {
	routing.route.body == "provincial_committee" with input as builders.base_input
	routing.route.province == "TH-30" with input as builders.base_input
	builders.summary(routing.findings) == {
		["R-AUTH-1", "pass", "/project/standard_prices"],
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as builders.base_input
}

test_exactly_the_threshold_does_not_exceed_it if {
	proposal := builders.input_for({"project": {"budget_thb": 5000000.00}})
	routing.route.body == "provincial_committee" with input as proposal
	routing.decision == "R-AUTH-1" with input as proposal
}

# R-AUTH-2: above the threshold -> MOI committee.
test_one_satang_above_the_threshold_goes_to_moi_committee if {
	proposal := builders.input_for({"project": {"budget_thb": 5000000.01}})
	route := routing.route with input as proposal
	route.body == "moi_committee"
	route.name == data.rulebook.bodies.bodies.moi_committee.name
	not route.province
	[[s.body, s.role, s.rule] | some s in route.steps] == [["moi_committee", "approval", "R-AUTH-2"]]
	builders.summary(routing.findings) == {
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as proposal
}

test_above_threshold_without_standard_prices_still_goes_to_moi_committee if {
	proposal := builders.input_for({"project": {"budget_thb": 9000000, "standard_prices": false}})
	routing.decision == "R-AUTH-2" with input as proposal
}

test_requesting_the_provincial_committee_above_the_threshold_fails if {
	proposal := builders.input_for({"project": {"budget_thb": 5000000.01}, "requested_body": "provincial_committee"})
	builders.summary(routing.findings) == {
		["R-AUTH-2", "fail", "/requested_body"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as proposal
}

test_requesting_the_moi_committee_within_the_threshold_fails if {
	proposal := builders.input_for({"requested_body": "moi_committee"})
	["R-AUTH-1", "fail", "/requested_body"] in builders.summary(routing.findings)
		with input as proposal
}

test_requesting_the_right_body_passes if {
	proposal := builders.input_for({"requested_body": "provincial_committee"})
	["R-AUTH-1", "pass", "/project/standard_prices"] in builders.summary(routing.findings)
		with input as proposal
}

test_threshold_is_data if {
	proposal := builders.input_for({"project": {"budget_thb": 3000000}})
	routing.route.body == "moi_committee" with input as proposal
		with data.rulebook.parameters.authority.threshold_thb as 1000000
}

# R-AUTH-3: within the threshold without standard prices -> MOI committee, a warning.
test_within_threshold_without_standard_prices_warns_and_goes_to_moi if {
	proposal := builders.input_for({"project": {"standard_prices": false}})
	routing.route.body == "moi_committee" with input as proposal
	builders.summary(routing.findings) == {
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-3", "warn", "/project/standard_prices"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as proposal
}

test_requesting_provincial_committee_without_standard_prices_stays_a_warning if {
	proposal := builders.input_for({"project": {"standard_prices": false}, "requested_body": "provincial_committee"})
	["R-AUTH-3", "warn", "/project/standard_prices"] in builders.summary(routing.findings)
		with input as proposal
}

# R-AUTH-4: Bangkok -> MOI committee whatever the budget.
test_bangkok_small_budget_goes_to_moi_committee if {
	proposal := builders.input_for({"agency": {"kind": "bma", "province": "TH-10"}, "project": {"budget_thb": 100}})
	routing.route.body == "moi_committee" with input as proposal
	builders.summary(routing.findings) == {
		["R-AUTH-4", "pass", "/agency/province"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as proposal
}

test_bangkok_large_budget_goes_to_moi_committee if {
	changes := {"agency": {"kind": "bma", "province": "TH-10"}, "project": {"budget_thb": 80000000}}
	proposal := builders.input_for(changes)
	routing.decision == "R-AUTH-4" with input as proposal
}

test_bangkok_without_standard_prices_is_still_rule_4 if {
	changes := {"agency": {"kind": "bma", "province": "TH-10"}, "project": {"standard_prices": false}}
	proposal := builders.input_for(changes)
	routing.decision == "R-AUTH-4" with input as proposal
}

test_moi_agency_in_bangkok_goes_to_moi_committee if {
	proposal := builders.input_for({"agency": {"kind": "moi_provincial_agency", "province": "TH-10"}})
	routing.route.body == "moi_committee" with input as proposal
}

test_bangkok_requesting_provincial_committee_fails if {
	changes := {"agency": {"kind": "bma", "province": "TH-10"}, "requested_body": "provincial_committee"}
	proposal := builders.input_for(changes)
	["R-AUTH-4", "fail", "/requested_body"] in builders.summary(routing.findings)
		with input as proposal
}

test_bma_outside_bangkok_fails_the_province_rule if {
	proposal := builders.input_for({"agency": {"kind": "bma", "province": "TH-11"}})
	["R-AUTH-10", "fail", "/agency/province"] in builders.summary(routing.findings)
		with input as proposal
}

# R-AUTH-5 and R-AUTH-10: Pattaya City -> the Chon Buri committee.
test_pattaya_code_goes_to_chon_buri_committee if {
	proposal := builders.input_for({"agency": {"kind": "pattaya_city", "province": "TH-S"}})
	routing.route.body == "provincial_committee" with input as proposal
	routing.route.province == "TH-20" with input as proposal
	builders.summary(routing.findings) == {
		["R-AUTH-1", "pass", "/project/standard_prices"],
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-5", "pass", "/agency/province"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as proposal
}

test_pattaya_city_in_chon_buri_goes_to_chon_buri_committee if {
	proposal := builders.input_for({"agency": {"kind": "pattaya_city", "province": "TH-20"}})
	routing.route.province == "TH-20" with input as proposal
	["R-AUTH-5", "pass", "/agency/province"] in builders.summary(routing.findings)
		with input as proposal
}

test_any_agency_with_pattaya_code_goes_to_chon_buri_committee if {
	proposal := builders.input_for({"agency": {"kind": "moi_provincial_agency", "province": "TH-S"}})
	routing.route.province == "TH-20" with input as proposal
}

test_pattaya_city_in_another_province_fails_the_province_rule if {
	proposal := builders.input_for({"agency": {"kind": "pattaya_city", "province": "TH-11"}})
	["R-AUTH-10", "fail", "/agency/province"] in builders.summary(routing.findings)
		with input as proposal
}

test_pattaya_above_threshold_goes_to_moi_committee if {
	changes := {"agency": {"kind": "pattaya_city", "province": "TH-S"}, "project": {"budget_thb": 7000000}}
	proposal := builders.input_for(changes)
	routing.route.body == "moi_committee" with input as proposal
}

test_other_chon_buri_agency_is_not_pattaya if {
	proposal := builders.input_for({"agency": {"kind": "sao", "province": "TH-20"}})
	not ["R-AUTH-5", "pass", "/agency/province"] in builders.summary(routing.findings)
		with input as proposal
}

# R-AUTH-7: CCTV projects follow the same thresholds.
test_cctv_project_is_routed_like_a_computer_system if {
	proposal := builders.input_for({"project": {"category": "cctv", "budget_thb": 6000000}})
	routing.route.body == "moi_committee" with input as proposal
	["R-AUTH-7", "pass", "/project/category"] in builders.summary(routing.findings)
		with input as proposal
}

test_computer_system_has_no_cctv_finding if {
	not "R-AUTH-7" in {f.rule | some f in routing.findings} with input as builders.base_input
}

# R-AUTH-2: the total value of a multi-year project decides the authority.
test_multi_year_total_above_the_threshold_goes_to_the_moi_committee if {
	proposal := builders.input_for({"project": {"budget_thb": 3000000, "total_value_thb": 9000000}})
	routing.route.body == "moi_committee" with input as proposal
	{[f.rule, f.outcome, f.message_key] | some f in routing.findings; f.rule == "R-AUTH-2"} == {
		["R-AUTH-2", "pass", "multi_year_total"],
		["R-AUTH-2", "pass", "above_threshold"],
	}
		with input as proposal
}

test_multi_year_message_names_the_total if {
	proposal := builders.input_for({"project": {"budget_thb": 3000000, "total_value_thb": 9000000}})
	thai := {f.message.th | some f in main.verdict.findings; f.rule == "R-AUTH-2"} with input as proposal
	thai[concat("", [
		"มูลค่ารวมทั้งโครงการหลายปี 9,000,000.00 บาท เกิน 5,000,000.00 บาท ",
		"จึงต้องเสนอคณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย",
	])]
}

test_multi_year_total_within_the_threshold_stays_with_the_province if {
	proposal := builders.input_for({"project": {"budget_thb": 2000000, "total_value_thb": 5000000}})
	routing.route.body == "provincial_committee" with input as proposal
}

test_a_total_below_the_budget_fails_and_the_budget_decides if {
	proposal := builders.input_for({"project": {"budget_thb": 6000000, "total_value_thb": 1000000}})
	["R-AUTH-2", "fail", "/project/total_value_thb"] in builders.summary(routing.findings) with input as proposal
	routing.route.body == "moi_committee" with input as proposal
}

# R-AUTH-7: a camera network declared as a plain computer system gets a hint.
test_camera_title_declared_as_computer_system_needs_review if {
	proposal := builders.input_for({"project": {"title": "ติดตั้งกล้องวงจรปิดหน้าที่ว่าการอำเภอ"}})
	{[f.outcome, f.message_key, f.params.word] | some f in routing.findings; f.rule == "R-AUTH-7"} == {[
		"review", "looks_like_cctv",
		"กล้องวงจรปิด",
	]}
		with input as proposal
	main.verdict.verdict == "needs_review" with input as proposal
}

test_camera_title_in_english_is_found_in_any_case if {
	proposal := builders.input_for({"project": {"title": "Smart City CCTV backbone"}})
	["R-AUTH-7", "review", "/project/category"] in builders.summary(routing.findings) with input as proposal
}

test_camera_title_declared_as_cctv_has_no_hint if {
	project := {"title": "ติดตั้งกล้องวงจรปิด", "category": "cctv", "budget_thb": 6000000}
	proposal := builders.input_for({"project": project})
	not "looks_like_cctv" in {f.message_key | some f in routing.findings} with input as proposal
}

# Fail closed: missing or broken fields never yield a route.
test_missing_budget_fails_and_names_no_body if {
	proposal := builders.without("project/budget_thb")
	not routing.route with input as proposal
	builders.summary(routing.findings) == {
		["R-AUTH-2", "fail", "/project/budget_thb"],
		["R-AUTH-10", "pass", "/agency/province"],
	}
		with input as proposal
}

test_zero_budget_fails if {
	["R-AUTH-2", "fail", "/project/budget_thb"] in builders.summary(routing.findings)
		with input as builders.input_for({"project": {"budget_thb": 0}})
}

test_text_budget_fails if {
	["R-AUTH-2", "fail", "/project/budget_thb"] in builders.summary(routing.findings)
		with input as builders.input_for({"project": {"budget_thb": "3000000"}})
}

test_missing_standard_prices_fails_within_threshold if {
	proposal := builders.without("project/standard_prices")
	not routing.route with input as proposal
	["R-AUTH-1", "fail", "/project/standard_prices"] in builders.summary(routing.findings)
		with input as proposal
}

test_unknown_province_fails_and_names_no_provincial_committee if {
	proposal := builders.input_for({"agency": {"province": "TH-99"}})
	not routing.route with input as proposal
	["R-AUTH-10", "fail", "/agency/province"] in builders.summary(routing.findings)
		with input as proposal
}

test_missing_province_fails if {
	["R-AUTH-10", "fail", "/agency/province"] in builders.summary(routing.findings)
		with input as builders.without("agency/province")
}

# The negations of R-AUTH-10 and of the message parameters, each with the
# value it looks up missing and present (OPA once read "not _provinces[_province]"
# as undefined, not true, for a missing province: the failure vanished).
_r10(findings) := {[f.outcome, f.message_key] | some f in findings; f.rule == "R-AUTH-10"}

test_missing_province_is_exactly_an_unknown_province if {
	findings := routing.findings with input as builders.without("agency/province")
	_r10(findings) == {["fail", "province_unknown"]}
	[f.params.province | some f in findings; f.rule == "R-AUTH-10"] == [""]
}

test_present_province_is_exactly_a_known_province if {
	findings := routing.findings with input as builders.base_input
	_r10(findings) == {["pass", "province_known"]}
}

test_pattaya_city_without_a_province_names_the_codes_it_may_use if {
	routing._mismatched_province == {"TH-20 / TH-S"} with input as {"submission": json.remove(
		builders.submission({"agency": {"kind": "pattaya_city"}}),
		["agency/province"],
	)}
}

_pattaya_city_in(code) := builders.input_for({"agency": {"kind": "pattaya_city", "province": code}})

test_pattaya_city_with_a_pattaya_code_has_no_mismatch if {
	routing._mismatched_province == set() with input as _pattaya_city_in("TH-S")
	routing._mismatched_province == set() with input as _pattaya_city_in("TH-20")
	routing._mismatched_province == {"TH-20 / TH-S"} with input as _pattaya_city_in("TH-30")
}

test_requested_body_name_when_missing_known_or_unknown if {
	routing._requested_name == {"th": "-", "en": "-"} with input as builders.base_input
	routing._requested_name == data.rulebook.bodies.bodies.moi_committee.name
		with input as builders.input_for({"requested_body": "moi_committee"})
	routing._requested_name == {"th": "city_hall", "en": "city_hall"}
		with input as builders.input_for({"requested_body": "city_hall"})
}

# A CCTV body requested for a CCTV project is left to R-CCTV-1 and R-CCTV-2;
# for a computer-system project it is the wrong body.
test_cctv_body_requested_for_a_cctv_project_is_left_to_the_cctv_rules if {
	proposal := builders.input_for({"project": {"category": "cctv"}, "requested_body": "national_cctv_committee"})
	not routing.names_other_body with input as proposal
	["R-AUTH-1", "pass", "/project/standard_prices"] in builders.summary(routing.findings) with input as proposal
}

test_cctv_body_requested_for_a_computer_system_is_another_body if {
	proposal := builders.input_for({"requested_body": "national_cctv_committee"})
	routing.names_other_body with input as proposal
	["R-AUTH-1", "fail", "/requested_body"] in builders.summary(routing.findings) with input as proposal
}

test_no_requested_body_names_no_other_body if {
	not routing.names_other_body with input as builders.input_for({"project": {"category": "cctv"}})
	not routing.names_other_body with input as builders.base_input
}

# Approval chains (RULEBOOK §2): one step where one body decides.
test_a_one_body_route_is_a_one_step_chain if {
	route := routing.route with input as builders.base_input
	chain := [[s.body, s.province, s.role, s.rule] | some s in route.steps]
	chain == [["provincial_committee", "TH-30", "approval", "R-AUTH-1"]]
	route.steps[0].citation.source == "MOI-MEMO-2010"
	contains(route.steps[0].reason.en, "the provincial committee of Nakhon Ratchasima approves")
	contains(route.steps[0].reason.th, "จังหวัดนครราชสีมา")
}

# Samut Prakan CCTV from SPK-2024: the provincial committee first, then MOI above the threshold.
test_samut_prakan_cctv_above_the_threshold_is_a_two_step_chain if {
	proposal := builders.cctv_input({"project": {"budget_thb": 6000000}})
	route := routing.route with input as proposal
	route.body == "moi_committee"
	[[s.body, object.get(s, "province", "-"), s.role, s.rule] | some s in route.steps] == [
		["provincial_committee", "TH-11", "endorsement", "R-CCTV-3"],
		["moi_committee", "-", "approval", "R-AUTH-2"],
	]
	route.steps[0].citation.source == "SPK-2024"
}

test_samut_prakan_cctv_within_the_threshold_stays_one_step if {
	route := routing.route with input as builders.cctv_base_input
	[[s.body, s.role] | some s in route.steps] == [["provincial_committee", "approval"]]
}

# 2021-2023: the CCTV data committee's consent and the memo's route (SPK-2021 did not repeal §3.2).
test_samut_prakan_cctv_in_2022_needs_consent_then_the_memo_route if {
	proposal := builders.cctv_input({
		"submitted_on": "2022-06-01",
		"project": {"budget_thb": 20000000},
		"requested_body": "provincial_cctv_data_committee",
	})
	route := routing.route with input as proposal
	route.body == "moi_committee"
	[[s.body, s.role, s.rule] | some s in route.steps] == [
		["provincial_cctv_data_committee", "consent", "R-CCTV-2"],
		["moi_committee", "approval", "R-AUTH-2"],
	]
	route.steps[0].citation.source == "SPK-2021"
	["R-AUTH-2", "pass", "/project/budget_thb"] in builders.summary(routing.findings) with input as proposal
}

# Any body on the chain may be addressed; one off the chain fails the deciding rule.
test_a_requested_body_on_the_chain_passes_and_one_off_it_fails if {
	on_chain := builders.cctv_input({"project": {"budget_thb": 6000000}, "requested_body": "provincial_committee"})
	["R-AUTH-2", "pass", "/project/budget_thb"] in builders.summary(routing.findings) with input as on_chain
	off_chain := builders.cctv_input({"requested_body": "moi_committee"})
	["R-AUTH-1", "fail", "/requested_body"] in builders.summary(routing.findings) with input as off_chain
}

# Jurisdiction: a non-MOI government unit's CCTV project in Samut Prakan goes to that committee only.
test_a_non_moi_unit_in_samut_prakan_needs_the_samut_prakan_committee_only if {
	proposal := builders.cctv_input({
		"agency": {"name": "ด่านศุลกากร", "kind": "central_government", "province": "TH-11"},
		"project": {"budget_thb": 9000000},
	})
	route := routing.route with input as proposal
	[[s.body, s.province, s.role] | some s in route.steps] == [["provincial_committee", "TH-11", "approval"]]
	not routing.memo_governs with input as proposal
	summary := builders.summary(routing.findings) with input as proposal
	not ["R-AUTH-2", "pass", "/project/budget_thb"] in summary
	not ["R-AUTH-7", "pass", "/project/category"] in summary
}

test_an_moi_agency_in_samut_prakan_follows_the_memo_too if {
	proposal := builders.cctv_input({"project": {"budget_thb": 9000000}})
	routing.memo_governs with input as proposal
	routing.route.body == "moi_committee" with input as proposal
}

# A 2015 CCTV finding cites the 2010 memo, not the 2024 letter that did not exist yet.
test_a_2015_cctv_project_cites_the_memo_for_r_auth_7 if {
	proposal := builders.input_for({"submitted_on": "2015-03-01", "project": {"category": "cctv"}})
	some f in routing.findings with input as proposal
	f.rule == "R-AUTH-7"
	f.message_key == "cctv_is_computer_system_before_2024"
	recent := builders.input_for({"submitted_on": "2025-03-01", "project": {"category": "cctv"}})
	"cctv_is_computer_system" in {g.message_key | some g in routing.findings; g.rule == "R-AUTH-7"} with input as recent
}
