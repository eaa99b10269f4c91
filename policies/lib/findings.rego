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
# parameter also gets its Thai form, "<name>_th", for the Thai template.
result(rule_id, outcome, field, message_key, params) := {
	"rule": rule_id,
	"outcome": outcome,
	"field": field,
	"message_key": message_key,
	"params": thai.with_dates(params),
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
	"citation": _cited(rule, reference),
	# Only the parameters the message shows travel with the finding.
	"params": {name: raw.params[name] | some name, _ in shown},
} if {
	# Built once per finding, inline: function calls and built-ins are what an
	# evaluation spends its time on (docs/performance.md), and these run for every parameter.
	rule := object.get(_rules, raw.rule, {})
	templates := object.get(rule, ["messages", raw.message_key], _missing_message)
	wording := concat("\n", [templates.th, templates.en])
	reference := object.get(rule, ["citation_by_message", raw.message_key], object.get(
		rule, "citation",
		_unknown_reference,
	))

	all_params := object.union(raw.params, {"rule": raw.rule, "message_key": raw.message_key})

	# The placeholders the wording shows, by parameter name. A parameter the
	# wording does not show is neither guarded nor replaced: replacing it
	# would change nothing, and the fewer built-ins the faster.
	shown := {name: key |
		some name, _ in all_params
		key := sprintf("{%s}", [name])
		contains(wording, key)
	}
	replacements := {key: strings.replace_n(_braces, sprintf("%v", [all_params[name]])) | some name, key in shown}
}

# message renders the Thai and English texts of one case of a rule.
message(rule_id, message_key, params) := {lang: render(template, object.union(thai.with_dates(params), _case)) |
	some lang, template in object.get(_rules, [rule_id, "messages", message_key], _missing_message)
	_case := {"rule": rule_id, "message_key": message_key}
}

_missing_message := {
	"th": "ไม่พบข้อความของกฎ {rule} กรณีนี้ในแค็ตตาล็อกกฎ",
	"en": "The rule catalog has no message for {rule}, case {message_key}.",
}

render(template, params) := strings.replace_n(
	{sprintf("{%s}", [name]): _guarded(value) |
		some name, value in params
	},
	template,
)

# A value that a proposal supplied may hold braces; shown as fullwidth braces
# it can never read as a {placeholder}, so every engine renders the same
# message whatever order it replaces placeholders in, and no submitted text
# can rewrite a message.
_guarded(value) := strings.replace_n(_braces, sprintf("%v", [value]))

_braces := {"{": "｛", "}": "｝"}

# citation names the document, clause and date a finding rests on. A rule
# may cite another document for one of its cases (citation_by_message).
citation(rule_id, message_key) := _cited(rule, reference) if {
	rule := object.get(_rules, rule_id, {})
	reference := object.get(rule, ["citation_by_message", message_key], object.get(
		rule, "citation",
		_unknown_reference,
	))
}

_unknown_reference := {"source": "UNKNOWN", "clause": ""}

# _cited: the citation of a reference (source and clause) of a catalog rule.
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
