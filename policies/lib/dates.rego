# Thai fiscal years and their halves (RULEBOOK R-AUTH-6, Interpretation):
# a fiscal year runs 1 October to 30 September and is named by the Buddhist
# Era year in which it ends (BE = CE + 543); H1 is October to March, H2 April
# to September.

# METADATA
# scope: package
# title: Thai fiscal years
# description: >-
#   Fiscal years (1 October to 30 September, named by the Buddhist Era year in
#   which they end) and their halves, for the R-AUTH-6 reporting periods.
package ictgate.lib.dates

fiscal_half(date) := {
	"label": sprintf("FY%d-H%d", [fiscal_year_ce + 543, half]),
	"start": _half_start(fiscal_year_ce, half),
	"end": _half_end(fiscal_year_ce, half),
} if {
	year := to_number(substring(date, 0, 4))

	# trim_left: regorus, unlike OPA, refuses to_number("02").
	month := to_number(trim_left(substring(date, 5, 2), "0"))
	fiscal_year_ce := year + _starts_next_fiscal_year(month)
	half := _half_of_month(month)
}

_starts_next_fiscal_year(month) := 1 if month >= 10

_starts_next_fiscal_year(month) := 0 if month < 10

_half_of_month(month) := 1 if month >= 10

_half_of_month(month) := 1 if month <= 3

_half_of_month(month) := 2 if {
	month > 3
	month < 10
}

_half_start(fiscal_year_ce, 1) := sprintf("%d-10-01", [fiscal_year_ce - 1])

_half_start(fiscal_year_ce, 2) := sprintf("%d-04-01", [fiscal_year_ce])

_half_end(fiscal_year_ce, 1) := sprintf("%d-03-31", [fiscal_year_ce])

_half_end(fiscal_year_ce, 2) := sprintf("%d-09-30", [fiscal_year_ce])
