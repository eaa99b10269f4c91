package ictgate.committee.on_file_test

import data.ictgate.committee.on_file

_at(date) := {"as_of": date}

_number(province, date) := number if {
	order := on_file.order_in_force(province) with input as _at(date)
	number := order.order.number
}

# Samut Prakan has a 2010 order and its 2024 amendment on file.
test_the_2010_order_until_the_amendment_takes_effect if {
	_number("TH-11", "2010-03-15") == "1020/2553"
	_number("TH-11", "2024-06-30") == "1020/2553"
}

test_the_amended_order_from_its_effective_date if {
	_number("TH-11", "2024-07-01") == "2871/2567"
	_number("TH-11", "2030-01-01") == "2871/2567"
}

test_no_order_before_the_first_one_takes_effect if {
	not on_file.order_in_force("TH-11") with input as _at("2010-03-14")
}

test_no_order_for_a_province_without_one_on_file if {
	not on_file.order_in_force("TH-50") with input as _at("2025-02-01")
}

test_no_order_without_a_date if {
	not on_file.order_in_force("TH-30") with input as {}
}

test_the_whole_order_is_returned if {
	order := on_file.order_in_force("TH-30") with input as _at("2025-02-01")
	order.province == "TH-30"
	order.order.effective_from == "2010-03-01"
	count(order.members) == 10
}

test_the_register_is_data if {
	orders := {"TH-50": [
		{"province": "TH-50", "order": {"number": "1/2560", "effective_from": "2017-01-01"}},
		{"province": "TH-50", "order": {"number": "2/2565", "effective_from": "2022-01-01"}},
	]}
	_number("TH-50", "2021-12-31") == "1/2560" with data.rulebook.committee_orders.orders as orders
	_number("TH-50", "2022-01-01") == "2/2565" with data.rulebook.committee_orders.orders as orders
}
