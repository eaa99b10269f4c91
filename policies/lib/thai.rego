# Dates and fiscal periods the way Thai official letters write them: Buddhist
# Era years (BE = CE + 543) and Thai month names, full in sentences
# ("17 กรกฎาคม 2567") and abbreviated in tables ("17 ก.ค. 2567"). Thai
# messages show these; English messages keep ISO dates.

# METADATA
# scope: package
# title: Thai dates
# description: >-
#   Formats ISO dates as Thai Buddhist-Era dates with Thai month names, and
#   fiscal-year halves in Thai fiscal-year wording, for the Thai messages.
package ictgate.lib.thai

import data.ictgate.lib.context

_months := [
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]

_months_short := [
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]

# date("2024-07-17") is "17 กรกฎาคม 2567"; a value that is not an ISO date is
# shown as given, so a message never loses what the proposal wrote.
date(iso) := _formatted(iso, _months)

# date_short("2024-07-17") is "17 ก.ค. 2567", for tables and periods.
date_short(iso) := _formatted(iso, _months_short)

_formatted(iso, names) := sprintf("%d %s %d", [day, names[month - 1], year + 543]) if {
	context.is_date(iso)
	year := to_number(substring(iso, 0, 4))

	# trim_left: regorus, unlike OPA, refuses to_number("07").
	month := to_number(trim_left(substring(iso, 5, 2), "0"))
	day := to_number(trim_left(substring(iso, 8, 2), "0"))
} else := sprintf("%v", [iso])

# fiscal_half(half) words a half of lib/dates.fiscal_half:
# "ปีงบประมาณ พ.ศ. 2568 รอบที่ 1 (1 ต.ค. 2567 – 31 มี.ค. 2568)".
fiscal_half(half) := sprintf("ปีงบประมาณ พ.ศ. %s รอบที่ %s (%s – %s)", [
	substring(half.label, 2, 4),
	substring(half.label, 8, 1),
	date_short(half.start),
	date_short(half.end),
])

# The parameters that hold dates. A Thai template shows one as "{<name>_th}", and
# lib/findings.explain fills it with the Thai date; tools/gen_explain.py reads this
# set to find those placeholders (data.rulebook.explain).
date_params := {
	"as_of", "from", "lapsed_on", "window_from", "next_from", "effective_from",
	"signed_on", "approved_on", "meeting_date", "precheck_date",
}

# labels(table, codes) lists the Thai labels of codes of a terms table
# (policies/rulebook/terms), in the order given.
labels(table, codes) := concat(", ", [object.get(_terms, [table, code, "th"], code) | some code in codes])

# Through a rule: a data.rulebook path in a function body is looked up again on every call.
_terms := data.rulebook.terms
