# Small builders that keep the policy tests short. Not a policy: only tests import it.
package ictgate.testlib.builders

# A complete, in-scope computer-system proposal of a PAO in Nakhon Ratchasima.
base_submission := {
	"submitted_on": "2025-02-01",
	"agency": {"name": "องค์การบริหารส่วนจังหวัดนครราชสีมา", "kind": "pao", "province": "TH-30"},
	"project": {
		"title": "ระบบสารสนเทศภูมิศาสตร์",
		"category": "computer_system",
		"budget_thb": 3000000,
		"standard_prices": true,
	},
}

# submission(changes) deep-merges changes into the base proposal.
submission(changes) := object.union(base_submission, changes)

# An input for the engine: {"submission": ...}.
input_for(changes) := {"submission": submission(changes)}

# The base proposal as an input, bound once for the tests that use it as is.
base_input := input_for({})

# without(path) removes one field, for the fail-closed cases.
without(path) := {"submission": json.remove(base_submission, [path])}

# summary reduces findings to what a test asserts: rule, outcome and field.
summary(findings) := {[f.rule, f.outcome, f.field] | some f in findings}

# A complete 2010 committee order (MOI-MEMO-2010 §2.2 items 1-8) for Nakhon Ratchasima.
order_2010 := {
	"province": "TH-30",
	"order": {"number": "905/2553", "signed_on": "2010-03-01", "effective_from": "2010-03-01"},
	"members": [
		{"position": "provincial_governor", "role": "chair"},
		{"position": "deputy_governor_cio", "role": "vice_chair"},
		{"position": "expert", "role": "member"},
		{"position": "expert", "role": "member"},
		{"position": "moi_agency_head_representative", "role": "member"},
		{"position": "lao_representative", "role": "member", "lao_kind": "pao"},
		{"position": "provincial_statistician", "role": "member"},
		{"position": "head_of_provincial_office", "role": "secretary"},
		{"position": "head_of_provincial_ict_group", "role": "assistant_secretary"},
	],
	"powers": ["project_approval"],
}

powers_2024 := [
	"driving_plan", "data_management_guidelines", "budget", "cctv_management", "cctv_utilisation",
	"cctv_linkage_management", "maintenance", "control_centre_security", "public_private_data_sharing",
]

# The same committee amended after MOI-2024: declared expertise, police, the nine powers.
order_2024 := {
	"province": "TH-11",
	"order": {"number": "2871/2567", "signed_on": "2024-07-01", "effective_from": "2024-07-01"},
	"members": [
		{"position": "provincial_governor", "role": "chair"},
		{"position": "deputy_governor_cio", "role": "vice_chair"},
		{"position": "expert", "role": "member", "expertise": ["cctv", "telecommunications"]},
		{"position": "expert", "role": "member", "expertise": ["digital_technology"]},
		{"position": "moi_agency_head_representative", "role": "member"},
		{"position": "lao_representative", "role": "member", "lao_kind": "pao"},
		{"position": "provincial_statistician", "role": "member"},
		{"position": "provincial_police_commander", "role": "member"},
		{"position": "head_of_provincial_office", "role": "secretary"},
		{"position": "head_of_provincial_ict_group", "role": "assistant_secretary"},
	],
	"powers": array.concat(["project_approval"], powers_2024),
}

# order_input(order, as_of) is the engine input of the committee-order check.
order_input(order, as_of) := {"order": order, "as_of": as_of}

# with_members(order, members) replaces the member list.
with_members(order, members) := object.union(order, {"members": members})

# without_position(order, position) drops every member holding that position.
without_position(order, position) := with_members(order, [m | some m in order.members; m.position != position])

# plus_member(order, member) appends one member.
plus_member(order, member) := with_members(order, array.concat(order.members, [member]))

# A compliant CCTV proposal of a Samut Prakan town municipality (CONTRACT.md's example).
cctv_submission := {
	"submitted_on": "2025-02-01",
	"agency": {"name": "เทศบาลเมืองบางปู", "kind": "town_municipality", "province": "TH-11"},
	"project": {
		"title": "ติดตั้งกล้องโทรทัศน์วงจรปิดถนนสุขุมวิท",
		"category": "cctv",
		"budget_thb": 3000000,
		"standard_prices": true,
	},
	"requested_body": "provincial_committee",
	"cctv": {
		"cameras": 40,
		"follows_provincial_manual": true,
		"data_controller": "เทศบาลเมืองบางปู",
		"purposes": ["traffic", "crime_prevention"],
		"retention_days": 30,
		"evidence_hold": false,
		"notice_posted": true,
		"biometrics": {"used": false},
		"public_live_feed": false,
		"linked_to_provincial_center": true,
		"security": {"access_control": true, "access_logging": true, "encryption_in_transit": true},
		"sharing": [
			{"recipient_type": "police", "recipient": "สภ.บางปู", "purpose": "law_enforcement"},
			{
				"recipient_type": "private",
				"recipient": "บริษัท ตัวอย่าง จำกัด",
				"purpose": "traffic_analytics",
				"agreement": {
					"reference": "DSA-2568/07",
					"approved_on": "2024-09-01",
					"approved_by": "provincial_committee",
				},
			},
		],
	},
}

# cctv_input(changes) deep-merges changes into the CCTV proposal.
cctv_input(changes) := {"submission": object.union(cctv_submission, changes)}

# The compliant CCTV proposal as an input.
cctv_base_input := cctv_input({})

# cctv_without(path) removes one field of the CCTV proposal.
cctv_without(path) := {"submission": json.remove(cctv_submission, [path])}

# cctv_sharing(shares) replaces the sharing list.
cctv_sharing(shares) := {"submission": json.patch(cctv_submission, [{
	"op": "replace",
	"path": "/cctv/sharing",
	"value": shares,
}])}
