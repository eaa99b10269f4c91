# CCTV projects (RULEBOOK §5): lapsed bodies, Samut Prakan's dated route,
# the provincial manual, and CCTV approval in other provinces.
#
#   R-CCTV-1  the national CCTV committee lapsed (OPM-2024; lapse date is data)
#   R-CCTV-2  Samut Prakan's provincial CCTV data committee lapsed with it (SPK-2024 ¶2)
#   R-CCTV-3  from 2024-07-17 Samut Prakan's amended provincial committee; review in the gap
#   R-CCTV-4  the project follows the provincial CCTV manual (SPK-2024 ¶2)
#   R-CCTV-5  elsewhere, the provincial committee once its order holds the 2024 powers
#
# A lapsed body is named in the finding together with the body to use instead;
# where no body can be named yet (the gap), the finding asks for review.

# METADATA
# scope: package
# title: CCTV projects (RULEBOOK section 5)
# description: >-
#   Lapsed CCTV bodies, Samut Prakan's dated route, the provincial CCTV manual,
#   and CCTV approval in other provinces by the order on file.
# custom:
#   sources: [OPM-2024, SPK-2021, SPK-2024, MOI-2024]
package ictgate.cctv.rules

import data.ictgate.authority.province
import data.ictgate.authority.routing
import data.ictgate.cctv.timeline
import data.ictgate.committee.composition
import data.ictgate.committee.on_file
import data.ictgate.lib.context
import data.ictgate.lib.findings as finding
import data.ictgate.lib.thai

_params := data.rulebook.parameters.cctv

_bodies := data.rulebook.bodies.bodies

_submission := context.submission

_is_cctv if _submission.project.category == "cctv"

# Parameters of messages have defaults: a missing optional field (no
# requested_body, say) must change a message, never drop a finding.
default _requested := "-"

_requested := _submission.requested_body

_lapsed_on := _params.national_committee_lapsed_on

_has_lapsed if context.as_of >= _lapsed_on

# The letters give no day for the lapse: "when the previous government left office",
# which lies between the new Prime Minister's appointment and the new cabinet taking
# office (data). Inside that window the answer is for a person.
_window_from := _params.national_committee_lapse_window_from

_in_lapse_window if {
	context.as_of >= _window_from
	not _has_lapsed
}

default _province_name := {"th": "-", "en": "-"}

_province_name := data.rulebook.provinces.provinces[province.committee_province].name

default _as_of := "-"

_as_of := context.as_of

# The body to use instead, in words, with its province for a provincial body.
default _route_name := {"th": "-", "en": "-"}

# The body to submit to instead: the first step of the approval chain.
_route_name := {
	"th": sprintf("%s จังหวัด%s", [routing.submit_to.name.th, _province_name.th]),
	"en": sprintf("%s of %s", [routing.submit_to.name.en, _province_name.en]),
} if {
	routing.submit_to.province
}

_route_name := routing.submit_to.name if {
	routing.submit_to
	not routing.submit_to.province
}

_common := {
	"as_of": _as_of,
	"lapsed_on": _lapsed_on,
	"window_from": _window_from,
	"route_th": _route_name.th,
	"route_en": _route_name.en,
	"national_th": _bodies.national_cctv_committee.name.th,
	"national_en": _bodies.national_cctv_committee.name.en,
	"cctv_committee_th": _bodies.provincial_cctv_data_committee.name.th,
	"cctv_committee_en": _bodies.provincial_cctv_data_committee.name.en,
	"requested_th": object.get(_bodies, [_requested, "name", "th"], sprintf("%v", [_requested])),
	"requested_en": object.get(_bodies, [_requested, "name", "en"], sprintf("%v", [_requested])),
	"province_th": _province_name.th,
	"province_en": _province_name.en,
}

# METADATA
# scope: document
# title: CCTV findings
# description: >-
#   Lapsed national and provincial CCTV bodies, Samut Prakan's gap and amended
#   committee, the provincial manual, and other provinces' orders.
# custom:
#   rule_ids: [R-CCTV-1, R-CCTV-2, R-CCTV-3, R-CCTV-4, R-CCTV-5]

# R-CCTV-1: a proposal addressed to the national CCTV committee.
findings contains finding.result("R-CCTV-1", _lapsed_outcome, "/requested_body", _lapsed_key, _common) if {
	_is_cctv
	_requested == "national_cctv_committee"
	_has_lapsed
}

findings contains finding.result("R-CCTV-1", "review", "/requested_body", "before_lapse", _common) if {
	_is_cctv
	_requested == "national_cctv_committee"
	not _has_lapsed
	not _in_lapse_window
}

findings contains finding.result("R-CCTV-1", "review", "/requested_body", "lapse_window", _common) if {
	_is_cctv
	_requested == "national_cctv_committee"
	_in_lapse_window
}

# Samut Prakan's CCTV data committee lapsed with it: its consent inside the window is uncertain.
findings contains finding.result("R-CCTV-2", "review", "/submitted_on", "lapse_window", _common) if {
	timeline.segment.body == "provincial_cctv_data_committee"
	_in_lapse_window
}

# After a lapse: fail when a body to use instead can be named, else review.
default _lapsed_outcome := "review"

_lapsed_outcome := "fail" if routing.route

default _lapsed_key := "lapsed_no_body"

_lapsed_key := "lapsed_use_instead" if routing.route

# R-CCTV-2: Samut Prakan's provincial CCTV data committee.
findings contains finding.result("R-CCTV-2", "pass", "/requested_body", "in_office", _common) if {
	timeline.segment.body == "provincial_cctv_data_committee"
	not _names_another_body_in_office
}

findings contains finding.result("R-CCTV-2", "fail", "/requested_body", "in_office_wrong_body", _common) if {
	timeline.segment.body == "provincial_cctv_data_committee"
	_names_another_body_in_office
}

# Any body on the approval chain may be addressed (the data committee consents,
# the memo's body approves); a body off the chain is the wrong one.
_names_another_body_in_office if {
	is_string(_requested)
	not routing.on_chain(_requested)
}

findings contains finding.result("R-CCTV-2", _lapsed_outcome, "/requested_body", _lapsed_key, _common) if {
	_is_cctv
	_requested == "provincial_cctv_data_committee"
	_has_lapsed
}

# R-CCTV-3 also checks the requested body where the memo does not decide (an agency
# outside MOI): the amended committee is the whole chain, so any other body is wrong.
findings contains finding.result("R-CCTV-3", "fail", "/requested_body", "wrong_body", _common) if {
	timeline.segment.body == "provincial_committee"
	not routing.memo_governs
	routing.names_other_body
}

# R-CCTV-3: Samut Prakan after the lapse: the gap, then the amended committee.
findings contains finding.result(
	"R-CCTV-3", "review", "/submitted_on", "gap",
	object.union(_common, {"next_from": _next_from}),
) if {
	timeline.in_gap
}

findings contains finding.result(
	"R-CCTV-3", "pass", "/agency/province", "provincial_committee",
	object.union(_common, {"from": timeline.segment.from}),
) if {
	timeline.segment.body == "provincial_committee"
}

_next_from := min([timeline.start(entry) |
	some entry in _params.timelines[province.committee_province]
	timeline.start(entry) > context.as_of
])

# R-CCTV-4: the provincial CCTV manual, where a province requires it.
_manual := _params.manual_required[province.committee_province]

_manual_applies if {
	_is_cctv
	context.as_of >= _manual.from
}

_follows_manual if _submission.cctv.follows_provincial_manual == true

findings contains finding.result("R-CCTV-4", "pass", "/cctv/follows_provincial_manual", "follows", {}) if {
	_manual_applies
	_follows_manual
}

findings contains finding.result("R-CCTV-4", "fail", "/cctv/follows_provincial_manual", "does_not_follow", object.union(
	_common,
	{"from": _manual.from},
)) if {
	_manual_applies
	not _follows_manual
}

# R-CCTV-5: provinces without their own CCTV timeline, from the 2024 letter.
_r5_applies if {
	_is_cctv
	not timeline.has_timeline
	routing.on_chain("provincial_committee")
	context.as_of >= _params.powers_from
}

_order := on_file.order_in_force(province.committee_province)

_missing_amendments := composition.missing_amendments_in(_order)

_order_params := object.union(_common, {
	"order_number": _order.order.number,
	"effective_from": _order.order.effective_from,
	"missing_rules": concat(", ", sort(_missing_amendments)),
	"missing_rules_th": thai.labels("amendments_2024", sort(_missing_amendments)),
})

findings contains finding.result("R-CCTV-5", "pass", "/agency/province", "amended", _order_params) if {
	_r5_applies
	count(_missing_amendments) == 0
}

findings contains finding.result("R-CCTV-5", "review", "/agency/province", "not_amended", _order_params) if {
	_r5_applies
	count(_missing_amendments) > 0
}

findings contains finding.result("R-CCTV-5", "review", "/agency/province", "no_order", _common) if {
	_r5_applies
	not _order
}
