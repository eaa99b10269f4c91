# The pre-check verdict (RULEBOOK §7): one query, data.ictgate.precheck.main.verdict,
# returns the whole answer. Python stamps it; it never changes it.

# METADATA
# scope: package
# title: Pre-check
# description: >-
#   The pre-check verdict of a submission: one query returns the whole answer
#   (verdict, findings, route and obligations).
package ictgate.precheck.main

import data.ictgate.authority.obligations
import data.ictgate.authority.routing
import data.ictgate.authority.scope
import data.ictgate.authority.splitting
import data.ictgate.cctv.rules as cctv
import data.ictgate.committee.approval
import data.ictgate.datasharing.rules as datasharing
import data.ictgate.lib.verdicts

# Outside the scope only the scope finding explains the verdict; inside it,
# every rule family reports what it evaluated, passes included.
_raw contains raw if some raw in scope.findings

_raw contains raw if {
	scope.in_scope
	some family in [
		routing.findings, splitting.findings, obligations.findings,
		approval.findings, cctv.findings, datasharing.findings,
	]
	some raw in family
}

default _has_route := false

_has_route if routing.route

default _route := {}

_route := {"route": routing.route} if {
	scope.in_scope
	routing.route
}

ordered_obligations := [obligation |
	scope.in_scope
	some period in sort({o.period | some o in obligations.obligations})
	some obligation in obligations.obligations
	obligation.period == period
]

# METADATA
# scope: document
# title: Pre-check verdict
# description: >-
#   The verdict of a submission: verdict, as_of, route, findings and
#   obligations. Python stamps it; it never changes it.
# entrypoint: true
verdict := object.union(
	verdicts.assemble(_raw, scope.in_scope, _has_route),
	object.union(_route, {"obligations": ordered_obligations}),
)
