# The committee-order check (POST /v1/committees/check): the verdict of
# data.ictgate.committee.main.verdict, in the pre-check's shape without a route.
package ictgate.committee.main

import data.ictgate.committee.composition
import data.ictgate.lib.verdicts

verdict := verdicts.assemble(composition.findings, composition.applies, true)
