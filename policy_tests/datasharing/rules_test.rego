package ictgate.datasharing.rules_test

import data.ictgate.datasharing.rules
import data.ictgate.precheck.main
import data.ictgate.testlib.builders

_findings(input_document) := summary if {
	summary := builders.summary(rules.findings) with input as input_document
}

test_compliant_project_passes_every_data_rule if {
	_findings(builders.cctv_base_input) == {
		["R-DATA-1", "pass", "/cctv"],
		["R-DATA-2", "pass", "/cctv/sharing/0"],
		["R-DATA-2", "pass", "/cctv/sharing/1"],
		["R-DATA-3", "pass", "/cctv/sharing/1/agreement"],
		["R-DATA-4", "pass", "/cctv/sharing/0"],
		["R-DATA-5", "pass", "/cctv/public_live_feed"],
		["R-DATA-6", "pass", "/cctv/security"],
		["R-DATA-7", "pass", "/cctv/retention_days"],
		["R-DATA-8", "pass", "/cctv/notice_posted"],
		["R-DATA-9", "pass", "/cctv/biometrics"],
	}
}

# R-DATA-1
test_missing_controller_fails if {
	["R-DATA-1", "fail", "/cctv/data_controller"] in _findings(builders.cctv_without("cctv/data_controller"))
}

test_blank_controller_fails if {
	["R-DATA-1", "fail", "/cctv/data_controller"] in _findings(builders.cctv_input({"cctv": {"data_controller": "  "}}))
}

test_missing_purposes_fail if {
	["R-DATA-1", "fail", "/cctv/purposes"] in _findings(builders.cctv_input({"cctv": {"purposes": []}}))
}

test_missing_retention_fails if {
	["R-DATA-1", "fail", "/cctv/retention_days"] in _findings(builders.cctv_without("cctv/retention_days"))
}

# R-DATA-2
test_sharing_without_a_known_recipient_type_fails if {
	shares := [{"recipient_type": "company", "recipient": "x", "purpose": "y"}]
	["R-DATA-2", "fail", "/cctv/sharing/0/recipient_type"] in _findings(builders.cctv_sharing(shares))
}

test_sharing_without_a_purpose_fails if {
	shares := [{"recipient_type": "government_agency", "recipient": "กรมทางหลวง"}]
	["R-DATA-2", "fail", "/cctv/sharing/0/purpose"] in _findings(builders.cctv_sharing(shares))
}

# R-DATA-3
test_private_sharing_without_agreement_fails if {
	shares := [{"recipient_type": "private", "recipient": "บริษัท ก จำกัด", "purpose": "advertising"}]
	proposal := builders.cctv_sharing(shares)
	findings := _findings(proposal)
	["R-DATA-3", "fail", "/cctv/sharing/0/agreement"] in findings
	main.verdict.verdict == "fail" with input as proposal
}

test_agreement_approved_by_another_body_fails if {
	shares := [{
		"recipient_type": "private", "recipient": "บริษัท ก จำกัด", "purpose": "traffic_analytics",
		"agreement": {"reference": "A-1", "approved_on": "2024-09-01", "approved_by": "moi_committee"},
	}]
	["R-DATA-3", "fail", "/cctv/sharing/0/agreement/approved_by"] in _findings(builders.cctv_sharing(shares))
}

test_agreement_approved_after_the_date_fails if {
	shares := [{
		"recipient_type": "private", "recipient": "บริษัท ก จำกัด", "purpose": "traffic_analytics",
		"agreement": {"reference": "A-1", "approved_on": "2025-06-01", "approved_by": "provincial_committee"},
	}]
	["R-DATA-3", "fail", "/cctv/sharing/0/agreement/approved_on"] in _findings(builders.cctv_sharing(shares))
}

test_agreement_with_a_bad_date_fails if {
	shares := [{
		"recipient_type": "private", "recipient": "บริษัท ก จำกัด", "purpose": "traffic_analytics",
		"agreement": {"reference": "A-1", "approved_on": "last year", "approved_by": "provincial_committee"},
	}]
	["R-DATA-3", "fail", "/cctv/sharing/0/agreement"] in _findings(builders.cctv_sharing(shares))
}

test_government_sharing_needs_no_agreement if {
	shares := [{"recipient_type": "government_agency", "recipient": "กรมทางหลวง", "purpose": "traffic"}]
	every f in _findings(builders.cctv_sharing(shares)) {
		f[0] != "R-DATA-3"
	}
}

# R-DATA-4
test_police_for_another_purpose_needs_review if {
	shares := [{"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "traffic_analytics"}]
	proposal := builders.cctv_sharing(shares)
	["R-DATA-4", "review", "/cctv/sharing/0/purpose"] in _findings(proposal)
	main.verdict.verdict == "needs_review" with input as proposal
}

# R-DATA-5
test_open_public_feed_fails if {
	open_feed := builders.cctv_input({"cctv": {"public_live_feed": true}})
	["R-DATA-5", "fail", "/cctv/public_live_feed"] in _findings(open_feed)
}

test_undeclared_public_feed_fails if {
	["R-DATA-5", "fail", "/cctv/public_live_feed"] in _findings(builders.cctv_without("cctv/public_live_feed"))
}

# R-DATA-6
test_linked_centre_without_access_logging_fails if {
	changes := {"cctv": {"security": {"access_logging": false}}}
	findings := _findings(builders.cctv_input(changes))
	{f | some f in findings; f[0] == "R-DATA-6"} == {["R-DATA-6", "fail", "/cctv/security/access_logging"]}
}

test_linked_centre_without_any_security_block_fails_three_times if {
	findings := _findings(builders.cctv_without("cctv/security"))
	{f | some f in findings; f[0] == "R-DATA-6"} == {
		["R-DATA-6", "fail", "/cctv/security/access_control"],
		["R-DATA-6", "fail", "/cctv/security/access_logging"],
		["R-DATA-6", "fail", "/cctv/security/encryption_in_transit"],
	}
}

test_unlinked_system_needs_no_centre_measures if {
	changes := {"cctv": {"linked_to_provincial_center": false, "security": {"access_logging": false}}}
	["R-DATA-6", "pass", "/cctv/linked_to_provincial_center"] in _findings(builders.cctv_input(changes))
}

test_undeclared_link_fails if {
	undeclared := builders.cctv_without("cctv/linked_to_provincial_center")
	["R-DATA-6", "fail", "/cctv/linked_to_provincial_center"] in _findings(undeclared)
}

# R-DATA-7
test_retention_above_the_maximum_warns if {
	proposal := builders.cctv_input({"cctv": {"retention_days": 31}})
	["R-DATA-7", "warn", "/cctv/retention_days"] in _findings(proposal)
	main.verdict.verdict == "pass" with input as proposal
}

test_evidence_hold_is_exempt if {
	changes := {"cctv": {"retention_days": 90, "evidence_hold": true}}
	["R-DATA-7", "pass", "/cctv/evidence_hold"] in _findings(builders.cctv_input(changes))
}

test_a_province_can_raise_its_maximum if {
	findings := builders.summary(rules.findings) with input as builders.cctv_input({"cctv": {"retention_days": 60}})
		with data.rulebook.parameters.data_sharing.province_overrides as {"TH-11": {"max_retention_days": 90}}
	["R-DATA-7", "pass", "/cctv/retention_days"] in findings
}

# R-DATA-8
test_missing_notice_warns if {
	["R-DATA-8", "warn", "/cctv/notice_posted"] in _findings(builders.cctv_input({"cctv": {"notice_posted": false}}))
	["R-DATA-8", "warn", "/cctv/notice_posted"] in _findings(builders.cctv_without("cctv/notice_posted"))
}

# R-DATA-9
test_face_recognition_without_basis_needs_review if {
	proposal := builders.cctv_input({"cctv": {"biometrics": {"used": true}}})
	["R-DATA-9", "review", "/cctv/biometrics/lawful_basis"] in _findings(proposal)
	main.verdict.verdict == "needs_review" with input as proposal
}

test_face_recognition_with_basis_passes if {
	changes := {"cctv": {"biometrics": {"used": true, "lawful_basis": "s26_5_e_substantial_public_interest"}}}
	["R-DATA-9", "pass", "/cctv/biometrics/lawful_basis"] in _findings(builders.cctv_input(changes))
}

test_undeclared_biometrics_needs_review if {
	["R-DATA-9", "review", "/cctv/biometrics/lawful_basis"] in _findings(builders.cctv_without("cctv/biometrics"))
}

# Dates in force and scope of the rules.
test_committee_measures_start_with_the_2024_letter if {
	findings := _findings(builders.cctv_input({"submitted_on": "2024-05-30", "cctv": {"public_live_feed": true}}))
	{f[0] | some f in findings} == {"R-DATA-1", "R-DATA-8", "R-DATA-9"}
}

test_pdpa_rules_start_with_full_enforcement if {
	count(_findings(builders.cctv_input({"submitted_on": "2022-05-31"}))) == 0
}

test_computer_systems_have_no_data_findings if {
	count(_findings(builders.base_input)) == 0
}

# Each negated check with the field it looks up missing and present, as the
# exact findings of its rule (outcome, field, message key). On OPA a negated
# call or comparison of a missing field was undefined, not true: before
# 2026.12.01.1 these failures vanished there (and with them every R-DATA
# finding, through the rule windows).
_rule(proposal, rule_id) := found if {
	findings := rules.findings with input as proposal
	found := {[f.outcome, f.field, f.message_key] | some f in findings; f.rule == rule_id}
}

_one_share(share) := builders.cctv_sharing([share])

test_r2_recipient_type_missing_fails if {
	proposal := _one_share({"recipient": "x", "purpose": "traffic_management"})
	_rule(proposal, "R-DATA-2") == {["fail", "/cctv/sharing/0/recipient_type", "missing_type"]}
}

test_r2_recipient_type_present_passes if {
	proposal := _one_share({"recipient_type": "government_agency", "recipient": "x", "purpose": "traffic_management"})
	_rule(proposal, "R-DATA-2") == {["pass", "/cctv/sharing/0", "ok"]}
}

test_r4_police_purpose_missing_needs_review if {
	proposal := _one_share({"recipient_type": "police", "recipient": "สภ.บางปู"})
	_rule(proposal, "R-DATA-4") == {["review", "/cctv/sharing/0/purpose", "other_purpose"]}
}

test_r4_police_purpose_present_passes if {
	proposal := _one_share({"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "law_enforcement"})
	_rule(proposal, "R-DATA-4") == {["pass", "/cctv/sharing/0", "law_enforcement"]}
}

test_r5_public_feed_missing_fails_as_undeclared if {
	proposal := builders.cctv_without("cctv/public_live_feed")
	_rule(proposal, "R-DATA-5") == {["fail", "/cctv/public_live_feed", "undeclared"]}
}

test_r5_public_feed_present_and_closed_passes if {
	_rule(builders.cctv_base_input, "R-DATA-5") == {["pass", "/cctv/public_live_feed", "closed"]}
}

test_r6_link_missing_fails_as_undeclared if {
	proposal := builders.cctv_without("cctv/linked_to_provincial_center")
	_rule(proposal, "R-DATA-6") == {["fail", "/cctv/linked_to_provincial_center", "undeclared"]}
}

test_r6_link_present_checks_the_measures if {
	_rule(builders.cctv_base_input, "R-DATA-6") == {["pass", "/cctv/security", "ok"]}
}

test_r7_evidence_hold_missing_warns if {
	proposal := {"submission": json.patch(builders.cctv_submission, [
		{"op": "replace", "path": "/cctv/retention_days", "value": 60},
		{"op": "remove", "path": "/cctv/evidence_hold"},
	])}
	_rule(proposal, "R-DATA-7") == {["warn", "/cctv/retention_days", "too_long"]}
}

test_r7_evidence_hold_present_is_exempt if {
	proposal := builders.cctv_input({"cctv": {"retention_days": 60, "evidence_hold": true}})
	_rule(proposal, "R-DATA-7") == {["pass", "/cctv/evidence_hold", "evidence_hold"]}
}

test_r8_notice_missing_warns if {
	_rule(builders.cctv_without("cctv/notice_posted"), "R-DATA-8") == {["warn", "/cctv/notice_posted", "missing"]}
}

test_r8_notice_present_passes if {
	_rule(builders.cctv_base_input, "R-DATA-8") == {["pass", "/cctv/notice_posted", "posted"]}
}

test_r9_biometrics_use_missing_needs_review if {
	proposal := builders.cctv_without("cctv/biometrics/used")
	_rule(proposal, "R-DATA-9") == {["review", "/cctv/biometrics/lawful_basis", "no_basis"]}
}

test_r9_biometrics_declared_unused_passes if {
	_rule(builders.cctv_base_input, "R-DATA-9") == {["pass", "/cctv/biometrics", "not_used"]}
}

# The rule windows (context.in_force): the shipped windows have no "until".
test_every_data_rule_applies_in_2025 if {
	{f[0] | some f in _findings(builders.cctv_base_input)} == {
		"R-DATA-1", "R-DATA-2", "R-DATA-3", "R-DATA-4", "R-DATA-5",
		"R-DATA-6", "R-DATA-7", "R-DATA-8", "R-DATA-9",
	}
}

test_a_data_rule_with_an_until_date_stops_applying if {
	findings := builders.summary(rules.findings) with input as builders.cctv_base_input
		with data.rulebook.catalog.rules["R-DATA-8"].in_force as {"from": "2022-06-01", "until": "2025-01-01"}
	not "R-DATA-8" in {f[0] | some f in findings}
	"R-DATA-9" in {f[0] | some f in findings}
}

# Dated powers (RULEBOOK R-DATA-3): who could approve a data-sharing agreement on its approval date.
_agreement(approved_by, approved_on) := [{
	"recipient_type": "private", "recipient": "บริษัท ก จำกัด", "purpose": "traffic_analytics",
	"agreement": {"reference": "A-1", "approved_on": approved_on, "approved_by": approved_by},
}]

_r3(shares) := {[f.outcome, f.message_key] |
	some f in rules.findings with input as builders.cctv_sharing(shares)
	f.rule == "R-DATA-3"
}

test_a_provincial_approval_after_the_amended_order_passes if {
	_r3(_agreement("provincial_committee", "2024-09-01")) == {["pass", "ok"]}
}

# Samut Prakan's amended order on file takes effect on 2024-07-01: the power starts there.
test_a_provincial_approval_before_the_provinces_amended_order_fails if {
	_r3(_agreement("provincial_committee", "2024-06-15")) == {["fail", "wrong_approver"]}
}

test_a_provincial_approval_of_2022_fails_the_power_came_in_2024 if {
	_r3(_agreement("provincial_committee", "2022-03-01")) == {["fail", "wrong_approver"]}
}

# The CCTV data committee held the power in 2022 but has lapsed since: review, not fail.
test_a_2022_approval_by_the_then_competent_cctv_data_committee_needs_review if {
	_r3(_agreement("provincial_cctv_data_committee", "2022-03-01")) == {["review", "approver_lapsed"]}
	lapsed := builders.cctv_sharing(_agreement("provincial_cctv_data_committee", "2022-03-01"))
	some f in rules.findings with input as lapsed
	f.rule == "R-DATA-3"
	f.params.approver_en == "Provincial CCTV data committee"
}

test_an_approval_by_the_cctv_data_committee_after_its_lapse_fails if {
	_r3(_agreement("provincial_cctv_data_committee", "2024-01-10")) == {["fail", "wrong_approver"]}
}

test_the_power_dates_are_data if {
	shares := _agreement("provincial_committee", "2024-06-15")
	{[f.outcome, f.message_key] |
		some f in rules.findings with input as builders.cctv_sharing(shares)
			with data.rulebook.parameters.data_sharing.agreement_powers.provincial_committee.from_amended_order as false
		f.rule == "R-DATA-3"
	} == {["pass", "ok"]}
}

# R-DATA-2: purposes are codes; a free-text purpose is not a known one.
test_r2_free_text_purpose_fails if {
	proposal := _one_share({"recipient_type": "government_agency", "recipient": "x", "purpose": "จราจร"})
	_rule(proposal, "R-DATA-2") == {["fail", "/cctv/sharing/0/purpose", "missing_purpose"]}
}

# R-DATA-2: disclosure to the public names a PDPA lawful basis (s.27 with s.24/s.26).
test_r2_public_sharing_without_basis_needs_review if {
	proposal := _one_share({"recipient_type": "public", "recipient": "ประชาชน", "purpose": "public_information"})
	_rule(proposal, "R-DATA-2") == {
		["pass", "/cctv/sharing/0", "ok"],
		["review", "/cctv/sharing/0/lawful_basis", "public_no_basis"],
	}
	main.verdict.verdict == "needs_review" with input as proposal
}

test_r2_public_sharing_with_basis_passes if {
	proposal := _one_share({
		"recipient_type": "public", "recipient": "ประชาชน", "purpose": "public_information",
		"lawful_basis": "s24_4_public_task",
	})
	_rule(proposal, "R-DATA-2") == {
		["pass", "/cctv/sharing/0", "ok"],
		["pass", "/cctv/sharing/0/lawful_basis", "public_basis"],
	}
}

test_r2_public_sharing_with_unknown_basis_needs_review if {
	share := {"recipient_type": "public", "recipient": "ประชาชน", "purpose": "other", "lawful_basis": "-"}
	proposal := _one_share(share)
	["review", "/cctv/sharing/0/lawful_basis", "public_no_basis"] in _rule(proposal, "R-DATA-2")
}

test_r2_labels_fill_the_messages if {
	proposal := _one_share({"recipient_type": "public", "recipient": "ประชาชน", "purpose": "public_information"})
	some f in main.verdict.findings with input as proposal
	f.rule == "R-DATA-2"
	f.outcome == "review"
	contains(f.message.th, "การเผยแพร่ข้อมูลข่าวสารแก่ประชาชน")
	contains(f.message.en, "information to the public")
}

# R-DATA-4: a criminal investigation is law enforcement; the message names the purpose by its label.
test_r4_police_criminal_investigation_passes if {
	proposal := _one_share({"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "crime_investigation"})
	_rule(proposal, "R-DATA-4") == {["pass", "/cctv/sharing/0", "law_enforcement"]}
}

test_r4_other_purpose_message_uses_the_thai_label if {
	proposal := _one_share({"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "traffic_analytics"})
	some f in main.verdict.findings with input as proposal
	f.rule == "R-DATA-4"
	f.message.th == concat("", [
		"การแบ่งปันข้อมูลกับเจ้าหน้าที่ตำรวจ (สภ.บางปู) มีวัตถุประสงค์เพื่อการวิเคราะห์ข้อมูลการจราจร ",
		"ซึ่งไม่ใช่การบังคับใช้กฎหมายหรือการสืบสวนสอบสวนคดีอาญา: ให้เจ้าหน้าที่ตรวจฐานทางกฎหมาย",
	])
}

# R-DATA-9: biometric data need a basis of s.26; one of s.24 or an unknown one needs review.
test_r9_personal_data_basis_needs_review if {
	changes := {"cctv": {"biometrics": {"used": true, "lawful_basis": "s24_4_public_task"}}}
	found := _rule(builders.cctv_input(changes), "R-DATA-9")
	found == {["review", "/cctv/biometrics/lawful_basis", "personal_basis_only"]}
}

test_r9_unknown_basis_needs_review if {
	changes := {"cctv": {"biometrics": {"used": true, "lawful_basis": "-"}}}
	_rule(builders.cctv_input(changes), "R-DATA-9") == {["review", "/cctv/biometrics/lawful_basis", "no_basis"]}
}

test_r9_explicit_consent_passes if {
	changes := {"cctv": {"biometrics": {"used": true, "lawful_basis": "s26_explicit_consent"}}}
	_rule(builders.cctv_input(changes), "R-DATA-9") == {["pass", "/cctv/biometrics/lawful_basis", "lawful_basis"]}
}
