package ictgate.lib.verdicts_test

import data.ictgate.lib.findings
import data.ictgate.lib.verdicts

_raw(rule_id, outcome) := findings.result(rule_id, outcome, "/x", "case", {})

# status: fail first, then not_applicable, then needs_review; pass only when earned.
test_a_failure_fails_even_out_of_scope if {
	verdicts.status({_raw("R-AUTH-1", "fail"), _raw("R-AUTH-3", "warn")}, true, true) == "fail"
	verdicts.status({_raw("R-AUTH-8", "fail")}, false, false) == "fail"
}

test_out_of_scope_is_not_applicable if {
	verdicts.status({_raw("R-AUTH-8", "not_applicable")}, false, false) == "not_applicable"
	verdicts.status({_raw("R-AUTH-9", "review")}, false, true) == "not_applicable"
}

test_a_review_needs_review if {
	verdicts.status({_raw("R-AUTH-9", "review"), _raw("R-AUTH-1", "pass")}, true, true) == "needs_review"
}

test_pass_needs_an_answer if {
	verdicts.status({_raw("R-AUTH-1", "pass"), _raw("R-AUTH-3", "warn")}, true, true) == "pass"
	verdicts.status({_raw("R-AUTH-1", "pass")}, true, false) == "fail"
	verdicts.status(set(), true, true) == "pass"
	verdicts.status(set(), true, false) == "fail"
}

test_only_a_boolean_true_answers if {
	verdicts.status(set(), true, "yes") == "fail"
}

# ordered: rulebook order first, then field, message key and outcome.
test_findings_in_rulebook_order if {
	raw := {
		findings.result("R-DATA-1", "pass", "/cctv", "ok", {}),
		findings.result("R-AUTH-10", "pass", "/agency/province", "province_known", {}),
		findings.result("R-AUTH-1", "pass", "/project/standard_prices", "routed", {}),
		findings.result("R-COMP-13", "warn", "/agency/province", "on_file_not_amended_computer_system", {}),
	}
	[f.rule | some f in verdicts.ordered(raw)] == ["R-AUTH-1", "R-AUTH-10", "R-COMP-13", "R-DATA-1"]
}

test_findings_of_one_rule_by_field if {
	raw := {
		findings.result("R-DATA-2", "pass", "/cctv/sharing/1", "ok", {}),
		findings.result("R-DATA-2", "fail", "/cctv/sharing/0/purpose", "missing_purpose", {}),
	}
	[f.field | some f in verdicts.ordered(raw)] == ["/cctv/sharing/0/purpose", "/cctv/sharing/1"]
}

test_unknown_rules_come_last if {
	raw := {_raw("R-XXX-1", "fail"), _raw("R-DATA-9", "pass")}
	[f.rule | some f in verdicts.ordered(raw)] == ["R-DATA-9", "R-XXX-1"]
}

test_ordered_findings_are_explained if {
	[f] := verdicts.ordered({findings.result("R-AUTH-2", "fail", "/project/budget_thb", "budget_missing", {})})
	f.severity == "error"
	f.citation.source == "MOI-MEMO-2010"
	count(f.message.en) > 0
}

# assemble: the verdict object, with as_of when there is one.
test_assemble_with_a_date if {
	verdicts.assemble({_raw("R-AUTH-1", "pass")}, true, true) == {
		"as_of": "2025-02-01",
		"verdict": "pass",
		"findings": verdicts.ordered({_raw("R-AUTH-1", "pass")}),
		"obligations": [],
	}
		with input as {"as_of": "2025-02-01"}
}

test_assemble_without_a_date if {
	verdicts.assemble({_raw("R-AUTH-8", "fail")}, false, false) == {
		"verdict": "fail",
		"findings": verdicts.ordered({_raw("R-AUTH-8", "fail")}),
		"obligations": [],
	}
		with input as {}
}
