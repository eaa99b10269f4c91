# The register of committee orders on file (policies/rulebook/committee_orders):
# for a province and a date, the order in force is the one with the latest
# effective_from on or before that date. Orders are reviewed in git like any
# policy change; each must validate against schemas/committee_order.schema.json.

# METADATA
# scope: package
# title: Committee orders on file
# description: >-
#   The register of committee orders (data.rulebook.committee_orders): the
#   order in force for a province on a date. Reports no findings.
package ictgate.committee.on_file

import data.ictgate.lib.context

order_in_force(province) := order if {
	orders := object.get(_orders, province, [])
	dates := [o.order.effective_from | some o in orders; o.order.effective_from <= context.as_of]
	count(dates) > 0
	latest := max(dates)
	some order in orders
	order.order.effective_from == latest
}

# Through a rule, evaluated once per query (a data path in a function body
# is looked up again on every call).
_orders := data.rulebook.committee_orders.orders
