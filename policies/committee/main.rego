# The committee-order check (POST /v1/committees/check): the verdict of
# data.ictgate.committee.main.verdict, in the pre-check's shape without a route.

# METADATA
# scope: package
# title: Committee-order check
# description: >-
#   The verdict of the committee-order check (POST /v1/committees/check), in
#   the pre-check's shape without a route.
package ictgate.committee.main

import data.ictgate.committee.composition
import data.ictgate.lib.verdicts

# METADATA
# scope: document
# title: Committee-order verdict
# description: >-
#   The verdict of a committee order at the evaluation date: verdict, as_of,
#   findings and (empty) obligations.
# entrypoint: true
verdict := verdicts.assemble(composition.findings, composition.applies, true)
