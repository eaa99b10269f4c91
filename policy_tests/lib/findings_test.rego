# The catalog is data an auditor reads: these tests keep it complete, so that
# no finding can ever show the fallback message or an unknown citation.
package ictgate.lib.findings_test

import data.ictgate.lib.findings

_rules := data.rulebook.catalog.rules

test_every_rule_has_thai_and_english_titles if {
	every _, rule in _rules {
		count(trim_space(rule.title.th)) > 0
		count(trim_space(rule.title.en)) > 0
	}
}

test_every_message_has_thai_and_english if {
	every _, rule in _rules {
		count(rule.messages) > 0
		every _, template in rule.messages {
			count(trim_space(template.th)) > 0
			count(trim_space(template.en)) > 0
		}
	}
}

test_every_citation_names_a_known_document if {
	every _, rule in _rules {
		data.rulebook.sources.documents[rule.citation.source]
		every _, reference in object.get(rule, "citation_by_message", {}) {
			data.rulebook.sources.documents[reference.source]
		}
	}
}

test_every_rule_has_a_severity_and_a_start_date if {
	every _, rule in _rules {
		rule.severity in {"error", "warning"}
		regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, rule.in_force.from)
	}
}

test_explain_fills_the_templates if {
	finding := findings.explain(findings.result("R-AUTH-5", "pass", "/agency/province", "pattaya", {
		"province": "TH-20",
		"province_th": "ชลบุรี",
		"province_en": "Chon Buri",
	}))
	finding.message.en == "Pattaya City is under the provincial committee of Chon Buri (TH-20)."
	finding.severity == "info"
	finding.citation.source == "MOI-MEMO-2010"
	finding.citation.date == "2010-02-02"
}

test_explain_keeps_a_finding_whose_message_is_missing if {
	finding := findings.explain(findings.result("R-AUTH-1", "fail", "/x", "no_such_case", {}))
	finding.outcome == "fail"
	finding.severity == "error"
	contains(finding.message.en, "no message")
}

test_explain_keeps_a_finding_of_an_unknown_rule if {
	finding := findings.explain(findings.result("R-XXX-1", "fail", "/x", "any", {}))
	finding.outcome == "fail"
	finding.citation.source == "UNKNOWN"
}

# RULEBOOK §1: a citation carries the number as the source copy writes it,
# and says how it was read where the copy is unclear.
test_a_citation_carries_the_number_as_read_and_its_reading_note if {
	citation := findings.citation("R-COMP-10", "undeclared")
	citation.source == "MOI-2024"
	citation.reference_as_read == "มท ๐๒๑๐.๕/ว ๕๔๕๓๓"
	startswith(citation.reading_note.th, "อ่านจากสำเนาต้นฉบับ")
	startswith(citation.reading_note.en, "as read from the source copy")
}

# A clear copy needs no note; a document without its own number shows the reference.
test_a_clear_copy_has_an_empty_reading_note if {
	citation := findings.citation("R-AUTH-1", "routed")
	citation.reference_as_read == "มท 0210.5 / 231"
	citation.reading_note == {"th": "", "en": ""}
}

# data.rulebook.explain is written in advance by tools/gen_explain.py: its
# citations are the ones _cited makes from the catalog and the sources.
test_precomputed_citations_are_the_catalogs if {
	every rule_id, rule in _rules {
		every message_key, _ in rule.messages {
			reference := object.get(rule, ["citation_by_message", message_key], rule.citation)
			data.rulebook.explain.messages[rule_id][message_key].citation == findings._cited(rule, reference)
			findings.citation(rule_id, message_key) == findings._cited(rule, reference)
		}
		data.rulebook.explain.citations[rule_id] == findings._cited(rule, rule.citation)
	}
}

# ... and it lists a placeholder for every message of the catalog.
test_every_message_has_its_placeholders if {
	every rule_id, rule in _rules {
		every message_key, template in rule.messages {
			known := data.rulebook.explain.messages[rule_id][message_key]
			every name, placeholder in known.shown {
				placeholder == concat("", ["{", name, "}"])
				contains(concat("\n", [template.th, template.en]), placeholder)
			}
		}
	}
}

test_a_missing_message_names_the_rule_and_the_case if {
	finding := findings.explain(findings.result("R-AUTH-1", "fail", "/x", "no_such_case", {"rule": "R-X"}))
	finding.message.en == "The rule catalog has no message for R-AUTH-1, case no_such_case."
	finding.params == {"rule": "R-X"}
	finding.citation == findings.citation("R-AUTH-1", "routed")
}

test_an_unknown_rule_cites_an_unknown_document if {
	finding := findings.explain(findings.result("R-XXX-1", "fail", "/x", "any", {}))
	finding.citation == {
		"source": "UNKNOWN", "clause": "", "date": "", "reference": "", "reference_as_read": "",
		"reading_note": {"th": "", "en": ""}, "title": {"th": "", "en": ""}, "interpretation": false,
	}
}

# A date parameter gets its Thai form where the Thai wording shows it; one the
# rule gives itself wins, and parameters the wording does not show are dropped.
test_a_shown_date_gets_its_thai_form if {
	some message_key, known in data.rulebook.explain.messages["R-AUTH-8"]
	known.dates.as_of_th == "as_of"
	dates := {"as_of": "2025-02-01", "not_shown": "x"}
	finding := findings.explain(findings.result("R-AUTH-8", "pass", "", message_key, dates))
	finding.params.as_of_th == "1 กุมภาพันธ์ 2568"
	not finding.params.not_shown
	given_th := {"as_of": "2025-02-01", "as_of_th": "given"}
	given := findings.explain(findings.result("R-AUTH-8", "pass", "", message_key, given_th))
	given.params.as_of_th == "given"
}
