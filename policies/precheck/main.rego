# The pre-check verdict (RULEBOOK §7): one query, data.ictgate.precheck.main.verdict,
# returns the whole answer. Python stamps it; it never changes it.
package ictgate.precheck.main

import data.ictgate.authority.obligations
import data.ictgate.authority.routing
import data.ictgate.authority.scope
import data.ictgate.lib.context
import data.ictgate.lib.findings as finding

# Outside the scope only the scope finding explains the verdict; inside it,
# every rule family reports what it evaluated, passes included.
_raw contains raw if some raw in scope.findings

_raw contains raw if {
	scope.in_scope
	some raw in routing.findings
}

_raw contains raw if {
	scope.in_scope
	some raw in obligations.findings
}

_count(outcome) := count([raw | some raw in _raw; raw.outcome == outcome])

# A verdict is pass only when it is positively earned: in scope, nothing
# failed or needs review, and a body was named. Anything else fails closed.
default outcome := "fail"

outcome := "not_applicable" if {
	not scope.in_scope
	_count("fail") == 0
}

outcome := "needs_review" if {
	scope.in_scope
	_count("fail") == 0
	_count("review") > 0
}

outcome := "pass" if {
	scope.in_scope
	_count("fail") == 0
	_count("review") == 0
	routing.route
}

# Findings in rulebook order, then by field, so every engine lists them alike.
_keyed := {key: finding.explain(raw) |
	some raw in _raw
	key := sprintf("%04d|%s|%s|%s", [finding.rank(raw.rule), raw.field, raw.message_key, raw.outcome])
}

ordered_findings := [_keyed[key] | some key in sort(object.keys(_keyed))]

ordered_obligations := [obligation |
	scope.in_scope
	some period in sort({o.period | some o in obligations.obligations})
	some obligation in obligations.obligations
	obligation.period == period
]

default _route := {}

_route := {"route": routing.route} if {
	scope.in_scope
	routing.route
}

default _as_of := {}

_as_of := {"as_of": context.as_of} if context.as_of

verdict := object.union(object.union(_route, _as_of), {
	"verdict": outcome,
	"findings": ordered_findings,
	"obligations": ordered_obligations,
})
