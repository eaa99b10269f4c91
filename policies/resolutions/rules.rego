# Committee resolutions (RULEBOOK §8): whether a committee's recorded decision on
# a logged pre-check is admissible.
#
#   R-RES-1 the body is on the verdict's route          R-RES-5 the chain in order
#   R-RES-2 the body held the power on the meeting date R-RES-6 dates, verdict, conditions
#   R-RES-3 failing findings accepted with a reason     R-RES-7 a correction supersedes
#   R-RES-4 only the final step approves
#
# The input is {"resolution": {...}, "decision": <the logged verdict>,
# "resolutions": [earlier admissible resolutions of that decision], "as_of"}.

# METADATA
# scope: package
# title: Committee resolutions (RULEBOOK section 8)
# description: >-
#   Whether a committee's resolution on a logged pre-check is admissible: the
#   body, its power on the meeting date, acceptances of failing findings, the
#   order of the approval chain, dates and corrections.
# custom:
#   sources: [MOI-MEMO-2010, SPK-2024, OPM-2024]
package ictgate.resolutions.rules

import data.ictgate.lib.context
import data.ictgate.lib.findings as finding

_resolution := object.get(input, "resolution", {})

_decision := object.get(input, "decision", {})

_steps := object.get(_decision, ["route", "steps"], [])

_earlier := [r | some r in object.get(input, "resolutions", []); is_object(r.resolution)]

_bodies := data.rulebook.bodies.bodies

_body_name(code, lang) := object.get(_bodies, [code, "name", lang], sprintf("%v", [code]))

_meeting_date := _resolution.meeting.date

_approves if _resolution.outcome in {"approved", "approved_with_conditions"}

_positive if _resolution.outcome in {"approved", "approved_with_conditions", "endorsed"}

# The route step this resolution resolves: the same body, and for a provincial
# body the same province.
step := min(matching) if {
	matching := [i | some i, s in _steps; s.body == _resolution.body; _same_province(s)]
	count(matching) > 0
}

_same_province(s) if not s.province

_same_province(s) if s.province == _resolution.province

_on_route if is_number(step)

# The question is answered only for a resolution on the route with a meeting
# date, read at a date: anything less fails closed (lib.verdicts).
default answered := false

answered if {
	_on_route
	context.is_date(_meeting_date)
	context.as_of
}

_params := {
	"body_th": _body_name(object.get(_resolution, "body", "-"), "th"),
	"body_en": _body_name(object.get(_resolution, "body", "-"), "en"),
	"meeting_date": sprintf("%v", [object.get(_resolution, ["meeting", "date"], "-")]),
	"decision_id": sprintf("%v", [object.get(_decision, "decision_id", "-")]),
}

# METADATA
# scope: document
# title: Resolution admissibility findings
# description: >-
#   One finding per question: on the route, power on the date, acceptances,
#   authority of the step, order of the chain, dates, corrections.
# custom:
#   rule_ids: [R-RES-1, R-RES-2, R-RES-3, R-RES-4, R-RES-5, R-RES-6, R-RES-7]
findings contains finding.result("R-RES-1", "pass", "/body", "on_route", _params) if _on_route

findings contains finding.result("R-RES-1", "fail", "/body", "not_on_route", object.union(_params, {
	"route_th": concat(" → ", [_body_name(s.body, "th") | some s in _steps]),
	"route_en": concat(" → ", [_body_name(s.body, "en") | some s in _steps]),
})) if {
	not _on_route
}

# R-RES-2: a lapsed body's power ends with the lapse (parameters.cctv); inside
# the window the letters leave open, a person decides.
_cctv := data.rulebook.parameters.cctv

_lapses(body) if _cctv.lapsed_bodies[body]

_after_lapse if {
	_lapses(_resolution.body)
	_meeting_date >= _cctv.national_committee_lapsed_on
}

_in_lapse_window if {
	_lapses(_resolution.body)
	_meeting_date >= _cctv.national_committee_lapse_window_from
	_meeting_date < _cctv.national_committee_lapsed_on
}

# A province's CCTV timeline gives the day from which its provincial committee
# approves CCTV projects (Samut Prakan: SPK-2024).
# The step is there because of a letter; its power under that letter starts on
# the letter's date in the province's timeline.
_power_from := min(starts) if {
	s := _steps[step]
	starts := [entry.from |
		some entry in object.get(_cctv.timelines, object.get(s, "province", "-"), [])
		entry.body == s.body
		entry.source == s.citation.source
		is_string(entry.from)
	]
	count(starts) > 0
}

_before_power if _meeting_date < _power_from

default _power_from_text := "-"

_power_from_text := _power_from

_power_params := object.union(_params, {
	"lapsed_on": _cctv.national_committee_lapsed_on,
	"window_from": _cctv.national_committee_lapse_window_from,
	"from": _power_from_text,
})

findings contains finding.result("R-RES-2", "fail", "/meeting/date", "lapsed", _power_params) if _after_lapse

findings contains finding.result("R-RES-2", "review", "/meeting/date", "lapse_window", _power_params) if {
	_in_lapse_window
}

findings contains finding.result("R-RES-2", "fail", "/meeting/date", "before_power", _power_params) if _before_power

findings contains finding.result("R-RES-2", "pass", "/meeting/date", "held_power", _params) if {
	context.is_date(_meeting_date)
	not _after_lapse
	not _in_lapse_window
	not _before_power
}

# R-RES-3: approving despite a failing finding needs an acceptance, with a
# reason, of each one; a finding that needs review and is not accepted is
# shown, not refused. An acceptance of a finding the verdict does not hold is refused.
_acceptances := [a | some a in object.get(_resolution, "acceptances", []); is_object(a)]

_accepted contains [a.rule, a.field] if {
	some a in _acceptances
	count(trim_space(a.reason)) > 0
}

_open(outcome) := [f |
	some f in object.get(_decision, "findings", [])
	f.outcome == outcome
]

# Each list of findings named in one finding: "R-DATA-3 (/cctv/sharing/1/agreement), …".
_named(found) := concat(", ", [sprintf("%s (%s)", [f.rule, f.field]) | some f in found])

# In Thai, by rule only: a field's JSON Pointer means nothing in a Thai sentence.
_named_th(found) := concat(", ", sort({f.rule | some f in found}))

_is_accepted(f) if [f.rule, f.field] in _accepted

_unaccepted(outcome) := [f | some f in _open(outcome); not _is_accepted(f)]

findings contains finding.result("R-RES-3", "fail", "/acceptances", "failing_not_accepted", _listing("fail")) if {
	_positive
	count(_unaccepted("fail")) > 0
}

findings contains finding.result("R-RES-3", "review", "/acceptances", "review_not_accepted", _listing("review")) if {
	_positive
	count(_unaccepted("review")) > 0
}

_accepted_findings := [f | some f in array.concat(_open("fail"), _open("review")); _is_accepted(f)]

_listing(outcome) := object.union(_params, {
	"findings": _named(_unaccepted(outcome)),
	"findings_th": _named_th(_unaccepted(outcome)),
})

_accepted_params := object.union(_params, {
	"findings": _named(_accepted_findings),
	"findings_th": _named_th(_accepted_findings),
})

findings contains finding.result("R-RES-3", "pass", "/acceptances", "accepted", _accepted_params) if {
	_positive
	count(_accepted_findings) > 0
}

_held_findings contains [f.rule, f.field] if some f in object.get(_decision, "findings", [])

findings contains finding.result(
	"R-RES-3", "fail", sprintf("/acceptances/%d", [i]), "unknown_finding",
	object.union(_params, {"rule_id": sprintf("%v", [a.rule]), "field": sprintf("%v", [a.field])}),
) if {
	some i, a in _acceptances
	not _held(a)
}

_held(a) if [a.rule, a.field] in _held_findings

findings contains finding.result("R-RES-3", "fail", sprintf("/acceptances/%d/reason", [i]), "no_reason", _params) if {
	some i, a in _acceptances
	not _has_reason(a)
}

_has_reason(a) if count(trim_space(a.reason)) > 0

# The provincial committee approves as the final step of the chain.
provincial_approval if {
	_approves
	_resolution.body == "provincial_committee"
	_role == "approval"
}

# R-RES-4: only the step whose role is approval approves; a step before it
# endorses (or consents) and passes the proposal on.
_role := _steps[step].role

findings contains finding.result("R-RES-4", "fail", "/outcome", "not_final_step", _params) if {
	_approves
	_role != "approval"
}

findings contains finding.result("R-RES-4", "fail", "/outcome", "final_step_endorses", _params) if {
	_resolution.outcome == "endorsed"
	_role == "approval"
}

findings contains finding.result("R-RES-4", "pass", "/outcome", "within_authority", _params) if {
	_on_route
	not _outcome_beyond_role
}

_outcome_beyond_role if {
	_approves
	_role != "approval"
}

_outcome_beyond_role if {
	_resolution.outcome == "endorsed"
	_role == "approval"
}

# R-RES-5: the next body resolves only after the step before it has endorsed
# or consented, at a meeting on or before this one.
_superseded := {r.resolution.supersedes | some r in _earlier; is_string(r.resolution.supersedes)}

_standing := [r | some r in _earlier; not _is_superseded(r)]

_is_superseded(r) if r.resolution_id in _superseded

_previous_endorsed if {
	some r in _standing
	previous := _steps[step - 1]
	r.resolution.body == previous.body
	object.get(r.resolution, "province", "") == object.get(previous, "province", "")
	r.resolution.outcome == "endorsed"
	r.resolution.meeting.date <= _meeting_date
}

_order_params := object.union(_params, {
	"previous_th": _body_name(_steps[step - 1].body, "th"),
	"previous_en": _body_name(_steps[step - 1].body, "en"),
})

findings contains finding.result("R-RES-5", "fail", "/body", "previous_step_open", _order_params) if {
	step > 0
	_positive
	not _previous_endorsed
}

findings contains finding.result("R-RES-5", "pass", "/body", "in_order", _params) if {
	_on_route
	not _waits_for_previous
}

_waits_for_previous if {
	step > 0
	_positive
	not _previous_endorsed
}

# R-RES-6: dates, the verdict resolved and conditions.
_decision_date := object.get(_decision, "as_of", "")

_date_params := object.union(_params, {"as_of": context.as_of, "precheck_date": _decision_date})

findings contains finding.result("R-RES-6", "fail", "/meeting/date", "in_future", _date_params) if {
	_meeting_date > context.as_of
}

findings contains finding.result("R-RES-6", "fail", "/meeting/date", "before_precheck", _date_params) if {
	_meeting_date < _decision_date
}

findings contains finding.result("R-RES-6", "fail", "/outcome", "not_applicable", _params) if {
	_decision.verdict == "not_applicable"
}

findings contains finding.result("R-RES-6", "fail", "/conditions", "no_conditions", _params) if {
	_resolution.outcome == "approved_with_conditions"
	not _has_conditions
}

_has_conditions if {
	some c in _resolution.conditions
	count(trim_space(c)) > 0
}

findings contains finding.result("R-RES-6", "pass", "/meeting/date", "dated", _params) if {
	context.is_date(_meeting_date)
	not _misdated
}

_misdated if _meeting_date > context.as_of

_misdated if _meeting_date < _decision_date

_misdated if _decision.verdict == "not_applicable"

_misdated if {
	_resolution.outcome == "approved_with_conditions"
	not _has_conditions
}

# R-RES-7: records are never edited. A body that has resolved (other than to
# defer) corrects itself by a new resolution that supersedes its standing one.
_standing_of_body := [r |
	some r in _standing
	r.resolution.body == _resolution.body
	object.get(r.resolution, "province", "") == object.get(_resolution, "province", "")
	r.resolution.outcome != "deferred"
]

_supersedes := _resolution.supersedes

_supersedes_own if {
	some r in _standing_of_body
	r.resolution_id == _supersedes
}

_supersede_params := object.union(_params, {
	"supersedes": sprintf("%v", [object.get(_resolution, "supersedes", "-")]),
	"standing": concat(", ", [r.resolution_id | some r in _standing_of_body]),
})

findings contains finding.result("R-RES-7", "fail", "/supersedes", "unknown_resolution", _supersede_params) if {
	_names_superseded
	not _supersedes_own
}

findings contains finding.result("R-RES-7", "fail", "/supersedes", "already_resolved", _supersede_params) if {
	count(_standing_of_body) > 0
	not _names_superseded
}

# Its own rule: OPA makes "not is_string(_supersedes)" undefined, not true, when
# the resolution names none.
_names_superseded if is_string(_resolution.supersedes)

findings contains finding.result("R-RES-7", "pass", "/supersedes", "supersedes", _supersede_params) if {
	_supersedes_own
}
