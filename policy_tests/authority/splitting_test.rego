package ictgate.authority.splitting_test

import data.ictgate.authority.splitting
import data.ictgate.precheck.main
import data.ictgate.testlib.builders

_phase_3 := {"project": {
	"title": "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 3",
	"budget_thb": 2000000,
	"fiscal_year": 2568,
	"system_id": "korat-gis",
}}

_earlier(id, title, budget, year, at) := {
	"decision_id": id,
	"recorded_at": at,
	"agency_name": builders.base_submission.agency.name,
	"province": "TH-30",
	"system_id": "korat-gis",
	"fiscal_year": year,
	"project_title": title,
	"budget_thb": budget,
	"outcome": "pass",
}

_phase_1 := _earlier("d-1", "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 1", 2000000, 2568, "2024-11-01T03:00:00.000Z")

_phase_2 := _earlier("d-2", "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 2", 1500000, 2568, "2024-12-01T03:00:00.000Z")

_with_history(history) := object.union(builders.input_for(_phase_3), {"history": history})

# Phase 3 after phases 1 and 2: 5.5 million THB together.
_three_phases := _with_history([_phase_1, _phase_2])

test_three_phases_over_the_threshold_need_review if {
	findings := splitting.findings with input as _three_phases
	builders.summary(findings) == {["R-AUTH-9", "review", "/project/system_id"]}
	some f in findings
	f.params.decision_ids == "d-1, d-2"
	f.params.total == "5,500,000.00"
	main.verdict.verdict == "needs_review" with input as _three_phases
}

test_the_finding_names_the_earlier_decisions if {
	verdict := main.verdict with input as _three_phases
	some f in verdict.findings
	f.rule == "R-AUTH-9"
	contains(f.message.en, "decisions d-1, d-2")
	contains(f.message.en, "total 5,500,000.00 THB")
	f.citation.source == "MOF-REG-2017"
}

test_exactly_the_threshold_in_total_is_not_a_split if {
	phase_2 := object.union(_phase_2, {"budget_thb": 1000000})
	builders.summary(splitting.findings) == {["R-AUTH-9", "pass", "/project/system_id"]}
		with input as _with_history([_phase_1, phase_2])
}

# Across fiscal years: yearly tranches of one system are one purchase.
test_tranches_of_one_system_across_fiscal_years_need_review if {
	last_year := object.union(_phase_2, {"fiscal_year": 2567, "budget_thb": 4000000})
	findings := splitting.findings with input as _with_history([_phase_1, last_year])
	[[f.outcome, f.message_key, f.params.total, f.params.decision_ids] | some f in findings] == [[
		"review", "possible_split",
		"8,000,000.00", "d-2, d-1",
	]]
}

test_the_finding_names_each_tranche_with_its_fiscal_year if {
	last_year := object.union(_phase_2, {"fiscal_year": 2567, "budget_thb": 4000000})
	some f in splitting.findings with input as _with_history([last_year])
	f.params.earlier_th == "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 2 ปีงบประมาณ 2567 วงเงิน 4,000,000.00 บาท"
	f.params.earlier_en == "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 2, fiscal year 2567, 4,000,000.00 THB"
}

test_a_purchase_outside_the_window_of_fiscal_years_is_not_counted if {
	long_ago := object.union(_phase_2, {"fiscal_year": 2565, "budget_thb": 4000000})
	builders.summary(splitting.findings) == {["R-AUTH-9", "pass", "/project/system_id"]}
		with input as _with_history([long_ago])
}

test_the_same_title_in_another_fiscal_year_is_another_tranche if {
	same_title_last_year := _earlier("d-8", _phase_3.project.title, 4000000, 2567, "2023-12-05T03:00:00.000Z")
	[f.message_key | some f in splitting.findings] == ["possible_split"]
		with input as _with_history([same_title_last_year])
}

# A multi-year project that states its total value is judged on it (R-AUTH-2), not as a split.
test_a_stated_multi_year_total_above_the_threshold_is_routed_not_flagged if {
	project := object.union(_phase_3.project, {"total_value_thb": 9000000})
	proposal := object.union(builders.input_for({"project": project}), {"history": [_phase_1, _phase_2]})
	count(splitting.findings) == 0 with input as proposal
}

# Without a system_id: the agency's other proposals of the same fiscal year.
_no_system := {"project": {"title": "ระบบงานสารบรรณอิเล็กทรอนิกส์", "budget_thb": 3000000, "fiscal_year": 2568}}

_other_system := object.union(_phase_1, {"decision_id": "d-5", "budget_thb": 2500000})

_unnamed := object.union(_phase_2, {"decision_id": "d-6", "system_id": null, "project_title": "ระบบสำนักงาน"})

test_without_system_id_the_agencys_year_adding_past_the_threshold_needs_review if {
	proposal := object.union(builders.input_for(_no_system), {"history": [_other_system, _unnamed]})
	findings := splitting.findings with input as proposal
	[[f.outcome, f.message_key, f.params.decision_ids, f.params.total] | some f in findings] == [[
		"review", "possible_split_no_system", "d-5, d-6",
		"7,000,000.00",
	]]
	main.verdict.verdict == "needs_review" with input as proposal
}

test_without_system_id_the_year_within_the_threshold_passes if {
	proposal := object.union(builders.input_for(_no_system), {"history": [_unnamed]})
	[[f.outcome, f.message_key] | some f in splitting.findings] == [["pass", "no_split_no_system"]]
		with input as proposal
}

test_without_system_id_another_fiscal_year_does_not_count if {
	last_year := object.union(_other_system, {"fiscal_year": 2567, "budget_thb": 4000000})
	proposal := object.union(builders.input_for(_no_system), {"history": [last_year]})
	[f.message_key | some f in splitting.findings] == ["no_split_no_system"] with input as proposal
}

test_a_resubmitted_draft_counts_once if {
	draft := object.union(_phase_1, {"decision_id": "d-0", "recorded_at": "2024-10-01T03:00:00.000Z"})
	findings := splitting.findings with input as _with_history([draft, _phase_1])
	some f in findings
	f.params.decision_ids == "d-1"
	f.outcome == "pass"
}

test_a_draft_of_this_same_project_is_not_an_earlier_purchase if {
	same_title := _earlier("d-9", _phase_3.project.title, 4500000, 2568, "2024-12-05T03:00:00.000Z")
	builders.summary(splitting.findings) == {["R-AUTH-9", "pass", "/project/system_id"]}
		with input as _with_history([same_title])
}

test_another_agencys_purchases_do_not_count if {
	other := object.union(_phase_2, {"agency_name": "เทศบาลนครนครราชสีมา", "budget_thb": 4000000})
	builders.summary(splitting.findings) == {["R-AUTH-9", "pass", "/project/system_id"]}
		with input as _with_history([_phase_1, other])
}

test_an_earlier_purchase_above_the_threshold_is_not_a_split if {
	big := object.union(_phase_2, {"budget_thb": 6000000})
	builders.summary(splitting.findings) == {["R-AUTH-9", "pass", "/project/system_id"]}
		with input as _with_history([big])
}

test_this_purchase_above_the_threshold_is_not_checked if {
	project := {"title": "x", "budget_thb": 6000000, "fiscal_year": 2568, "system_id": "korat-gis"}
	over := object.union(builders.input_for({"project": project}), {"history": [_phase_1]})
	count(splitting.findings) == 0 with input as over
}

test_without_system_id_nothing_can_be_checked if {
	count(splitting.findings) == 0 with input as object.union(builders.base_input, {"history": [_phase_1]})
}

test_no_history_passes if {
	builders.summary(splitting.findings) == {["R-AUTH-9", "pass", "/project/system_id"]}
		with input as builders.input_for(_phase_3)
}

# Dated citations: clause 20 of the 2017 regulation does not judge a 2012 proposal.
test_a_2012_proposal_is_not_judged_under_the_2017_regulation if {
	proposal := builders.input_for(object.union(_phase_3, {"submitted_on": "2012-06-01"}))
	findings := splitting.findings with input as proposal
	[[f.rule, f.outcome, f.message_key] | some f in findings] == [["R-AUTH-9", "review", "before_regulation"]]
	main.verdict.verdict == "needs_review" with input as proposal
}

test_the_2017_regulation_judges_from_its_date_in_force if {
	on_the_day := builders.input_for(object.union(_phase_3, {"submitted_on": "2017-08-23"}))
	[f.message_key | some f in splitting.findings] == ["no_split"] with input as on_the_day
}
