# Assembles a verdict from raw findings (RULEBOOK §7), the same way for the
# pre-check and for the committee-order check.

# METADATA
# scope: package
# title: Verdict assembly
# description: >-
#   The verdict status from raw findings (RULEBOOK section 7), the findings in
#   rulebook order, and the verdict object shared by both checks.
package ictgate.lib.verdicts

import data.ictgate.lib.context
import data.ictgate.lib.findings as finding

# status is pass only when positively earned: in scope, nothing failed or
# needs review, and the question answered (for the pre-check: a body named).
# Every other combination fails closed.
status(raw, in_scope, answered) := "fail" if {
	_count(raw, "fail") > 0
} else := "not_applicable" if {
	in_scope == false
} else := "needs_review" if {
	_count(raw, "review") > 0
} else := "pass" if {
	answered == true
} else := "fail"

_count(raw, outcome) := count([f | some f in raw; f.outcome == outcome])

# ordered lists the explained findings in rulebook order, then by field, so
# every engine lists them alike.
ordered(raw) := [keyed[key] | some key in sort(object.keys(keyed))] if {
	keyed := {key: finding.explain(f) |
		some f in raw

		# finding.rank, inline: a call per finding costs more than the lookup.
		rank := object.get(_rules, [f.rule, "order"], 9999)
		key := sprintf("%04d|%s|%s|%s", [rank, f.field, f.message_key, f.outcome])
	}
}

_rules := data.rulebook.catalog.rules

# assemble builds the verdict object; the caller adds a route and obligations.
assemble(raw, in_scope, answered) := object.union(_as_of, {
	"verdict": status(raw, in_scope, answered),
	"findings": ordered(raw),
	"obligations": [],
})

default _as_of := {}

_as_of := {"as_of": context.as_of} if context.as_of
