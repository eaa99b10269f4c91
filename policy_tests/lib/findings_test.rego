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
