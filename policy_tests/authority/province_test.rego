package ictgate.authority.province_test

import data.ictgate.authority.province
import data.ictgate.testlib.builders

_agency(agency) := {"submission": {"agency": agency}}

test_code_is_the_agency_province if {
	province.code == "TH-30" with input as builders.base_input
	not province.code with input as builders.without("agency/province")
}

test_known_and_unknown_codes if {
	province.is_known with input as _agency({"province": "TH-11"})
	province.is_known with input as _agency({"province": "TH-S"})
	not province.is_known with input as _agency({"province": "TH-99"})
	not province.is_known with input as _agency({"kind": "pao"})
	not province.is_known with input as {}
}

# R-AUTH-4: Bangkok by its code or by the agency kind.
test_bangkok_by_code_or_by_kind if {
	province.is_bangkok with input as _agency({"province": "TH-10", "kind": "moi_provincial_agency"})
	province.is_bangkok with input as _agency({"province": "TH-11", "kind": "bma"})
	not province.is_bangkok with input as _agency({"province": "TH-11", "kind": "pao"})
}

# R-AUTH-5: Pattaya City by its code or by the agency kind.
test_pattaya_by_code_or_by_kind if {
	province.is_pattaya with input as _agency({"province": "TH-S", "kind": "sao"})
	province.is_pattaya with input as _agency({"province": "TH-20", "kind": "pattaya_city"})
	not province.is_pattaya with input as _agency({"province": "TH-20", "kind": "sao"})
}

test_pattaya_goes_to_the_chon_buri_committee if {
	province.committee_province == "TH-20" with input as _agency({"province": "TH-S", "kind": "pattaya_city"})
	province.committee_province == "TH-20" with input as _agency({"province": "TH-S"})
}

test_other_known_province_is_its_own_committee if {
	province.committee_province == "TH-11" with input as _agency({"province": "TH-11", "kind": "pao"})
	province.committee_province == "TH-20" with input as _agency({"province": "TH-20", "kind": "sao"})
}

test_unknown_or_missing_province_has_no_committee if {
	not province.committee_province with input as _agency({"province": "TH-99", "kind": "pao"})
	not province.committee_province with input as _agency({"kind": "pao"})
	not province.committee_province with input as {"submission": {}}
}

test_pattaya_city_without_a_code_still_goes_to_chon_buri if {
	province.committee_province == "TH-20" with input as _agency({"kind": "pattaya_city"})
}

test_the_codes_are_data if {
	province.committee_province == "TH-30" with input as _agency({"province": "TH-S"})
		with data.rulebook.parameters.authority.pattaya.committee_province as "TH-30"
}
