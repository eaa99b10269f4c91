# R-AUTH-9: split procurement (MOF-REG-2017 clause 20, Interpretation).
#
# The decision log supplies the agency's earlier proposals as input.history
# (the policy does not trust the caller's filtering: it selects here the
# proposals of the same agency and province: with a system_id, those of the
# same system in the fiscal years of the window; without one, all of the same
# fiscal year). A draft proposed again under the same title in the same year is
# a resubmission, not a second purchase: only the latest of each counts. When
# this proposal and each counted one are within the threshold but together
# exceed it, the verdict needs review, naming the earlier decisions and the total.

# METADATA
# scope: package
# title: Split procurement (R-AUTH-9)
# description: >-
#   Earlier proposals of the same agency (input.history) that are each within
#   the threshold but together with this one exceed it need review.
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

_has_system if is_string(_project.system_id)

# Within the threshold outside Bangkok, with a fiscal year: the only proposals a
# split could move from the MOI committee to the provincial one.
_checkable if {
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

# An earlier proposal of the same agency in the same province, itself within the
# threshold, that is not this very proposal again (same title, same fiscal year).
_counted(entry) if {
	entry.agency_name == _submission.agency.name
	entry.province == _submission.agency.province
	is_number(entry.fiscal_year)
	is_number(entry.budget_thb)
	entry.budget_thb <= _threshold
	_another_proposal(entry)
}

_another_proposal(entry) if entry.project_title != _project.title

_another_proposal(entry) if entry.fiscal_year != _project.fiscal_year

# With a system_id: the same system in any fiscal year of the window (a
# multi-year purchase in yearly tranches is one purchase).
_in_scope(entry) if {
	_has_system
	entry.system_id == _project.system_id
	entry.fiscal_year - _project.fiscal_year < _authority.split_fiscal_year_window
	_project.fiscal_year - entry.fiscal_year < _authority.split_fiscal_year_window
}

# Without one: every proposal of the agency in the same fiscal year, since any
# of them may be part of the same system.
_in_scope(entry) if {
	not _has_system
	entry.fiscal_year == _project.fiscal_year
}

_candidates := [entry |
	some entry in object.get(input, "history", [])
	_counted(entry)
	_in_scope(entry)
]

# The latest proposal of each title in each fiscal year and system: a
# resubmitted draft counts once.
_key(entry) := concat("|", [
	format_int(entry.fiscal_year, 10),
	_or_blank(entry, "system_id"),
	_or_blank(entry, "project_title"),
])

# A text field of a history entry, or "" when it is missing or null.
_or_blank(entry, name) := entry[name] if {
	is_string(entry[name])
} else := ""

# Each candidate with its key, the key made once.
_keyed := [{"key": _key(entry), "entry": entry} | some entry in _candidates]

_latest_by_key := {item.key: item.entry |
	some item in _keyed
	item.entry.recorded_at == max([other.entry.recorded_at | some other in _keyed; other.key == item.key])
}

_earlier := [_latest_by_key[key] | some key in sort(object.keys(_latest_by_key))]

total := sum([e.budget_thb | some e in _earlier]) + _project.budget_thb

_splits if {
	count(_earlier) > 0
	total > _threshold
}

_params := {
	"system_id": object.get(_project, "system_id", "-"),
	"fiscal_year": sprintf("%d", [_project.fiscal_year]),
	"window": sprintf("%d", [_authority.split_fiscal_year_window]),
	"threshold": money.format_thb(_threshold),
	"count": sprintf("%d", [count(_earlier)]),
	"earlier_th": concat(", ", [sprintf("%s ปีงบประมาณ %d วงเงิน %s บาท", [
		e.project_title, e.fiscal_year,
		money.format_thb(e.budget_thb),
	]) |
		some e in _earlier
	]),
	"earlier_en": concat("; ", [sprintf("%s, fiscal year %d, %s THB", [
		e.project_title, e.fiscal_year,
		money.format_thb(e.budget_thb),
	]) |
		some e in _earlier
	]),
	"total": money.format_thb(total),
	"decision_ids": concat(", ", [e.decision_id | some e in _earlier]),
}

# METADATA
# scope: document
# title: R-AUTH-9 split-procurement findings
# description: >-
#   Review when this proposal and the earlier counted ones exceed the
#   threshold together (the same system across fiscal years, or, without a
#   system_id, the agency's proposals of the year); pass otherwise.
# custom:
#   rule_ids: [R-AUTH-9]
findings contains finding.result("R-AUTH-9", "review", "/project/system_id", _split_key, _params) if {
	_applies
	_splits
}

findings contains finding.result("R-AUTH-9", "pass", "/project/system_id", _no_split_key, _params) if {
	_applies
	not _splits
}

findings contains finding.result("R-AUTH-9", "review", "/project/system_id", "before_regulation", {
	"as_of": context.as_of,
	"from": _authority.split_rule_from,
}) if {
	_before_regulation
}

_split_key := "possible_split" if _has_system

_split_key := "possible_split_no_system" if not _has_system

_no_split_key := "no_split" if _has_system

_no_split_key := "no_split_no_system" if not _has_system
