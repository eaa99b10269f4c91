# R-COMP-13 in the pre-check: may the provincial committee that the route
# names approve this project, given the order on file at the evaluation date?
#
# From 2024-05-31 (MOI-2024 item 3), for a project routed to a provincial committee:
#   order on file holds R-COMP-10..12         -> pass
#   order lacks them, computer-system project -> warn (the province must amend)
#   order lacks them, CCTV project            -> fail (no CCTV powers)
#   no order on file, CCTV project            -> review (cannot be confirmed)
# A computer-system project with no order on file gets no finding: the 2010
# rules set up a committee in every province; its order is checked when filed.
# CCTV projects are judged here only in provinces whose own letter sends them
# to the amended committee (a CCTV timeline, e.g. Samut Prakan, SPK-2024);
# elsewhere R-CCTV-5 decides (review until the order holds the powers).

# METADATA
# scope: package
# title: Committee order on file in the pre-check (R-COMP-13)
# description: >-
#   Whether the provincial committee the route names may approve the project,
#   given the committee order on file at the evaluation date.
# custom:
#   sources: [MOI-2024]
package ictgate.committee.approval

import data.ictgate.authority.routing
import data.ictgate.cctv.timeline
import data.ictgate.committee.composition
import data.ictgate.committee.on_file
import data.ictgate.lib.context
import data.ictgate.lib.findings as finding
import data.ictgate.lib.thai

_params := data.rulebook.parameters.committee

_category := context.submission.project.category

_applies if {
	routing.on_chain("provincial_committee")
	context.as_of >= _params.rules_2024_from
	not _left_to_r_cctv_5
}

_left_to_r_cctv_5 if {
	_category == "cctv"
	not timeline.has_timeline
}

_province := step.province if {
	some step in routing.steps
	step.body == "provincial_committee"
}

_order := on_file.order_in_force(_province)

_missing := composition.missing_amendments_in(_order)

_province_name := data.rulebook.provinces.provinces[_province].name

_params_for(order) := {
	"province_th": _province_name.th,
	"province_en": _province_name.en,
	"order_number": order.order.number,
	"effective_from": order.order.effective_from,
	"missing_rules": concat(", ", sort(_missing)),
	"missing_rules_th": thai.labels("amendments_2024", sort(_missing)),
}

# METADATA
# scope: document
# title: R-COMP-13 in the pre-check
# description: >-
#   Pass, warn, fail or review by the order on file of the routed provincial
#   committee, from 2024-05-31.
# custom:
#   rule_ids: [R-COMP-13]
findings contains finding.result("R-COMP-13", "pass", "/agency/province", "on_file_amended", _params_for(_order)) if {
	_applies
	count(_missing) == 0
}

findings contains finding.result(
	"R-COMP-13", "warn", "/agency/province", "on_file_not_amended_computer_system",
	_params_for(_order),
) if {
	_applies
	_category != "cctv"
	count(_missing) > 0
}

findings contains finding.result(
	"R-COMP-13", "fail", "/agency/province", "on_file_not_amended_cctv",
	_params_for(_order),
) if {
	_applies
	_category == "cctv"
	count(_missing) > 0
}

findings contains finding.result("R-COMP-13", "review", "/agency/province", "no_order_on_file", {
	"province_th": _province_name.th,
	"province_en": _province_name.en,
	"as_of": context.as_of,
}) if {
	_applies
	_category == "cctv"
	not _order
}
