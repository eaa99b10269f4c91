# Builds every finding, so that the shape of a finding changes in one place
# (as Regal's result package does). Rule packages report raw results; the
# verdict package explains them with the catalog in data.rulebook.catalog.

# METADATA
# scope: package
# title: Findings
# description: >-
#   Builds raw findings and explains them with the rule catalog: severity,
#   Thai and English messages, and the citation of the source document.
package ictgate.lib.findings

import data.ictgate.lib.thai

# result is the raw finding a rule package reports. params are strings that
# fill the {placeholders} of the catalog's Thai and English templates; a date
# parameter also gets its Thai form, "<name>_th", for the Thai template, when
# the finding is explained (and only where the template shows it).
result(rule_id, outcome, field, message_key, params) := {
	"rule": rule_id,
	"outcome": outcome,
	"field": field,
	"message_key": message_key,
	"params": params,
}

# explain turns a raw result into the finding of docs/contract.md. Every lookup
# has a fallback, so a gap in the catalog can never drop a finding (and with
# it a failure) from the verdict; tests keep the catalog free of such gaps.
explain(raw) := {
	"rule": raw.rule,
	"outcome": raw.outcome,
	"severity": object.get(_severity, raw.outcome, "error"),
	"field": raw.field,
	"message": {lang: strings.replace_n(replacements, template) | some lang, template in templates},
	"citation": object.get(known, "citation", object.get(_citations, raw.rule, _unknown_citation)),
	# Only the parameters the message shows travel with the finding.
	"params": shown,
} if {
	# Built once per finding, inline: function calls and built-ins are what an
	# evaluation spends its time on (docs/performance.md).
	templates := object.get(_rules, [raw.rule, "messages", raw.message_key], _missing_message)

	# What does not depend on the input is known before it (tools/gen_explain.py,
	# data.rulebook.explain): the citation, and which placeholders the wording
	# shows. A parameter the wording does not show is neither formatted,
	# guarded nor replaced, and travels no further.
	known := object.get(_explained, [raw.rule, raw.message_key], _missing_placeholders)

	# The parameters shown, with the Thai form of a date where the Thai
	# wording shows one; a parameter of that name given by the rule wins.
	shown := object.union(
		{name: thai.date(raw.params[date_name]) | some name, date_name in known.dates},
		{name: value | some name, _ in known.shown; value := raw.params[name]},
	)
	replacements := object.union(
		{known.shown[name]: strings.replace_n(_braces, sprintf("%v", [value])) | some name, value in shown},
		{key: strings.replace_n(_braces, sprintf("%v", [_fixed[name]])) |
			some name, key in known.fixed
			_fixed := {"rule": raw.rule, "message_key": raw.message_key}
		},
	)
}

# message renders the Thai and English texts of one case of a rule, as
# explain renders a finding's.
message(rule_id, message_key, params) := explain(result(rule_id, "", "", message_key, params)).message

_missing_message := {
	"th": "ไม่พบข้อความของกฎ {rule} กรณีนี้ในแค็ตตาล็อกกฎ",
	"en": "The rule catalog has no message for {rule}, case {message_key}.",
}

# The placeholders of _missing_message, as tools/gen_explain.py writes them;
# its citation is the rule's own (data.rulebook.explain.citations).
_missing_placeholders := {
	"shown": {"message_key": "{message_key}", "rule": "{rule}"},
	"fixed": {"message_key": "{message_key}", "rule": "{rule}"},
	"dates": {},
}

# A value that a proposal supplied may hold braces; shown as fullwidth braces
# it can never read as a {placeholder}, so every engine renders the same
# message whatever order it replaces placeholders in, and no submitted text
# can rewrite a message.
_braces := {"{": "｛", "}": "｝"}

# citation names the document, clause and date a finding rests on. A rule
# may cite another document for one of its cases (citation_by_message).
citation(rule_id, message_key) := object.get(
	_explained, [rule_id, message_key, "citation"],
	object.get(_citations, rule_id, _unknown_citation),
)

_unknown_reference := {"source": "UNKNOWN", "clause": ""}

# The citation of a rule the catalog does not have.
_unknown_citation := _cited({}, _unknown_reference)

# _cited: the citation of a reference (source and clause) of a catalog rule.
# tools/gen_explain.py writes it for every rule and message in advance
# (data.rulebook.explain); the policy tests hold the two to the same answer.
_cited(rule, reference) := {
	"source": reference.source,
	"clause": reference.clause,
	"date": object.get(document, "date", ""),
	"reference": object.get(document, "reference", ""),
	# The number as the source copy writes it (Thai digits), and, where the
	# copy is unclear or only cited, how it was read (RULEBOOK §1).
	"reference_as_read": object.get(document, "reference_as_read", object.get(document, "reference", "")),
	"reading_note": object.get(document, "reading_note", {"th": "", "en": ""}),
	"title": object.get(document, "title", {"th": "", "en": ""}),
	"interpretation": object.get(rule, "interpretation", false),
} if {
	document := object.get(_documents, reference.source, {})
}

# rank orders findings as the rulebook does (authority, committee, CCTV, data).
rank(rule_id) := object.get(_rules, [rule_id, "order"], 9999)

# The rulebook's data, through rules: a rule is evaluated once per query,
# while each data.rulebook path in a function body is looked up again on
# every call, which costs regorus more than the lookup itself.
_rules := data.rulebook.catalog.rules

_documents := data.rulebook.sources.documents

_severity := data.rulebook.parameters.outcome_severity

_explained := data.rulebook.explain.messages

_citations := data.rulebook.explain.citations
