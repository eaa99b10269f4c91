package ictgate.committee.main_test

import data.ictgate.committee.main
import data.ictgate.testlib.builders

# An order and the date asked about, for CCTV projects (R-COMP-13).
_for_cctv(order, as_of) := object.union(builders.order_input(order, as_of), {"category": "cctv"})

_order_2010_in_2025 := builders.order_input(builders.order_2010, "2025-06-01")

test_complete_2010_order_in_2015_passes if {
	verdict := main.verdict with input as builders.order_input(builders.order_2010, "2015-06-01")
	verdict.verdict == "pass"
	verdict.as_of == "2015-06-01"
	not verdict.route
	verdict.obligations == []
}

test_complete_2010_order_in_2025_passes_with_warnings_for_computer_systems if {
	verdict := main.verdict with input as _order_2010_in_2025
	verdict.verdict == "pass"
	{f.outcome | some f in verdict.findings} == {"pass", "warn"}
}

test_complete_2010_order_in_2025_fails_for_cctv if {
	verdict := main.verdict with input as _for_cctv(builders.order_2010, "2025-06-01")
	verdict.verdict == "fail"
}

test_complete_2024_order_passes_for_cctv if {
	verdict := main.verdict with input as _for_cctv(builders.order_2024, "2025-06-01")
	verdict.verdict == "pass"
	{f.outcome | some f in verdict.findings} == {"pass"}
}

test_chon_buri_without_pattaya_fails if {
	order := object.union(builders.order_2010, {"province": "TH-20"})
	main.verdict.verdict == "fail" with input as builders.order_input(order, "2015-06-01")
}

test_bangkok_order_fails if {
	order := object.union(builders.order_2010, {"province": "TH-10"})
	main.verdict.verdict == "fail" with input as builders.order_input(order, "2015-06-01")
}

test_before_2010_is_not_applicable if {
	main.verdict.verdict == "not_applicable" with input as builders.order_input(builders.order_2010, "2009-12-31")
}

test_no_date_fails if {
	main.verdict.verdict == "fail" with input as {"order": builders.order_2010}
}

test_findings_explain_with_citations if {
	verdict := main.verdict with input as _order_2010_in_2025
	every f in verdict.findings {
		f.citation.source in {"MOI-MEMO-2010", "MOI-2024"}
		not contains(f.message.en, "{")
		not contains(f.message.th, "{")
	}
}
