# The resolution check (POST /v1/decisions/{id}/resolutions): whether a
# committee's resolution on a logged pre-check may be recorded, in the
# committee-order check's shape, with "admissible" and the route step resolved.

# METADATA
# scope: package
# title: Resolution check
# description: >-
#   The verdict on a committee resolution: admissible unless a rule fails.
package ictgate.resolutions.main

import data.ictgate.authority.obligations
import data.ictgate.lib.verdicts
import data.ictgate.resolutions.rules

_checked := verdicts.assemble(rules.findings, true, rules.answered)

# METADATA
# scope: document
# title: Resolution verdict
# description: >-
#   The verdict on a resolution: verdict, as_of, findings, whether it is
#   admissible, and the index of the route step it resolves.
# entrypoint: true
verdict := object.union(_checked, object.union(
	{"admissible": _checked.verdict != "fail", "obligations": _obligations},
	_step,
))

# A provincial committee's approval of a project the memo governs is reported to
# the MOI committee in the six-monthly report of the meeting's half-year (R-AUTH-6).
_obligations := [obligations.obligation(input.resolution.meeting.date)] if {
	_checked.verdict != "fail"
	rules.provincial_approval
	count(object.get(input, ["decision", "obligations"], [])) > 0
} else := []

default _step := {}

_step := {"step": rules.step} if is_number(rules.step)
