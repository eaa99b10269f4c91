package ictgate.committee.approval_test

import data.ictgate.committee.approval
import data.ictgate.precheck.main
import data.ictgate.testlib.builders

_computer(province, date) := builders.input_for({"submitted_on": date, "agency": {"province": province}})

_samut_prakan_cctv(date) := builders.cctv_input({"submitted_on": date})

# The inputs most tests ask about, bound once.
_samut_prakan_cctv_2025 := _samut_prakan_cctv("2025-02-01")

_nakhon_ratchasima_2025 := _computer("TH-30", "2025-02-01")

test_samut_prakan_cctv_with_amended_order_on_file_passes if {
	builders.summary(approval.findings) == {["R-COMP-13", "pass", "/agency/province"]}
		with input as _samut_prakan_cctv_2025
	main.verdict.verdict == "pass" with input as _samut_prakan_cctv_2025
}

test_samut_prakan_cctv_with_only_a_2010_order_on_file_fails if {
	only_2010 := {"TH-11": [o |
		some o in data.rulebook.committee_orders.orders["TH-11"]
		o.order.effective_from < "2024-05-31"
	]}
	builders.summary(approval.findings) == {["R-COMP-13", "fail", "/agency/province"]}
		with input as _samut_prakan_cctv_2025
		with data.rulebook.committee_orders.orders as only_2010
	main.verdict.verdict == "fail" with input as _samut_prakan_cctv_2025
		with data.rulebook.committee_orders.orders as only_2010
}

test_samut_prakan_cctv_without_order_on_file_needs_review if {
	builders.summary(approval.findings) == {["R-COMP-13", "review", "/agency/province"]}
		with input as _samut_prakan_cctv_2025
		with data.rulebook.committee_orders.orders as {}
	main.verdict.verdict == "needs_review" with input as _samut_prakan_cctv_2025
		with data.rulebook.committee_orders.orders as {}
}

test_cctv_elsewhere_is_left_to_r_cctv_5 if {
	count(approval.findings) == 0 with input as builders.cctv_input({"agency": {"province": "TH-30"}})
}

test_computer_system_project_with_2010_order_warns if {
	builders.summary(approval.findings) == {["R-COMP-13", "warn", "/agency/province"]}
		with input as _nakhon_ratchasima_2025
	main.verdict.verdict == "pass" with input as _nakhon_ratchasima_2025
}

test_computer_system_project_without_order_on_file_has_no_committee_finding if {
	count(approval.findings) == 0 with input as _computer("TH-50", "2025-02-01")
}

test_order_in_force_is_the_latest_by_the_date if {
	# Samut Prakan's amended order takes effect 2024-07-01; before it, the 2010 order is in force.
	builders.summary(approval.findings) == {["R-COMP-13", "warn", "/agency/province"]}
		with input as _computer("TH-11", "2024-06-30")
	builders.summary(approval.findings) == {["R-COMP-13", "pass", "/agency/province"]}
		with input as _computer("TH-11", "2024-07-01")
}

test_no_committee_finding_the_day_before_the_2024_letter if {
	count(approval.findings) == 0 with input as _computer("TH-30", "2024-05-30")
}

test_committee_finding_from_the_day_of_the_2024_letter if {
	builders.summary(approval.findings) == {["R-COMP-13", "warn", "/agency/province"]}
		with input as _computer("TH-30", "2024-05-31")
}

test_moi_committee_route_needs_no_provincial_order if {
	count(approval.findings) == 0 with input as builders.input_for({"project": {"budget_thb": 6000000}})
}

test_pattaya_is_judged_by_the_chon_buri_order if {
	changes := {"agency": {"kind": "pattaya_city", "province": "TH-S"}}
	findings := approval.findings with input as builders.input_for(changes)
	[f.params.order_number | some f in findings] == ["1188/2553"]
}

test_message_names_the_order if {
	findings := approval.findings with input as _nakhon_ratchasima_2025
	some f in findings
	f.params.order_number == "905/2553"
	f.params.missing_rules == "R-COMP-11, R-COMP-12"
}
