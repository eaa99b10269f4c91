# R-AUTH-6: an approval by a provincial committee must be reported to the
# MOI committee in the six-monthly report (MOI-MEMO-2010 §3.1). The verdict
# names the fiscal half-year (Interpretation) that contains the evaluation date.
package ictgate.authority.obligations

import data.ictgate.authority.routing
import data.ictgate.lib.context
import data.ictgate.lib.dates
import data.ictgate.lib.findings as finding

_reports_to := "moi_committee"

_period := dates.fiscal_half(context.as_of)

_params := {
	"period": _period.label,
	"period_start": _period.start,
	"period_end": _period.end,
	"report_to_th": data.rulebook.bodies.bodies[_reports_to].name.th,
	"report_to_en": data.rulebook.bodies.bodies[_reports_to].name.en,
}

obligations contains {
	"rule": "R-AUTH-6",
	"message": finding.message("R-AUTH-6", "report_due", _params),
	"period": _period.label,
	"period_start": _period.start,
	"period_end": _period.end,
	"report_to": _reports_to,
} if {
	routing.route.body == "provincial_committee"
}

findings contains finding.result("R-AUTH-6", "pass", "", "report_due", _params) if {
	routing.route.body == "provincial_committee"
}
