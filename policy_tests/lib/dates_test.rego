package ictgate.lib.dates_test

import data.ictgate.lib.dates

# The contract's example: a submission of 2025-02-01 falls in FY2568-H1.
test_february_is_first_half if dates.fiscal_half("2025-02-01") == {
	"label": "FY2568-H1",
	"start": "2024-10-01",
	"end": "2025-03-31",
}

test_first_day_of_fiscal_year if dates.fiscal_half("2024-10-01").label == "FY2568-H1"

test_last_day_of_first_half if dates.fiscal_half("2025-03-31").label == "FY2568-H1"

test_first_day_of_second_half if dates.fiscal_half("2025-04-01") == {
	"label": "FY2568-H2",
	"start": "2025-04-01",
	"end": "2025-09-30",
}

test_last_day_of_fiscal_year if dates.fiscal_half("2025-09-30").label == "FY2568-H2"

test_september_is_not_next_year if dates.fiscal_half("2024-09-30").label == "FY2567-H2"
