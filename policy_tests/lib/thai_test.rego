package ictgate.lib.thai_test

import data.ictgate.lib.dates
import data.ictgate.lib.thai

# The issue's example: SPK-2024 took effect on 17 July 2024, BE 2567.
test_full_date_in_sentences if thai.date("2024-07-17") == "17 กรกฎาคม 2567"

test_abbreviated_date_in_tables if thai.date_short("2024-07-17") == "17 ก.ค. 2567"

# Leading zeros go: "1 ตุลาคม", not "01 ตุลาคม".
test_first_of_october if thai.date("2024-10-01") == "1 ตุลาคม 2567"

_months := ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]

_short_names := [
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]

test_every_month_has_its_name if {
	every i, m in _months {
		thai.date_short(sprintf("2025-%s-15", [m])) == sprintf("15 %s 2568", [_short_names[i]])
	}
}

# A value that is not a date is shown as given, never dropped.
test_not_a_date_is_shown_as_given if thai.date("-") == "-"

test_fiscal_half_in_thai_wording if {
	thai.fiscal_half(dates.fiscal_half("2025-02-01")) == "ปีงบประมาณ พ.ศ. 2568 รอบที่ 1 (1 ต.ค. 2567 – 31 มี.ค. 2568)"
}

test_second_fiscal_half_in_thai_wording if {
	thai.fiscal_half(dates.fiscal_half("2025-04-01")) == "ปีงบประมาณ พ.ศ. 2568 รอบที่ 2 (1 เม.ย. 2568 – 30 ก.ย. 2568)"
}

test_labels_of_codes if {
	thai.labels("recording_purposes", ["traffic", "crime_prevention"]) == "การจราจร, การป้องกันอาชญากรรม"
}
