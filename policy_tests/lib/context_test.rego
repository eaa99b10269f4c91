package ictgate.lib.context_test

import data.ictgate.lib.context

_submitted_2025 := {"submission": {"submitted_on": "2025-02-01"}}

test_as_of_defaults_to_submission_date if {
	context.as_of == "2025-02-01" with input as _submitted_2025
}

test_caller_as_of_wins if {
	context.as_of == "2015-06-30" with input as object.union(_submitted_2025, {"as_of": "2015-06-30"})
}

test_invalid_caller_as_of_is_not_replaced_by_submission_date if {
	not context.as_of with input as object.union(_submitted_2025, {"as_of": "30/06/2015"})
}

test_invalid_submission_date_leaves_no_date if {
	not context.as_of with input as {"submission": {"submitted_on": "2025-13-01"}}
}

# The caller's as_of, missing and present (the negation of "as_of given").
test_caller_as_of_alone_is_the_date if {
	context.as_of == "2015-06-30" with input as {"as_of": "2015-06-30"}
}

test_no_dates_at_all_leaves_no_date if {
	not context.as_of with input as {}
	not context.as_of with input as {"submission": {}}
}

test_rule_in_force_from_its_first_day if {
	context.in_force("R-AUTH-1") with input as {"submission": {"submitted_on": "2010-02-03"}}
}

test_rule_not_in_force_the_day_before if {
	not context.in_force("R-AUTH-1") with input as {"submission": {"submitted_on": "2010-02-02"}}
}

test_rule_ends_on_its_until_date if {
	not context.in_force("R-AUTH-1") with input as {"submission": {"submitted_on": "2030-01-01"}}
		with data.rulebook.catalog.rules["R-AUTH-1"].in_force as {"from": "2010-02-03", "until": "2030-01-01"}
}

# A window's "until", missing and present: OPA once dropped every rule whose
# window has no "until" (the negated comparison was undefined, not true).
test_rule_without_until_stays_in_force if {
	context.in_force("R-AUTH-1") with input as {"submission": {"submitted_on": "2099-12-31"}}
		with data.rulebook.catalog.rules["R-AUTH-1"].in_force as {"from": "2010-02-03"}
}

test_rule_in_force_the_day_before_its_until_date if {
	context.in_force("R-AUTH-1") with input as {"submission": {"submitted_on": "2029-12-31"}}
		with data.rulebook.catalog.rules["R-AUTH-1"].in_force as {"from": "2010-02-03", "until": "2030-01-01"}
}

test_every_shipped_rule_is_in_force_today if {
	in_force := {id | some id, _ in data.rulebook.catalog.rules; context.in_force(id)} with input as _submitted_2025
	in_force == {id | some id, _ in data.rulebook.catalog.rules}
}

test_unknown_rule_is_never_in_force if {
	not context.in_force("R-XXX-1") with input as _submitted_2025
}

test_is_date if {
	context.is_date("2024-02-29")
	not context.is_date("2024-2-29")
	not context.is_date(20240229)
	not context.is_date("2024-00-10")
}

test_submission_must_be_an_object if {
	context.submission == {} with input as {"submission": "x"}
	context.submission == {"a": 1} with input as {"submission": {"a": 1}}
}
