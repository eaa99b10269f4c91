# Every Thai message an officer reads (findings, approval-chain reasons and
# obligations of the three entry points) is written for officers: no ASCII
# identifier with an underscore, no ISO date, no placeholder left unfilled
# (issue #15). The inputs reach most message keys of the catalog.
package ictgate.lib.thai_messages_test

import data.ictgate.committee.main as committee
import data.ictgate.precheck.main as precheck
import data.ictgate.resolutions.main as resolutions
import data.ictgate.testlib.builders

_cctv(changes) := builders.cctv_input(changes)

_cctv_on(as_of, changes) := object.union(builders.cctv_input(changes), {"as_of": as_of})

_share(changes) := builders.cctv_sharing([object.union(
	{"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "law_enforcement"},
	changes,
)])

_agreement(approver, approved_on) := {
	"recipient_type": "private", "recipient": "บริษัท ตัวอย่าง จำกัด", "purpose": "traffic_analytics",
	"agreement": {"reference": "DSA-2568/07", "approved_on": approved_on, "approved_by": approver},
}

_earlier(id, title, system) := {
	"decision_id": id, "recorded_at": "2024-11-01T03:00:00.000Z",
	"agency_name": builders.base_submission.agency.name, "province": "TH-30",
	"system_id": system, "fiscal_year": 2568, "project_title": title,
	"budget_thb": 2500000, "outcome": "pass",
}

_history(project, history) := object.union(builders.input_for({"project": project}), {"history": history})

_precheck_inputs := [
	builders.base_input,
	builders.input_for({"requested_body": "moi_committee"}),
	builders.input_for({"project": {"budget_thb": 6000000}}),
	builders.input_for({"project": {"budget_thb": 6000000}, "requested_body": "provincial_committee"}),
	builders.input_for({"project": {"budget_thb": 3000000, "total_value_thb": 9000000}}),
	builders.input_for({"project": {"budget_thb": 3000000, "total_value_thb": 1000000}}),
	builders.input_for({"project": {"standard_prices": false}}),
	builders.input_for({"agency": {"kind": "bma", "province": "TH-10"}}),
	builders.input_for({"agency": {"kind": "bma", "province": "TH-10"}, "requested_body": "provincial_committee"}),
	builders.input_for({"agency": {"kind": "pattaya_city", "province": "TH-S"}}),
	builders.input_for({"agency": {"kind": "bma", "province": "TH-30"}}),
	builders.input_for({"agency": {"kind": "pao", "province": "TH-99"}}),
	builders.input_for({"agency": {"kind": "private", "province": "TH-30"}}),
	builders.input_for({"agency": {"kind": "central_government", "province": "TH-30"}}),
	builders.input_for({"agency": {"kind": "moi_state_enterprise", "province": "TH-30"}}),
	builders.input_for({"agency": {"kind": "unknown", "province": "TH-30"}}),
	builders.input_for({"submitted_on": "2009-06-01"}),
	builders.input_for({"submitted_on": "1 ก.พ. 2568"}),
	builders.input_for({"project": {"title": "ติดตั้งกล้องวงจรปิดหน้าศาลากลาง"}}),
	builders.without("project/standard_prices"),
	builders.without("project/budget_thb"),
	_history(
		{"title": "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 3", "fiscal_year": 2568, "system_id": "korat-gis"},
		[_earlier("d-1", "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 1", "korat-gis")],
	),
	_history({"title": "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 3", "fiscal_year": 2568, "system_id": "korat-gis"}, []),
	_history(
		{"title": "ระบบงานสารบรรณ", "fiscal_year": 2568},
		[_earlier("d-2", "ระบบสารสนเทศภูมิศาสตร์ ระยะที่ 1", "korat-gis")],
	),
	_history({"title": "ระบบงานสารบรรณ", "fiscal_year": 2568}, []),
	object.union(
		_history({"title": "ระบบงานสารบรรณ", "fiscal_year": 2559, "system_id": "korat-gis"}, []),
		{"as_of": "2016-06-01"},
	),
	builders.cctv_base_input,
	_cctv({"project": {"budget_thb": 6500000}}),
	_cctv({"agency": {"kind": "central_government"}}),
	_cctv({"agency": {"kind": "central_government"}, "requested_body": "moi_committee"}),
	_cctv({"agency": {"province": "TH-30", "kind": "pao"}}),
	_cctv({"agency": {"province": "TH-50", "kind": "pao"}}),
	builders.input_for({"agency": {"province": "TH-50"}}),
	_cctv({"requested_body": "national_cctv_committee"}),
	_cctv({"requested_body": "provincial_cctv_data_committee"}),
	_cctv_on("2022-01-01", {"requested_body": "provincial_cctv_data_committee"}),
	_cctv_on("2022-01-01", {"requested_body": "provincial_committee"}),
	_cctv_on("2022-01-01", {"requested_body": "national_cctv_committee"}),
	_cctv_on("2023-08-25", {"requested_body": "provincial_cctv_data_committee"}),
	_cctv_on("2023-08-25", {"requested_body": "national_cctv_committee"}),
	_cctv_on("2024-01-10", {"requested_body": "provincial_cctv_data_committee"}),
	_cctv_on("2024-01-10", {"requested_body": "national_cctv_committee"}),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"follows_provincial_manual": false})}),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"public_live_feed": true})}),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"linked_to_provincial_center": false})}),
	builders.cctv_without("cctv/security/access_logging"),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"retention_days": 90})}),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"retention_days": 90, "evidence_hold": true})}),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"notice_posted": false})}),
	_cctv({"cctv": object.union(builders.cctv_submission.cctv, {"biometrics": {"used": true}})}),
	_cctv({"cctv": object.union(
		builders.cctv_submission.cctv,
		{"biometrics": {"used": true, "lawful_basis": "s24_4_public_task"}},
	)}),
	_cctv({"cctv": object.union(
		builders.cctv_submission.cctv,
		{"biometrics": {"used": true, "lawful_basis": "s26_explicit_consent"}},
	)}),
	builders.cctv_without("cctv/data_controller"),
	builders.cctv_without("cctv/purposes"),
	builders.cctv_without("cctv/retention_days"),
	builders.cctv_without("cctv/public_live_feed"),
	builders.cctv_without("cctv/linked_to_provincial_center"),
	builders.cctv_without("cctv/notice_posted"),
	_share({}),
	_share({"purpose": "commercial"}),
	_share({"recipient_type": "unknown", "purpose": "unknown"}),
	_share({"recipient_type": "public", "purpose": "public_information"}),
	_share({"recipient_type": "public", "purpose": "public_information", "lawful_basis": "s24_4_public_task"}),
	_share({"recipient_type": "private", "recipient": "บริษัท ตัวอย่าง จำกัด", "purpose": "traffic_analytics"}),
	builders.cctv_sharing([_agreement("moi_committee", "2024-09-01")]),
	builders.cctv_sharing([_agreement("provincial_committee", "2025-06-01")]),
	object.union(builders.cctv_sharing([_agreement("provincial_cctv_data_committee", "2022-03-01")]), {}),
]

_signed_after_the_letter := {"number": "1/2568", "signed_on": "2024-12-01", "effective_from": "2024-12-01"}

_order_inputs := [
	builders.order_input(builders.order_2010, "2015-01-01"),
	builders.order_input(builders.order_2010, "2025-02-01"),
	builders.order_input(object.union(builders.order_2010, {"category": "cctv"}), "2025-02-01"),
	object.union(builders.order_input(builders.order_2010, "2025-02-01"), {"category": "cctv"}),
	builders.order_input(
		object.union(builders.order_2010, {"order": _signed_after_the_letter}),
		"2025-02-01",
	),
	builders.order_input(builders.order_2024, "2025-02-01"),
	builders.order_input(builders.order_2024, "2024-06-01"),
	builders.order_input(builders.order_2010, "2009-01-01"),
	builders.order_input(builders.order_2010, "1 ม.ค. 2568"),
	builders.order_input(object.union(builders.order_2010, {"province": "TH-10"}), "2015-01-01"),
	builders.order_input(object.union(builders.order_2010, {"province": "TH-S"}), "2015-01-01"),
	builders.order_input(object.union(builders.order_2010, {"province": "TH-20"}), "2015-01-01"),
	builders.order_input(
		builders.plus_member(
			object.union(builders.order_2010, {"province": "TH-20"}),
			{"position": "lao_representative", "role": "member", "lao_kind": "pattaya_city"},
		),
		"2015-01-01",
	),
	builders.order_input(builders.with_members(builders.order_2010, []), "2015-01-01"),
	builders.order_input(
		builders.with_members(builders.order_2010, [
			{"position": "deputy_governor", "role": "chair"},
			{"position": "provincial_governor", "role": "vice_chair"},
			{"position": "expert", "role": "member"},
			{"position": "provincial_statistician", "role": "secretary"},
			{"position": "expert", "role": "assistant_secretary"},
		]),
		"2015-01-01",
	),
	builders.order_input(
		builders.plus_member(
			builders.plus_member(builders.order_2010, {"position": "provincial_governor", "role": "chair"}),
			{"position": "expert", "role": "member"},
		),
		"2015-01-01",
	),
	builders.order_input(
		builders.plus_member(
			builders.plus_member(builders.order_2010, {"position": "deputy_governor_cio", "role": "vice_chair"}),
			{"position": "head_of_provincial_office", "role": "secretary"},
		),
		"2015-01-01",
	),
	builders.order_input(
		builders.plus_member(
			builders.order_2010,
			{"position": "head_of_provincial_ict_group", "role": "assistant_secretary"},
		),
		"2015-01-01",
	),
]

# The resolution check's inputs: a Samut Prakan CCTV pre-check with a
# two-step chain, one failing and one review finding.
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
	"obligations": [{"rule": "R-AUTH-6"}],
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

_unknown_acceptance := {"rule": "R-AUTH-9", "field": "/project", "reason": ""}

_resolution_inputs := [
	{"resolution": _endorsement, "decision": _decision, "resolutions": [], "as_of": "2025-06-01"},
	{"resolution": _approval, "decision": _decision, "resolutions": [_endorsed], "as_of": "2025-06-01"},
	{"resolution": _approval, "decision": _decision, "resolutions": [], "as_of": "2025-06-01"},
	{
		"resolution": object.union(_endorsement, {"outcome": "approved", "acceptances": [_unknown_acceptance]}),
		"decision": _decision, "resolutions": [], "as_of": "2025-06-01",
	},
	{
		"resolution": object.union(_endorsement, {"supersedes": "r-9"}),
		"decision": _decision, "resolutions": [_endorsed], "as_of": "2025-06-01",
	},
	{
		"resolution": _endorsement, "decision": _decision,
		"resolutions": [_endorsed], "as_of": "2025-06-01",
	},
	{
		"resolution": object.union(_endorsement, {"province": "TH-30"}),
		"decision": _decision, "resolutions": [], "as_of": "2025-06-01",
	},
	{
		"resolution": object.union(_endorsement, {"meeting": {"number": "1", "date": "2025-09-01"}}),
		"decision": _decision, "resolutions": [], "as_of": "2025-06-01",
	},
	{
		"resolution": object.union(_endorsement, {"meeting": {"number": "1", "date": "2025-01-01"}}),
		"decision": _decision, "resolutions": [], "as_of": "2025-06-01",
	},
	{
		"resolution": object.union(_endorsement, {
			"body": "provincial_cctv_data_committee", "outcome": "rejected",
			"meeting": {"number": "1", "date": "2023-08-30"},
		}),
		"decision": object.union(_decision, {"as_of": "2023-08-01", "route": {"steps": [{
			"body": "provincial_cctv_data_committee", "province": "TH-11",
			"role": "approval", "citation": {"source": "SPK-2021"},
		}]}}),
		"resolutions": [], "as_of": "2025-06-01",
	},
	{
		"resolution": object.union(_endorsement, {"body": "provincial_cctv_data_committee", "outcome": "rejected"}),
		"decision": object.union(_decision, {"route": {"steps": [{
			"body": "provincial_cctv_data_committee", "province": "TH-11",
			"role": "approval", "citation": {"source": "SPK-2021"},
		}]}}),
		"resolutions": [], "as_of": "2025-06-01",
	},
	{
		"resolution": _endorsement,
		"decision": object.union(_decision, {"verdict": "not_applicable"}),
		"resolutions": [], "as_of": "2025-06-01",
	},
]

_precheck(i) := v if {
	v := precheck.verdict with input as i
}

_committee(i) := v if {
	v := committee.verdict with input as i
}

_resolution(i) := v if {
	v := resolutions.verdict with input as i
}

_verdicts := array.concat(
	array.concat([_precheck(i) | some i in _precheck_inputs], [_committee(i) | some i in _order_inputs]),
	[_resolution(i) | some i in _resolution_inputs],
)

# Every Thai text of a verdict: its findings, its approval chain, its obligations.
_thai_texts contains f.message.th if {
	some v in _verdicts
	some f in v.findings
}

_thai_texts contains step.reason.th if {
	some v in _verdicts
	some step in object.get(v, ["route", "steps"], [])
}

_thai_texts contains o.message.th if {
	some v in _verdicts
	some o in v.obligations
}

_underscore_identifier := `[A-Za-z0-9]+_[A-Za-z0-9_]+`

_iso_date := `[0-9]{4}-[0-9]{2}-[0-9]{2}`

_placeholder := `\{[a-z_]+\}`

test_the_inputs_reach_many_messages if count(_thai_texts) >= 150

test_no_thai_message_names_an_identifier if {
	{text | some text in _thai_texts; regex.match(_underscore_identifier, text)} == set()
}

test_no_thai_message_shows_an_iso_date if {
	{text | some text in _thai_texts; regex.match(_iso_date, text)} == set()
}

test_no_thai_message_leaves_a_placeholder if {
	{text | some text in _thai_texts; regex.match(_placeholder, text)} == set()
}

# The date formatter reaches the messages: the 2024 Samut Prakan letter's date, in Thai.
test_thai_messages_show_buddhist_era_dates if {
	some text in _thai_texts
	contains(text, "17 กรกฎาคม 2567")
}
