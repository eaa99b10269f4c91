package ictgate.lib.money_test

import data.ictgate.lib.money

test_groups_millions_with_two_decimals if money.format_thb(5000000.01) == "5,000,000.01"

test_threshold_itself if money.format_thb(5000000) == "5,000,000.00"

test_small_amounts if {
	money.format_thb(1) == "1.00"
	money.format_thb(0.07) == "0.07"
	money.format_thb(999) == "999.00"
}

test_group_boundaries if {
	money.format_thb(1000) == "1,000.00"
	money.format_thb(123456789.5) == "123,456,789.50"
	money.format_thb(100000) == "100,000.00"
}
