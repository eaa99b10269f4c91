package ictgate.resolutions.rules_test

import data.ictgate.resolutions.main

# A Samut Prakan CCTV pre-check of 6 M THB: the Samut Prakan committee endorses,
# the MOI committee approves; one failing finding (no data-sharing agreement).
_decision := {
	"decision_id": "d-1",
	"verdict": "fail",
	"as_of": "2025-02-01",
	"route": {"body": "moi_committee", "steps": [
		{
			"body": "provincial_committee", "province": "TH-11", "role": "endorsement",
			"citation": {"source": "SPK-2024"},
		},
		{"body": "moi_committee", "role": "approval", "citation": {"source": "MOI-MEMO-2010"}},
	]},
	"findings": [
		{"rule": "R-AUTH-2", "outcome": "pass", "field": "/project/budget_thb"},
		{"rule": "R-DATA-3", "outcome": "fail", "field": "/cctv/sharing/1/agreement"},
		{"rule": "R-DATA-9", "outcome": "review", "field": "/cctv/biometrics/lawful_basis"},
	],
}

_endorsement := {
	"body": "provincial_committee", "province": "TH-11",
	"meeting": {"number": "2/2568", "date": "2025-02-20"},
	"outcome": "endorsed", "reference": "รายงานการประชุม 2/2568",
	"acceptances": [
		{"rule": "R-DATA-3", "field": "/cctv/sharing/1/agreement", "reason": "ข้อตกลงอยู่ระหว่างลงนาม"},
		{"rule": "R-DATA-9", "field": "/cctv/biometrics/lawful_basis", "reason": "ไม่เปิดใช้ระบบจดจำใบหน้า"},
	],
}

_approval := object.union(_endorsement, {
	"body": "moi_committee", "province": null,
	"meeting": {"number": "1/2568", "date": "2025-03-05"},
	"outcome": "approved_with_conditions", "conditions": ["ลงนามข้อตกลงก่อนเปิดใช้ระบบ"],
})

_endorsed := {"resolution_id": "r-1", "recorded_at": "2025-02-21T03:00:00.000Z", "resolution": _endorsement}

_check(resolution, earlier) := verdict if {
	verdict := main.verdict with input as {
		"resolution": resolution, "decision": _decision,
		"resolutions": earlier, "as_of": "2025-06-01",
	}
}

_summary(verdict) := {[f.rule, f.outcome, f.field] | some f in verdict.findings; f.outcome != "pass"}

# The chain walked in order: endorsement, then approval with a condition.
test_the_provincial_endorsement_with_acceptances_is_admissible if {
	verdict := _check(_endorsement, [])
	verdict.admissible == true
	verdict.verdict == "pass"
	verdict.step == 0
}

test_the_moi_approval_after_the_endorsement_is_admissible if {
	verdict := _check(_approval, [_endorsed])
	[verdict.verdict, verdict.admissible, verdict.step] == ["pass", true, 1]
}

# R-RES-1
test_a_body_off_the_route_is_refused if {
	verdict := _check(object.union(_endorsement, {"province": "TH-30"}), [])
	verdict.admissible == false
	_summary(verdict) == {["R-RES-1", "fail", "/body"]}
}

# R-RES-2
test_the_lapsed_cctv_data_committee_cannot_resolve if {
	decision := object.union(_decision, {"route": {"steps": [{
		"body": "provincial_cctv_data_committee", "province": "TH-11",
		"role": "approval", "citation": {"source": "SPK-2021"},
	}]}})
	resolution := object.union(_endorsement, {"body": "provincial_cctv_data_committee", "outcome": "rejected"})
	verdict := main.verdict with input as {"resolution": resolution, "decision": decision, "as_of": "2025-06-01"}
	["R-RES-2", "fail", "/meeting/date"] in _summary(verdict)
	verdict.admissible == false
}

test_a_meeting_inside_the_lapse_window_needs_review if {
	decision := object.union(_decision, {"as_of": "2023-08-01", "route": {"steps": [{
		"body": "provincial_cctv_data_committee", "province": "TH-11",
		"role": "approval", "citation": {"source": "SPK-2021"},
	}]}})
	resolution := object.union(_endorsement, {
		"body": "provincial_cctv_data_committee", "outcome": "rejected",
		"meeting": {"number": "5/2566", "date": "2023-08-30"},
	})
	verdict := main.verdict with input as {"resolution": resolution, "decision": decision, "as_of": "2025-06-01"}
	_summary(verdict) == {["R-RES-2", "review", "/meeting/date"]}
	[verdict.verdict, verdict.admissible] == ["needs_review", true]
}

test_the_provincial_committee_before_its_cctv_power_is_refused if {
	early := object.union(_endorsement, {"meeting": {"number": "1/2567", "date": "2024-07-01"}})
	verdict := main.verdict with input as {
		"resolution": early, "as_of": "2025-06-01",
		"decision": object.union(_decision, {"as_of": "2024-06-01"}),
	}
	["R-RES-2", "fail", "/meeting/date"] in _summary(verdict)
}

# R-RES-3
test_an_endorsement_without_accepting_the_failing_finding_is_refused if {
	verdict := _check(json.remove(_endorsement, ["acceptances/0"]), [])
	_summary(verdict) == {["R-RES-3", "fail", "/acceptances"]}
	verdict.admissible == false
}

test_a_review_finding_not_accepted_is_shown_not_refused if {
	verdict := _check(json.remove(_endorsement, ["acceptances/1"]), [])
	_summary(verdict) == {["R-RES-3", "review", "/acceptances"]}
	verdict.admissible == true
}

test_an_acceptance_without_a_reason_is_refused if {
	blank := json.patch(_endorsement, [{"op": "replace", "path": "/acceptances/0/reason", "value": " "}])
	_summary(_check(blank, [])) == {
		["R-RES-3", "fail", "/acceptances"],
		["R-RES-3", "fail", "/acceptances/0/reason"],
	}
}

test_accepting_a_finding_the_verdict_does_not_hold_is_refused if {
	extra := {"rule": "R-DATA-5", "field": "/cctv/public_live_feed", "reason": "x"}
	more := object.union(_endorsement, {"acceptances": array.concat(_endorsement.acceptances, [extra])})
	_summary(_check(more, [])) == {["R-RES-3", "fail", "/acceptances/2"]}
}

test_a_rejection_needs_no_acceptance if {
	verdict := _check(object.union(_endorsement, {"outcome": "rejected", "acceptances": []}), [])
	[verdict.verdict, verdict.admissible] == ["pass", true]
}

# R-RES-4
test_the_provincial_committee_cannot_approve_above_its_threshold if {
	verdict := _check(object.union(_endorsement, {"outcome": "approved"}), [])
	_summary(verdict) == {["R-RES-4", "fail", "/outcome"]}
}

test_the_final_step_does_not_endorse if {
	verdict := _check(object.union(_approval, {"outcome": "endorsed"}), [_endorsed])
	_summary(verdict) == {["R-RES-4", "fail", "/outcome"]}
}

# R-RES-5
test_the_moi_committee_waits_for_the_provincial_endorsement if {
	verdict := _check(_approval, [])
	_summary(verdict) == {["R-RES-5", "fail", "/body"]}
}

test_a_superseded_endorsement_does_not_open_the_next_step if {
	withdrawn := object.union(_endorsement, {"outcome": "rejected", "supersedes": "r-1"})
	rejected := {"resolution_id": "r-2", "resolution": withdrawn}
	_summary(_check(_approval, [_endorsed, rejected])) == {["R-RES-5", "fail", "/body"]}
}

# R-RES-6
test_a_meeting_after_today_is_refused if {
	later := object.union(_endorsement, {"meeting": {"number": "9/2568", "date": "2025-07-01"}})
	_summary(_check(later, [])) == {["R-RES-6", "fail", "/meeting/date"]}
}

test_a_meeting_before_the_precheck_is_refused if {
	earlier := object.union(_endorsement, {"meeting": {"number": "1/2568", "date": "2025-01-15"}})
	_summary(_check(earlier, [])) == {["R-RES-6", "fail", "/meeting/date"]}
}

test_an_approval_with_conditions_states_them if {
	bare := object.union(_approval, {"conditions": []})
	_summary(_check(bare, [_endorsed])) == {["R-RES-6", "fail", "/conditions"]}
}

test_a_not_applicable_verdict_has_nothing_to_resolve if {
	verdict := main.verdict with input as {
		"resolution": _endorsement, "as_of": "2025-06-01",
		"decision": object.union(_decision, {"verdict": "not_applicable"}),
	}
	["R-RES-6", "fail", "/outcome"] in _summary(verdict)
}

# R-RES-7
test_a_second_resolution_of_the_same_body_must_supersede if {
	_summary(_check(_endorsement, [_endorsed])) == {["R-RES-7", "fail", "/supersedes"]}
}

test_a_correction_supersedes_the_standing_resolution if {
	correction := object.union(_endorsement, {"supersedes": "r-1"})
	verdict := _check(correction, [_endorsed])
	[verdict.verdict, verdict.admissible] == ["pass", true]
	["R-RES-7", "pass", "/supersedes"] in {[f.rule, f.outcome, f.field] | some f in verdict.findings}
}

test_superseding_an_unknown_resolution_is_refused if {
	_summary(_check(object.union(_endorsement, {"supersedes": "r-9"}), [])) == {["R-RES-7", "fail", "/supersedes"]}
}

test_after_a_deferral_the_body_resolves_again_without_superseding if {
	deferred := {"resolution_id": "r-0", "resolution": object.union(_endorsement, {"outcome": "deferred"})}
	_check(_endorsement, [deferred]).verdict == "pass"
}

# Fail closed: no input, or a resolution without a meeting date, never passes.
test_no_input_fails_closed if {
	verdict := main.verdict with input as {}
	[verdict.verdict, verdict.admissible] == ["fail", false]
}

test_a_missing_meeting_date_fails_closed if {
	verdict := _check(json.remove(_endorsement, ["meeting/date"]), [])
	[verdict.verdict, verdict.admissible] == ["fail", false]
}

# Messages in Thai and English, with the body's name.
test_the_refusal_names_the_body_in_both_languages if {
	verdict := _check(object.union(_endorsement, {"outcome": "approved"}), [])
	some f in verdict.findings
	f.rule == "R-RES-4"
	startswith(f.message.th, concat("", [
		"คณะกรรมการบริหารและจัดหาระบบคอมพิวเตอร์ของหน่วยงานในสังกัดกระทรวงมหาดไทย ระดับจังหวัด",
		"ไม่ใช่ผู้อนุมัติ",
	]))
	contains(f.message.en, "cannot approve")
	f.citation.source == "MOI-MEMO-2010"
}

# R-AUTH-6: the provincial committee's approval is reported in its meeting's half-year.
test_a_provincial_approval_carries_the_six_monthly_report_obligation if {
	decision := object.union(_decision, {
		"verdict": "pass",
		"route": {"steps": [{"body": "provincial_committee", "province": "TH-11", "role": "approval"}]},
		"findings": [],
		"obligations": [{"rule": "R-AUTH-6", "period": "FY2568-H1"}],
	})
	approval := object.union(_endorsement, {
		"outcome": "approved", "acceptances": [],
		"meeting": {"number": "4/2568", "date": "2025-04-10"},
	})
	verdict := main.verdict with input as {"resolution": approval, "decision": decision, "as_of": "2025-06-01"}
	[[o.rule, o.period, o.period_start, o.period_end] | some o in verdict.obligations] == [[
		"R-AUTH-6", "FY2568-H2",
		"2025-04-01", "2025-09-30",
	]]
}

test_an_endorsement_carries_no_obligation if {
	_check(_endorsement, []).obligations == []
}
