# R-AUTH-6: an approval by a provincial committee must be reported to the
# MOI committee in the six-monthly report (MOI-MEMO-2010 §3.1). The verdict
# names the fiscal half-year (Interpretation) that contains the evaluation date.

# METADATA
# scope: package
# title: Reporting obligations (R-AUTH-6)
# description: >-
#   A provincial committee's approval must be reported to the MOI committee in
#   the six-monthly report of the fiscal half-year that holds the evaluation date.
# custom:
#   sources: [MOI-MEMO-2010]
package ictgate.authority.obligations

import data.ictgate.authority.routing
import data.ictgate.lib.context
import data.ictgate.lib.dates
import data.ictgate.lib.findings as finding
import data.ictgate.lib.thai

_reports_to := "moi_committee"

# obligation(day): a provincial approval given on day is reported to the MOI committee
# in the six-monthly report of day's fiscal half-year. The pre-check asks it of the
# evaluation date; the resolution check (resolutions/main.rego) of the meeting date.
obligation(day) := {
	"rule": "R-AUTH-6",
	"message": finding.message("R-AUTH-6", "report_due", params(day)),
	"period": period.label,
	"period_start": period.start,
	"period_end": period.end,
	"report_to": _reports_to,
} if {
	period := dates.fiscal_half(day)
}

# The message parameters of the obligation of day.
params(day) := {
	"period": period.label,
	"period_start": period.start,
	"period_end": period.end,
	"period_th": thai.fiscal_half(period),
	"report_to_th": data.rulebook.bodies.bodies[_reports_to].name.th,
	"report_to_en": data.rulebook.bodies.bodies[_reports_to].name.en,
} if {
	period := dates.fiscal_half(day)
}

# METADATA
# scope: document
# title: R-AUTH-6 reporting obligations
# description: >-
#   The obligation to report a provincial committee's approval in the
#   six-monthly report of its fiscal half-year.
# custom:
#   rule_ids: [R-AUTH-6]
obligations contains obligation(context.as_of) if {
	_provincial_approval
}

# METADATA
# scope: document
# title: R-AUTH-6 findings
# description: The reporting obligation, as a finding of the verdict.
# custom:
#   rule_ids: [R-AUTH-6]
findings contains finding.result("R-AUTH-6", "pass", "", "report_due", params(context.as_of)) if {
	_provincial_approval
}

# The memo's reporting duty: a provincial committee's final approval of a project the memo governs.
_provincial_approval if {
	routing.route.body == "provincial_committee"
	routing.memo_governs
}
