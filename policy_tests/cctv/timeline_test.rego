# Samut Prakan's CCTV timeline (parameters.cctv.timelines["TH-11"]) on the
# dates that change the approving body.
package ictgate.cctv.timeline_test

import data.ictgate.cctv.timeline
import data.ictgate.testlib.builders

_on(date) := builders.cctv_input({"submitted_on": date})

test_an_entry_starts_on_its_date if {
	timeline.start({"from": "2021-09-06"}) == "2021-09-06"
}

test_the_lapse_entry_starts_on_the_lapse_date if {
	timeline.start({"starts_at": "national_committee_lapse"}) == "2023-09-05"
	timeline.start({"starts_at": "national_committee_lapse"}) == "2024-03-18"
		with data.rulebook.parameters.cctv.national_committee_lapsed_on as "2024-03-18"
}

test_before_the_first_entry_there_is_no_segment if {
	proposal := _on("2021-09-05")
	timeline.has_timeline with input as proposal
	not timeline.segment with input as proposal
	not timeline.step_rule with input as proposal
	not timeline.in_gap with input as proposal
}

test_from_spk_2021_the_cctv_data_committee if {
	proposal := _on("2021-09-06")
	timeline.segment == {
		"from": "2021-09-06",
		"body": "provincial_cctv_data_committee",
		"source": "SPK-2021",
	}
		with input as proposal
	timeline.step_rule == "R-CCTV-2" with input as proposal
	timeline.step_key == "step_consent" with input as proposal
}

test_from_the_lapse_the_gap if {
	proposal := _on("2023-09-05")
	timeline.segment == {
		"from": "2023-09-05",
		"starts_at": "national_committee_lapse",
		"body": null,
		"source": "SPK-2024",
	}
		with input as proposal
	timeline.in_gap with input as proposal
	not timeline.step_rule with input as proposal
}

test_the_day_before_the_lapse_is_not_the_gap if {
	not timeline.in_gap with input as _on("2023-08-31")
	timeline.segment.body == "provincial_cctv_data_committee" with input as _on("2023-08-31")
}

test_from_spk_2024_the_authority_rules_decide if {
	proposal := _on("2024-07-17")
	timeline.segment.body == "provincial_committee" with input as proposal
	timeline.step_rule == "R-CCTV-3" with input as proposal
	timeline.step_key == "step" with input as proposal
	not timeline.in_gap with input as proposal
	timeline.in_gap with input as _on("2024-07-16")
}

test_only_cctv_projects_have_a_timeline if {
	proposal := builders.input_for({"agency": {"province": "TH-11"}, "submitted_on": "2022-10-03"})
	not timeline.has_timeline with input as proposal
	not timeline.segment with input as proposal
}

test_provinces_without_letters_have_no_timeline if {
	proposal := builders.cctv_input({"agency": {"province": "TH-30"}, "submitted_on": "2022-10-03"})
	not timeline.has_timeline with input as proposal
	not timeline.step_rule with input as proposal
}
