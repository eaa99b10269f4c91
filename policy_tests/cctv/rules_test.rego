# R-CCTV-1..5 and the dated Samut Prakan cases of the CCTV issue: whole
# verdicts (verdict, route, findings) where the date decides the answer.
package ictgate.cctv.rules_test

import data.ictgate.cctv.rules
import data.ictgate.precheck.main
import data.ictgate.testlib.builders

_addressed_to_cctv_committee(date) := builders.cctv_input({
	"submitted_on": date,
	"requested_body": "provincial_cctv_data_committee",
})

# In August 2024 the private-sharing agreement must already be approved (R-DATA-3).
_august := json.patch(builders.cctv_submission, [{
	"op": "replace",
	"path": "/cctv/sharing/1/agreement/approved_on",
	"value": "2024-07-25",
}])

_august_input(changes) := {"submission": object.union(_august, changes)}

_cctv_rules(verdict) := {f | some f in builders.summary(verdict.findings); startswith(f[0], "R-CCTV-")}

# 2022: the provincial CCTV data committee was in office (SPK-2021).
test_samut_prakan_2022_to_the_cctv_data_committee_is_valid_then if {
	verdict := main.verdict with input as _addressed_to_cctv_committee("2022-10-03")
	verdict.verdict == "pass"
	[[s.body, s.role] | some s in verdict.route.steps] == [
		["provincial_cctv_data_committee", "consent"],
		["provincial_committee", "approval"],
	]
	verdict.route.body == "provincial_committee"
	verdict.route.province == "TH-11"
	[o.rule | some o in verdict.obligations] == ["R-AUTH-6"]
	builders.summary(verdict.findings) == {
		["R-AUTH-1", "pass", "/project/standard_prices"],
		["R-AUTH-2", "pass", "/project/budget_thb"],
		["R-AUTH-6", "pass", ""],
		["R-AUTH-7", "pass", "/project/category"],
		["R-AUTH-8", "pass", "/agency/kind"],
		["R-AUTH-10", "pass", "/agency/province"],
		["R-CCTV-2", "pass", "/requested_body"],
		["R-DATA-1", "pass", "/cctv"],
		["R-DATA-8", "pass", "/cctv/notice_posted"],
		["R-DATA-9", "pass", "/cctv/biometrics"],
	}
}

# Addressed to the provincial committee in 2022: on the chain (the memo's approval), so not wrong.
test_samut_prakan_2022_to_the_provincial_committee_is_on_the_chain if {
	verdict := main.verdict with input as builders.cctv_input({"submitted_on": "2022-10-03"})
	verdict.verdict == "pass"
	verdict.route.steps[0].body == "provincial_cctv_data_committee"
	_cctv_rules(verdict) == {["R-CCTV-2", "pass", "/requested_body"]}
}

# Addressed to the MOI committee in 2022, within the threshold: off the chain, so wrong.
test_samut_prakan_2022_to_the_moi_committee_is_wrong_then if {
	to_moi := builders.cctv_input({"submitted_on": "2022-10-03", "requested_body": "moi_committee"})
	verdict := main.verdict with input as to_moi
	verdict.verdict == "fail"
	_cctv_rules(verdict) == {["R-CCTV-2", "fail", "/requested_body"]}
	["R-AUTH-1", "fail", "/requested_body"] in builders.summary(verdict.findings)
}

# 2024-04: after the lapse, before SPK-2024: no body named.
test_samut_prakan_2024_04_is_the_gap_and_needs_review if {
	verdict := main.verdict with input as _addressed_to_cctv_committee("2024-04-15")
	verdict.verdict == "needs_review"
	not verdict.route
	_cctv_rules(verdict) == {
		["R-CCTV-2", "review", "/requested_body"],
		["R-CCTV-3", "review", "/submitted_on"],
	}
}

test_gap_starts_on_the_lapse_date_which_is_data if {
	input_2023 := _addressed_to_cctv_committee("2023-10-02")
	main.verdict.verdict == "needs_review" with input as input_2023
	main.verdict.verdict == "pass" with input as input_2023
		with data.rulebook.parameters.cctv.national_committee_lapsed_on as "2024-03-18"
		with data.rulebook.parameters.cctv.national_committee_lapse_window_from as "2024-03-01"
}

# The lapse has no day in the letters: inside the window (new Prime Minister appointed
# 2023-08-23, new cabinet in office 2023-09-05) the answer is for a person.
test_inside_the_lapse_window_the_data_committee_needs_review if {
	verdict := main.verdict with input as _addressed_to_cctv_committee("2023-08-30")
	verdict.verdict == "needs_review"
	["R-CCTV-2", "review", "/submitted_on"] in builders.summary(verdict.findings)
	before := main.verdict with input as _addressed_to_cctv_committee("2023-08-22")
	before.verdict == "pass"
}

test_inside_the_lapse_window_the_national_committee_needs_review if {
	proposal := builders.cctv_input({"submitted_on": "2023-08-30", "requested_body": "national_cctv_committee"})
	{[f.outcome, f.message_key] | some f in rules.findings; f.rule == "R-CCTV-1"} == {["review", "lapse_window"]}
		with input as proposal
	some f in rules.findings with input as proposal
	f.rule == "R-CCTV-1"
	f.params.window_from == "2023-08-23"
	f.params.lapsed_on == "2023-09-05"
}

# 2024-08: the amended provincial committee; the lapsed body fails, naming it.
test_samut_prakan_2024_08_to_the_lapsed_committee_fails_and_names_the_body if {
	verdict := main.verdict with input as _august_input({
		"submitted_on": "2024-08-01",
		"requested_body": "provincial_cctv_data_committee",
	})
	verdict.verdict == "fail"
	verdict.route.body == "provincial_committee"
	verdict.route.province == "TH-11"
	_cctv_rules(verdict) == {
		["R-CCTV-2", "fail", "/requested_body"],
		["R-CCTV-3", "pass", "/agency/province"],
		["R-CCTV-4", "pass", "/cctv/follows_provincial_manual"],
	}
	some f in verdict.findings
	f.rule == "R-CCTV-2"
	contains(f.message.en, "submit to the Provincial committee for the administration and procurement")
	contains(f.message.en, "of Samut Prakan instead")
	f.citation.source == "SPK-2024"
}

test_samut_prakan_2024_08_to_the_provincial_committee_passes if {
	verdict := main.verdict with input as _august_input({"submitted_on": "2024-08-01"})
	verdict.verdict == "pass"
	verdict.route.body == "provincial_committee"
	["R-COMP-13", "pass", "/agency/province"] in builders.summary(verdict.findings)
}

test_samut_prakan_above_the_threshold_goes_to_the_moi_committee if {
	verdict := main.verdict with input as _august_input({
		"submitted_on": "2024-08-01",
		"project": {"budget_thb": 5000000.01},
		"requested_body": "moi_committee",
	})
	verdict.verdict == "pass"
	verdict.route.body == "moi_committee"
	["R-AUTH-2", "pass", "/project/budget_thb"] in builders.summary(verdict.findings)
	["R-CCTV-3", "pass", "/agency/province"] in builders.summary(verdict.findings)
}

test_first_day_of_spk_2024_is_the_provincial_committee if {
	main.verdict.route.body == "provincial_committee" with input as builders.cctv_input({"submitted_on": "2024-07-17"})
	not main.verdict.route with input as builders.cctv_input({"submitted_on": "2024-07-16"})
}

# R-CCTV-1: the national committee.
test_national_committee_after_the_lapse_fails_naming_the_body if {
	proposal := builders.cctv_input({"requested_body": "national_cctv_committee"})
	findings := rules.findings with input as proposal
	r1 := {[f.rule, f.outcome, f.message_key] | some f in findings; f.rule == "R-CCTV-1"}
	r1 == {["R-CCTV-1", "fail", "lapsed_use_instead"]}
	main.verdict.verdict == "fail" with input as proposal
}

test_national_committee_in_the_gap_needs_review if {
	proposal := builders.cctv_input({"submitted_on": "2024-02-01", "requested_body": "national_cctv_committee"})
	["R-CCTV-1", "review", "/requested_body"] in builders.summary(rules.findings)
		with input as proposal
}

test_national_committee_before_the_lapse_needs_review if {
	proposal := builders.cctv_input({"submitted_on": "2023-03-01", "requested_body": "national_cctv_committee"})
	["R-CCTV-1", "review", "/requested_body"] in builders.summary(rules.findings)
		with input as proposal
}

test_national_committee_elsewhere_after_the_lapse_fails if {
	proposal := builders.cctv_input({"agency": {"province": "TH-30"}, "requested_body": "national_cctv_committee"})
	["R-CCTV-1", "fail", "/requested_body"] in builders.summary(rules.findings)
		with input as proposal
}

# R-CCTV-4: the provincial manual.
test_project_not_following_the_manual_fails if {
	proposal := builders.cctv_input({"cctv": {"follows_provincial_manual": false}})
	verdict := main.verdict with input as proposal
	verdict.verdict == "fail"
	["R-CCTV-4", "fail", "/cctv/follows_provincial_manual"] in builders.summary(verdict.findings)
}

test_missing_manual_declaration_fails if {
	["R-CCTV-4", "fail", "/cctv/follows_provincial_manual"] in builders.summary(rules.findings)
		with input as builders.cctv_without("cctv/follows_provincial_manual")
}

# The declaration, missing and present: only an explicit true follows the manual.
_r4(proposal) := outcomes if {
	findings := rules.findings with input as proposal
	outcomes := {[f.outcome, f.message_key] | some f in findings; f.rule == "R-CCTV-4"}
}

test_manual_declaration_missing_is_exactly_a_failure if {
	_r4(builders.cctv_without("cctv/follows_provincial_manual")) == {["fail", "does_not_follow"]}
}

test_manual_declaration_true_is_exactly_a_pass if {
	_r4(builders.cctv_base_input) == {["pass", "follows"]}
}

test_manual_declaration_not_a_boolean_fails if {
	_r4(builders.cctv_input({"cctv": {"follows_provincial_manual": "yes"}})) == {["fail", "does_not_follow"]}
}

test_manual_is_not_required_before_spk_2024 if {
	proposal := builders.cctv_input({"submitted_on": "2024-07-16", "cctv": {"follows_provincial_manual": false}})
	findings := builders.summary(rules.findings) with input as proposal
	every f in findings {
		f[0] != "R-CCTV-4"
	}
}

test_manual_is_required_only_where_a_province_says_so if {
	proposal := builders.cctv_input({"agency": {"province": "TH-30"}, "cctv": {"follows_provincial_manual": false}})
	findings := builders.summary(rules.findings) with input as proposal
	every f in findings {
		f[0] != "R-CCTV-4"
	}
}

# R-CCTV-5: other provinces, by the order on file.
_nakhon_ratchasima := builders.cctv_input({"agency": {"province": "TH-30"}})

test_other_province_with_2010_order_needs_review if {
	verdict := main.verdict with input as _nakhon_ratchasima
	verdict.verdict == "needs_review"
	verdict.route.body == "provincial_committee"
	_cctv_rules(verdict) == {["R-CCTV-5", "review", "/agency/province"]}
	not "R-COMP-13" in {f.rule | some f in verdict.findings}
}

test_other_province_without_order_on_file_needs_review if {
	findings := builders.summary(rules.findings) with input as builders.cctv_input({"agency": {"province": "TH-50"}})
	findings == {["R-CCTV-5", "review", "/agency/province"]}
}

test_other_province_with_amended_order_passes if {
	amended := object.union(builders.order_2024, {"province": "TH-30"})
	verdict := main.verdict with input as _nakhon_ratchasima
		with data.rulebook.committee_orders.orders as {"TH-30": [amended]}
	verdict.verdict == "pass"
	_cctv_rules(verdict) == {["R-CCTV-5", "pass", "/agency/province"]}
}

test_other_province_before_the_2024_letter_has_no_cctv_5 if {
	findings := builders.summary(rules.findings) with input as builders.cctv_input({
		"submitted_on": "2024-05-30",
		"agency": {"province": "TH-30"},
	})
	findings == set()
}

test_computer_system_projects_have_no_cctv_findings if {
	count(rules.findings) == 0 with input as builders.input_for({"requested_body": "national_cctv_committee"})
}

# Fail closed: optional fields that feed only messages never drop a finding.
test_findings_do_not_depend_on_requested_body if {
	proposal := json.remove(builders.cctv_submission, ["requested_body"])
	elsewhere := {"submission": object.union(proposal, {"agency": {"province": "TH-30"}})}
	findings := builders.summary(rules.findings) with input as elsewhere
	findings == {["R-CCTV-5", "review", "/agency/province"]}
}

test_lapsed_body_without_a_nameable_province_still_fails if {
	proposal := builders.cctv_input({"agency": {"province": "TH-99"}, "requested_body": "national_cctv_committee"})
	["R-CCTV-1", "review", "/requested_body"] in builders.summary(rules.findings)
		with input as proposal
}

# An agency outside MOI in Samut Prakan: the amended committee is the whole chain, so
# any other requested body fails (the memo's rules do not check it for such an agency).
test_a_non_moi_agency_naming_another_body_fails_r_cctv_3 if {
	customs := {"name": "ด่านศุลกากร", "kind": "central_government", "province": "TH-11"}
	wrong := builders.cctv_input({"agency": customs, "requested_body": "moi_committee"})
	verdict := main.verdict with input as wrong
	verdict.verdict == "fail"
	["R-CCTV-3", "fail", "/requested_body"] in builders.summary(verdict.findings)
	unknown := builders.cctv_input({"agency": customs, "requested_body": "foo"})
	main.verdict.verdict == "fail" with input as unknown
	right := builders.cctv_input({"agency": customs, "requested_body": "provincial_committee"})
	main.verdict.verdict == "pass" with input as right
}

# An MOI agency whose budget is missing: no chain at all, not a shorter one.
test_no_chain_when_the_memo_cannot_name_its_body if {
	no_budget := json.remove(builders.cctv_submission, ["project/budget_thb"])
	verdict := main.verdict with input as {"submission": no_budget}
	verdict.verdict == "fail"
	not verdict.route
	verdict.obligations == []
}
