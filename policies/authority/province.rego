# Which province's committee a submission belongs to (R-AUTH-4, R-AUTH-5, R-AUTH-10).
# Shared by the authority rules and the CCTV timeline.

# METADATA
# scope: package
# title: The province whose committee decides
# description: >-
#   The agency's ISO 3166-2:TH province code, Bangkok and Pattaya City by code
#   or agency kind, and the committee province (Chon Buri for Pattaya City).
#   Shared by the authority rules and the CCTV timeline; reports no findings.
# custom:
#   sources: [MOI-MEMO-2010]
package ictgate.authority.province

import data.ictgate.lib.context

_params := data.rulebook.parameters.authority

_agency := object.get(context.submission, "agency", {})

code := _agency.province

is_known if data.rulebook.provinces.provinces[code]

is_bangkok if code == _params.bangkok.province

is_bangkok if _agency.kind == _params.bangkok.agency_kind

is_pattaya if code == _params.pattaya.province

is_pattaya if _agency.kind == _params.pattaya.agency_kind

# The province whose committee decides: Chon Buri for Pattaya City (R-AUTH-5).
committee_province := _params.pattaya.committee_province if is_pattaya

committee_province := code if {
	not is_pattaya
	is_known
}
