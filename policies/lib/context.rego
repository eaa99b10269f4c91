# Shared facts about the evaluation: the submission and the date the rules are read at.

# METADATA
# scope: package
# title: Evaluation context
# description: >-
#   The submission under evaluation, the date the rules are read at (as_of),
#   and whether a catalogued rule is in force on that date.
package ictgate.lib.context

# The submission under evaluation. The engine's input is
# {"submission": {...}, "as_of": "YYYY-MM-DD" (optional), ...} so that later
# inputs (decision history, committee orders) sit beside it, not inside it.
default submission := {}

submission := input.submission if is_object(input.submission)

# The date at which the rules are read (docs/design.md, "Time"): the caller's
# as_of when given, otherwise the submission date. An invalid date leaves it
# undefined, and R-AUTH-8 then fails the verdict instead of guessing a date.
as_of := input.as_of if is_date(input.as_of)

as_of := submission.submitted_on if {
	not _caller_gave_as_of
	is_date(submission.submitted_on)
}

# An as_of key, even an invalid one, means the caller chose the date. Its own
# rule, so that "no input at all" reads as "not given" on every engine.
_caller_gave_as_of if "as_of" in object.keys(input)

is_date(value) if {
	is_string(value)
	regex.match(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`, value)
}

# in_force holds when the catalog's dates for the rule cover as_of.
# ISO dates compare correctly as strings.
in_force(rule_id) if {
	window := _rules[rule_id].in_force
	as_of >= window.from
	_before_end(window)
}

# A window without an "until" date has no end. Two bodies, not a negated
# comparison: OPA makes "not as_of >= window.until" undefined when until is
# missing (the lookup is not part of the negation), regorus makes it true.
_before_end(window) if not window.until

_before_end(window) if as_of < window.until

# Through a rule, evaluated once per query: a data.rulebook path in a
# function body costs regorus a lookup of its own on every call.
_rules := data.rulebook.catalog.rules
