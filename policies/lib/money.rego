# Formats THB amounts the way officers write them: 5,000,000.01

# METADATA
# scope: package
# title: THB amounts
# description: Formats THB amounts the way officers write them (5,000,000.01).
package ictgate.lib.money

format_thb(amount) := sprintf("%s.%02d", [_group_thousands(format_int(whole, 10)), cents % 100]) if {
	cents := round(amount * 100)
	whole := (cents - (cents % 100)) / 100
}

_group_thousands(digits) := concat(",", array.concat([substring(digits, 0, head)], [substring(digits, i, 3) |
	some i in numbers.range(head, count(digits) - 1)
	i < count(digits)
	(i - head) % 3 == 0
])) if {
	head := ((count(digits) - 1) % 3) + 1
}
