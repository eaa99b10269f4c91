package ictgate.lib.context_test

import data.ictgate.lib.context

test_as_of_defaults_to_submission_date if {
	context.as_of == "2025-02-01" with input as {"submission": {"submitted_on": "2025-02-01"}}
}

test_caller_as_of_wins if {
	context.as_of == "2015-06-30" with input as {"submission": {"submitted_on": "2025-02-01"}, "as_of": "2015-06-30"}
}

test_invalid_caller_as_of_is_not_replaced_by_submission_date if {
	not context.as_of with input as {"submission": {"submitted_on": "2025-02-01"}, "as_of": "30/06/2015"}
}

test_invalid_submission_date_leaves_no_date if {
	not context.as_of with input as {"submission": {"submitted_on": "2025-13-01"}}
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
