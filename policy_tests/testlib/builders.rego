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
