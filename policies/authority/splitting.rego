# R-AUTH-9: split procurement (MOF-REG-2017 clause 20, Interpretation).
#
# The decision log supplies the agency's earlier proposals as input.history
# (the policy does not trust the caller's filtering: it selects here the
# proposals of the same agency, province, system_id and fiscal year). A draft
# proposed again under the same title is a resubmission, not a second
# purchase: only the latest proposal of each other title counts. When this
# proposal and each counted one are within the threshold but together exceed
# it, the verdict needs review, naming the earlier decisions and the total.

# METADATA
# scope: package
# title: Split procurement (R-AUTH-9)
# description: >-
#   Earlier proposals of the same agency, system and fiscal year (input.history)
#   that are each within the threshold but together exceed it need review.
# custom:
#   sources: [MOF-REG-2017]
package ictgate.authority.splitting

import data.ictgate.authority.routing
import data.ictgate.lib.context
import data.ictgate.lib.findings as finding
import data.ictgate.lib.money

_threshold := data.rulebook.parameters.authority.threshold_thb

_submission := context.submission

_project := _submission.project

_checkable if {
	is_string(_project.system_id)
	is_number(_project.fiscal_year)
	routing.is_within_threshold
	not routing.is_bangkok
}

# Clause 20 of the 2017 regulation judges proposals from its date in force; an
# earlier proposal is not judged under it, and the earlier regulation is not encoded.
_applies if {
	_checkable
	context.as_of >= _authority.split_rule_from
}

_before_regulation if {
	_checkable
	context.as_of < _authority.split_rule_from
}

_authority := data.rulebook.parameters.authority

_same_purchase_line(entry) if {
	entry.agency_name == _submission.agency.name
	entry.province == _submission.agency.province
	entry.system_id == _project.system_id
	entry.fiscal_year == _project.fiscal_year
	entry.project_title != _project.title
	is_number(entry.budget_thb)
	entry.budget_thb <= _threshold
}

_candidates := [entry | some entry in object.get(input, "history", []); _same_purchase_line(entry)]

# The latest proposal of each other title: a resubmitted draft counts once.
_latest_by_title := {title: entry |
	some title in {e.project_title | some e in _candidates}
	latest := max([e.recorded_at | some e in _candidates; e.project_title == title])
	some entry in _candidates
	entry.project_title == title
	entry.recorded_at == latest
}

_earlier := [_latest_by_title[title] | some title in sort(object.keys(_latest_by_title))]

total := sum([e.budget_thb | some e in _earlier]) + _project.budget_thb

_params := {
	"system_id": _project.system_id,
	"fiscal_year": sprintf("%d", [_project.fiscal_year]),
	"threshold": money.format_thb(_threshold),
	"count": sprintf("%d", [count(_earlier)]),
	"earlier": concat(", ", [sprintf("%s %s", [e.project_title, money.format_thb(e.budget_thb)]) | some e in _earlier]),
	"total": money.format_thb(total),
	"decision_ids": concat(", ", [e.decision_id | some e in _earlier]),
}

# METADATA
# scope: document
# title: R-AUTH-9 split-procurement findings
# description: >-
#   Review when this proposal and the earlier counted ones exceed the
#   threshold together; pass otherwise.
# custom:
#   rule_ids: [R-AUTH-9]
findings contains finding.result("R-AUTH-9", "review", "/project/system_id", "possible_split", _params) if {
	_applies
	count(_earlier) > 0
	total > _threshold
}

findings contains finding.result("R-AUTH-9", "review", "/project/system_id", "before_regulation", {
	"as_of": context.as_of,
	"from": _authority.split_rule_from,
}) if {
	_before_regulation
}

findings contains finding.result("R-AUTH-9", "pass", "/project/system_id", "no_split", _params) if {
	_applies
	not _splits
}

_splits if {
	count(_earlier) > 0
	total > _threshold
}
