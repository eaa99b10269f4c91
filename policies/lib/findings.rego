# Builds every finding, so that the shape of a finding changes in one place
# (as Regal's result package does). Rule packages report raw results; the
# verdict package explains them with the catalog in data.rulebook.catalog.
package ictgate.lib.findings

# result is the raw finding a rule package reports. params are strings that
# fill the {placeholders} of the catalog's Thai and English templates.
result(rule_id, outcome, field, message_key, params) := {
	"rule": rule_id,
	"outcome": outcome,
	"field": field,
	"message_key": message_key,
	"params": params,
}

# explain turns a raw result into the finding of CONTRACT.md. Every lookup
# has a fallback, so a gap in the catalog can never drop a finding (and with
# it a failure) from the verdict; tests keep the catalog free of such gaps.
explain(raw) := {
	"rule": raw.rule,
	"outcome": raw.outcome,
	"severity": object.get(data.rulebook.parameters.outcome_severity, raw.outcome, "error"),
	"field": raw.field,
	"message": message(raw.rule, raw.message_key, raw.params),
	"citation": citation(raw.rule, raw.message_key),
	"params": _used_params(raw),
}

# Only the parameters the message shows travel with the finding.
_used_params(raw) := {name: value |
	some name, value in raw.params
	some template in object.get(_rules, [raw.rule, "messages", raw.message_key], {})
	contains(template, sprintf("{%s}", [name]))
}

message(rule_id, message_key, params) := {lang: render(template, object.union(params, _case)) |
	some lang, template in object.get(_rules, [rule_id, "messages", message_key], _missing_message)
	_case := {"rule": rule_id, "message_key": message_key}
}

_missing_message := {
	"th": "ไม่พบข้อความของกฎ {rule} กรณี {message_key} ในแค็ตตาล็อกกฎ",
	"en": "The rule catalog has no message for {rule}, case {message_key}.",
}

render(template, params) := strings.replace_n({sprintf("{%s}", [name]): sprintf("%v", [value]) |
	some name, value in params
}, template)

# citation names the document, clause and date a finding rests on. A rule
# may cite another document for one of its cases (citation_by_message).
citation(rule_id, message_key) := {
	"source": reference.source,
	"clause": reference.clause,
	"date": object.get(document, "date", ""),
	"reference": object.get(document, "reference", ""),
	"title": object.get(document, "title", {"th": "", "en": ""}),
	"interpretation": object.get(_rules, [rule_id, "interpretation"], false),
} if {
	reference := _citation_reference(rule_id, message_key)
	document := object.get(data.rulebook.sources.documents, reference.source, {})
}

_citation_reference(rule_id, message_key) := object.get(
	_rules,
	[rule_id, "citation_by_message", message_key],
	object.get(_rules, [rule_id, "citation"], {"source": "UNKNOWN", "clause": ""}),
)

# rank orders findings as the rulebook does (authority, committee, CCTV, data).
rank(rule_id) := object.get(_rules, [rule_id, "order"], 9999)

_rules := data.rulebook.catalog.rules
