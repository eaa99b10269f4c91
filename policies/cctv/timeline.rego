# Which body approved CCTV projects in a province with its own CCTV letters,
# on the evaluation date (RULEBOOK §5). Samut Prakan's timeline, as data
# (parameters.cctv.timelines):
#
#   2021-09-06  SPK-2021: the provincial CCTV data committee
#   2023-09-01  the national committee lapses (R-CCTV-1; the date is data), and
#               the provincial CCTV data committee with it (R-CCTV-2): no body
#               named until ...
#   2024-07-17  SPK-2024: the amended provincial committee (R-CCTV-3), with
#               R-AUTH-1..7 deciding whether the project goes on to MOI
#
# Before the first entry, and in provinces without a timeline, CCTV projects
# follow the authority rules as computer-system projects (R-AUTH-7).

# METADATA
# scope: package
# title: CCTV timelines of provinces with their own letters
# description: >-
#   The body that approved CCTV projects in a province with its own CCTV
#   letters on the evaluation date (parameters.cctv.timelines), including the
#   gap after the national committee lapsed. Reports no findings.
# custom:
#   sources: [SPK-2021, OPM-2024, SPK-2024]
package ictgate.cctv.timeline

import data.ictgate.authority.province
import data.ictgate.lib.context

_params := data.rulebook.parameters.cctv

_is_cctv if context.submission.project.category == "cctv"

_entries := _params.timelines[province.committee_province]

# An entry starts on its "from" date, or on the lapse date of the national
# committee (one date in the data, so that changing it moves the gap too).
start(entry) := entry.from

start(entry) := _params.national_committee_lapsed_on if entry.starts_at == "national_committee_lapse"

# segment is the timeline entry in force: the latest start on or before as_of.
segment := object.union(entry, {"from": start(entry)}) if {
	_is_cctv
	starts := [start(e) | some e in _entries; start(e) <= context.as_of]
	count(starts) > 0
	latest := max(starts)
	some entry in _entries
	start(entry) == latest
}

has_timeline if {
	_is_cctv
	_entries
}

# The rule and catalog message that explain a timeline's step on the approval chain.
step_rule := "R-CCTV-2" if segment.body == "provincial_cctv_data_committee"

step_rule := "R-CCTV-3" if segment.body == "provincial_committee"

step_key := "step_consent" if segment.body == "provincial_cctv_data_committee"

step_key := "step" if segment.body == "provincial_committee"

in_gap if {
	segment
	segment.body == null
}
