# CCTV data sharing and security (RULEBOOK §6): the committee's measures
# (MOI-2024 item 3) with the product's defaults as policy data, and the
# privacy duties of the PDPA for CCTV footage, which is personal data.
#
#   R-DATA-1 controller, purposes, retention    R-DATA-6 linked centre: access control,
#   R-DATA-2 each share: recipient type, purpose         access logging, encryption
#   R-DATA-3 private recipient: approved agreement R-DATA-7 retention <= province maximum
#   R-DATA-4 police, law enforcement: allowed      R-DATA-8 notice to people recorded
#   R-DATA-5 no live feed open to the public       R-DATA-9 biometrics: a lawful basis
#
# Each rule applies from its catalog date (context.in_force). A missing field
# never switches a failure off: each finding is the negation of a positive check.

# METADATA
# scope: package
# title: CCTV data sharing and security (RULEBOOK section 6)
# description: >-
#   The committee's data-sharing and security measures, with the product's
#   defaults as policy data, and the PDPA duties for CCTV footage.
# custom:
#   sources: [MOI-2024, PDPA-2019]
package ictgate.datasharing.rules

import data.ictgate.authority.province
import data.ictgate.committee.composition
import data.ictgate.lib.context
import data.ictgate.lib.findings as finding
import data.ictgate.lib.thai

_params := data.rulebook.parameters.data_sharing

_submission := context.submission

_cctv := object.get(_submission, "cctv", {})

# The data rules in force for this CCTV project, computed once (a function
# call in every rule body costs more than the rule itself).
_in_force := {rule_id |
	_submission.project.category == "cctv"
	some rule_id in object.keys(data.rulebook.catalog.rules)
	startswith(rule_id, "R-DATA-")
	context.in_force(rule_id)
}

# One definition with else: a call then evaluates one body, not two.
_text(value) := value if {
	is_string(value)
} else := sprintf("%v", [value])

# R-DATA-1: controller, purposes, retention.
_has_controller if count(trim_space(_cctv.data_controller)) > 0

_has_purposes if count(_cctv.purposes) > 0

_has_retention if {
	is_number(_cctv.retention_days)
	_cctv.retention_days >= 0
}

# METADATA
# scope: document
# title: CCTV data-sharing and security findings
# description: >-
#   Controller, purposes and retention; each sharing arrangement; the public
#   feed; the linked centre's security measures; retention; notice; biometrics.
#   Each rule applies from its catalog date.
# custom:
#   rule_ids: [R-DATA-1, R-DATA-2, R-DATA-3, R-DATA-4, R-DATA-5, R-DATA-6, R-DATA-7, R-DATA-8, R-DATA-9]
findings contains finding.result("R-DATA-1", "pass", "/cctv", "ok", {
	"controller": _cctv.data_controller,
	"purposes": concat(", ", _cctv.purposes),
	"purposes_th": thai.labels("recording_purposes", _cctv.purposes),
	"retention_days": _text(_cctv.retention_days),
}) if {
	"R-DATA-1" in _in_force
	_has_controller
	_has_purposes
	_has_retention
}

findings contains finding.result("R-DATA-1", "fail", "/cctv/data_controller", "missing_controller", {}) if {
	"R-DATA-1" in _in_force
	not _has_controller
}

findings contains finding.result("R-DATA-1", "fail", "/cctv/purposes", "missing_purposes", {}) if {
	"R-DATA-1" in _in_force
	not _has_purposes
}

findings contains finding.result("R-DATA-1", "fail", "/cctv/retention_days", "missing_retention", {}) if {
	"R-DATA-1" in _in_force
	not _has_retention
}

# R-DATA-2..4: every sharing arrangement; its recipient type, purpose and
# lawful basis are codes of the term tables (data.rulebook.terms).
_sharing := [share | some share in object.get(_cctv, "sharing", [])]

_share_pointer(i) := sprintf("/cctv/sharing/%d", [i])

_share_field(i, path) := sprintf("/cctv/sharing/%d/%s", [i, path])

# Each arrangement's message parameters, built once per query: up to four
# findings of one arrangement show them.
_share_params[i] := {
	"item": sprintf("%d", [i + 1]),
	"recipient": _text(object.get(share, "recipient", "-")),
	"recipient_type_th": _label("recipient_types", object.get(share, "recipient_type", "-"), "th"),
	"recipient_type_en": _label("recipient_types", object.get(share, "recipient_type", "-"), "en"),
	"purpose_th": _label("sharing_purposes", object.get(share, "purpose", "-"), "th"),
	"purpose_en": _label("sharing_purposes", object.get(share, "purpose", "-"), "en"),
} if {
	some i, share in _sharing
}

# The label of a code in a term table (data.rulebook.terms), the code itself when unknown.
_label(table, code, lang) := object.get(_terms, [table, code, lang], _text(code))

_terms := data.rulebook.terms

_has_purpose(share) if _terms.sharing_purposes[share.purpose]

# Checks of one arrangement's fields as functions: negated, a missing field
# makes them false on every engine (OPA makes "not share.recipient_type in
# ..." undefined, not true, when the field is missing).
_has_known_type(share) if _terms.recipient_types[share.recipient_type]

# A lawful basis is one of the PDPA's, by its code (s.24 or s.26).
_has_basis(share) if _terms.lawful_bases[share.lawful_basis]

_public_shares contains i if {
	some i, share in _sharing
	share.recipient_type == "public"
}

# Disclosure to the public (PDPA s.27) names its lawful basis under s.24 or s.26;
# without one, a person decides (Interpretation: the letters are silent).
findings contains finding.result(
	"R-DATA-2", "pass", _share_field(i, "lawful_basis"), "public_basis",
	object.union(_share_params[i], {
		"basis_th": _label("lawful_bases", _sharing[i].lawful_basis, "th"),
		"basis_en": _label("lawful_bases", _sharing[i].lawful_basis, "en"),
	}),
) if {
	"R-DATA-2" in _in_force
	some i in _public_shares
	_has_basis(_sharing[i])
}

findings contains finding.result(
	"R-DATA-2", "review", _share_field(i, "lawful_basis"), "public_no_basis",
	_share_params[i],
) if {
	"R-DATA-2" in _in_force
	some i in _public_shares
	share := _sharing[i]
	not _has_basis(share)
}

findings contains finding.result("R-DATA-2", "pass", _share_pointer(i), "ok", _share_params[i]) if {
	"R-DATA-2" in _in_force
	some i, share in _sharing
	_has_known_type(share)
	_has_purpose(share)
}

findings contains finding.result(
	"R-DATA-2", "fail", _share_field(i, "recipient_type"), "missing_type",
	_share_params[i],
) if {
	"R-DATA-2" in _in_force
	some i, share in _sharing
	not _has_known_type(share)
}

findings contains finding.result(
	"R-DATA-2", "fail", _share_field(i, "purpose"), "missing_purpose",
	_share_params[i],
) if {
	"R-DATA-2" in _in_force
	some i, share in _sharing
	not _has_purpose(share)
}

# R-DATA-3: a private recipient needs an agreement the provincial committee approved.
_agreement_params(i, share) := object.union(_share_params[i], {
	"reference": _text(share.agreement.reference),
	"approved_on": _text(share.agreement.approved_on),
	"as_of": context.as_of,
	"approver_th": _body_name(share.agreement.approved_by, "th"),
	"approver_en": _body_name(share.agreement.approved_by, "en"),
})

_body_name(body, lang) := object.get(_bodies, [body, "name", lang], _text(body))

# Through a rule, evaluated once per query (a data path in a function body
# is looked up again on every call).
_bodies := data.rulebook.bodies.bodies

_has_agreement(share) if {
	count(trim_space(share.agreement.reference)) > 0
	context.is_date(share.agreement.approved_on)
	is_string(share.agreement.approved_by)
}

_private_shares contains i if {
	some i, share in _sharing
	share.recipient_type == "private"
}

findings contains finding.result(
	"R-DATA-3", "pass", _share_field(i, "agreement"), "ok",
	_agreement_params(i, share),
) if {
	"R-DATA-3" in _in_force
	some i in _private_shares
	share := _sharing[i]
	_has_agreement(share)
	agreement := share.agreement
	agreement.approved_on <= context.as_of
	_held_power(agreement.approved_by, agreement.approved_on)
	not _since_lapsed(agreement.approved_by) # negation-safe: _has_agreement checked it is a string
}

findings contains finding.result(
	"R-DATA-3", "fail", _share_field(i, "agreement"), "missing_agreement",
	_share_params[i],
) if {
	"R-DATA-3" in _in_force
	some i in _private_shares
	share := _sharing[i]
	not _has_agreement(share)
}

findings contains finding.result(
	"R-DATA-3", "fail", _share_field(i, "agreement/approved_by"), "wrong_approver",
	_agreement_params(i, share),
) if {
	"R-DATA-3" in _in_force
	some i in _private_shares
	share := _sharing[i]
	_has_agreement(share)
	agreement := share.agreement
	agreement.approved_on <= context.as_of
	not _held_power(agreement.approved_by, agreement.approved_on) # negation-safe: _has_agreement checked both
}

# An act of a body that held the power then, but has lapsed since, is for a person to weigh.
findings contains finding.result(
	"R-DATA-3", "review", _share_field(i, "agreement/approved_by"), "approver_lapsed",
	_agreement_params(i, share),
) if {
	"R-DATA-3" in _in_force
	some i in _private_shares
	share := _sharing[i]
	_has_agreement(share)
	share.agreement.approved_on <= context.as_of
	_held_power(share.agreement.approved_by, share.agreement.approved_on)
	_since_lapsed(share.agreement.approved_by)
}

# Dated powers (parameters.data_sharing.agreement_powers): who could approve a
# data-sharing agreement on a given day. The provincial committee from MOI-2024
# item 3, and in a province with an amended order on file, from that order; the
# Samut Prakan CCTV data committee from SPK-2021 until it lapsed.
_powers := _params.agreement_powers

_held_power(body, day) if {
	power := _powers[body]
	not _until_lapse(power)
	day >= _power_from(body, power)
}

_held_power(body, day) if {
	power := _powers[body]
	_until_lapse(power)
	province.committee_province in power.provinces
	day >= power.from
	day < data.rulebook.parameters.cctv.national_committee_lapsed_on
}

_since_lapsed(body) if {
	_until_lapse(_powers[body])
	context.as_of >= data.rulebook.parameters.cctv.national_committee_lapsed_on
}

# The later of the letter's date and the province's first amended order on file.
_power_from(_, power) := max([power.from, min(_amended_orders)]) if {
	_from_amended_order(power)
	count(_amended_orders) > 0
}

_power_from(_, power) := power.from if {
	not _from_amended_order(power)
}

_power_from(_, power) := power.from if {
	_from_amended_order(power)
	count(_amended_orders) == 0
}

_until_lapse(power) if power.until_lapse == true

_from_amended_order(power) if power.from_amended_order == true

_amended_orders := [o.order.effective_from |
	some o in object.get(data.rulebook.committee_orders.orders, province.committee_province, [])
	count(composition.missing_amendments_in(o)) == 0
]

findings contains finding.result(
	"R-DATA-3", "fail", _share_field(i, "agreement/approved_on"), "approved_later",
	_agreement_params(i, share),
) if {
	"R-DATA-3" in _in_force
	some i in _private_shares
	share := _sharing[i]
	_has_agreement(share)
	share.agreement.approved_on > context.as_of
}

# R-DATA-4: the police, for law enforcement.
_for_law_enforcement(share) if share.purpose in _params.law_enforcement_purposes

findings contains finding.result("R-DATA-4", "pass", _share_pointer(i), "law_enforcement", _share_params[i]) if {
	"R-DATA-4" in _in_force
	some i, share in _sharing
	share.recipient_type == "police"
	_for_law_enforcement(share)
}

findings contains finding.result(
	"R-DATA-4", "review", _share_field(i, "purpose"), "other_purpose",
	_share_params[i],
) if {
	"R-DATA-4" in _in_force
	some i, share in _sharing
	share.recipient_type == "police"
	not _for_law_enforcement(share)
}

# R-DATA-5: no live feed open to the public. Whether a field is declared is
# a rule of its own: OPA makes "not is_boolean(_cctv.public_live_feed)"
# undefined, not true, when the field is missing.
_declares_feed if is_boolean(_cctv.public_live_feed)

findings contains finding.result("R-DATA-5", "pass", "/cctv/public_live_feed", "closed", {}) if {
	"R-DATA-5" in _in_force
	_cctv.public_live_feed == false
}

findings contains finding.result("R-DATA-5", "fail", "/cctv/public_live_feed", "open_feed", {}) if {
	"R-DATA-5" in _in_force
	_cctv.public_live_feed == true
}

findings contains finding.result("R-DATA-5", "fail", "/cctv/public_live_feed", "undeclared", {}) if {
	"R-DATA-5" in _in_force
	not _declares_feed
}

# R-DATA-6: a system linked to the provincial centre declares its security measures.
# The measures' names are in the terms table, with the other labels.
_measure_names := data.rulebook.terms.security_measures

_missing_measures contains measure if {
	some measure in _params.required_security_measures
	not object.get(_cctv, ["security", measure], false) == true
}

findings contains finding.result("R-DATA-6", "pass", "/cctv/security", "ok", {}) if {
	"R-DATA-6" in _in_force
	_cctv.linked_to_provincial_center == true
	count(_missing_measures) == 0
}

findings contains finding.result("R-DATA-6", "fail", sprintf("/cctv/security/%s", [measure]), "missing_measure", {
	"measure_th": object.get(_measure_names, [measure, "th"], measure),
	"measure_en": object.get(_measure_names, [measure, "en"], measure),
}) if {
	"R-DATA-6" in _in_force
	_cctv.linked_to_provincial_center == true
	some measure in _missing_measures
}

findings contains finding.result("R-DATA-6", "pass", "/cctv/linked_to_provincial_center", "not_linked", {}) if {
	"R-DATA-6" in _in_force
	_cctv.linked_to_provincial_center == false
}

findings contains finding.result("R-DATA-6", "fail", "/cctv/linked_to_provincial_center", "undeclared", {}) if {
	"R-DATA-6" in _in_force
	not _declares_link
}

_declares_link if is_boolean(_cctv.linked_to_provincial_center)

# R-DATA-7: retention within the province's maximum (default 30 days, data).
default max_retention_days := 30

max_retention_days := object.get(
	_params.province_overrides,
	[_province_key, "max_retention_days"],
	_params.province_defaults.max_retention_days,
)

default _province_key := "-"

_province_key := province.committee_province

_retention_params := {"retention_days": _text(_cctv.retention_days), "max_days": _text(max_retention_days)}

findings contains finding.result("R-DATA-7", "pass", "/cctv/retention_days", "ok", _retention_params) if {
	"R-DATA-7" in _in_force
	_has_retention
	_cctv.retention_days <= max_retention_days
}

findings contains finding.result("R-DATA-7", "warn", "/cctv/retention_days", "too_long", _retention_params) if {
	"R-DATA-7" in _in_force
	_has_retention
	_cctv.retention_days > max_retention_days
	not _evidence_hold
}

findings contains finding.result("R-DATA-7", "pass", "/cctv/evidence_hold", "evidence_hold", _retention_params) if {
	"R-DATA-7" in _in_force
	_has_retention
	_cctv.retention_days > max_retention_days
	_evidence_hold
}

# Only an explicit true exempts footage or posts a notice: a missing field does not.
_evidence_hold if _cctv.evidence_hold == true

# R-DATA-8: notice to the people recorded.
_notice_posted if _cctv.notice_posted == true

findings contains finding.result("R-DATA-8", "pass", "/cctv/notice_posted", "posted", {}) if {
	"R-DATA-8" in _in_force
	_notice_posted
}

findings contains finding.result("R-DATA-8", "warn", "/cctv/notice_posted", "missing", {}) if {
	"R-DATA-8" in _in_force
	not _notice_posted
}

# R-DATA-9: biometric analytics name their lawful basis.
_uses_biometrics if _cctv.biometrics.used == true

# Only an explicit false declares that no biometrics are used: a missing
# declaration needs review like a use without a lawful basis.
_declares_no_biometrics if _cctv.biometrics.used == false

# Biometric data are sensitive (s.26): only a basis of s.26 allows them; a
# basis of s.24 alone is for ordinary personal data, so a person must look.
_basis := _terms.lawful_bases[_cctv.biometrics.lawful_basis]

_basis_params := {
	"basis_th": _basis.th,
	"basis_en": _basis.en,
}

_has_sensitive_basis if {
	_uses_biometrics
	_basis.data == "sensitive"
}

_has_personal_basis_only if {
	_uses_biometrics
	_basis.data == "personal"
}

findings contains finding.result("R-DATA-9", "pass", "/cctv/biometrics", "not_used", {}) if {
	"R-DATA-9" in _in_force
	_declares_no_biometrics
}

findings contains finding.result(
	"R-DATA-9", "pass", "/cctv/biometrics/lawful_basis", "lawful_basis",
	_basis_params,
) if {
	"R-DATA-9" in _in_force
	_has_sensitive_basis
}

findings contains finding.result(
	"R-DATA-9", "review", "/cctv/biometrics/lawful_basis", "personal_basis_only",
	_basis_params,
) if {
	"R-DATA-9" in _in_force
	_has_personal_basis_only
}

findings contains finding.result("R-DATA-9", "review", "/cctv/biometrics/lawful_basis", "no_basis", {}) if {
	"R-DATA-9" in _in_force
	not _declares_no_biometrics
	not _has_sensitive_basis
	not _has_personal_basis_only
}
