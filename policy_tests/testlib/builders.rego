# Small builders that keep the policy tests short. Not a policy: only tests import it.
package ictgate.testlib.builders

# A complete, in-scope computer-system proposal of a PAO in Nakhon Ratchasima.
base_submission := {
	"submitted_on": "2025-02-01",
	"agency": {"name": "องค์การบริหารส่วนจังหวัดนครราชสีมา", "kind": "pao", "province": "TH-30"},
	"project": {
		"title": "ระบบสารสนเทศภูมิศาสตร์",
		"category": "computer_system",
		"budget_thb": 3000000,
		"standard_prices": true,
	},
}

# submission(changes) deep-merges changes into the base proposal.
submission(changes) := object.union(base_submission, changes)

# An input for the engine: {"submission": ...}.
input_for(changes) := {"submission": submission(changes)}

# without(path) removes one field, for the fail-closed cases.
without(path) := {"submission": json.remove(base_submission, [path])}

# summary reduces findings to what a test asserts: rule, outcome and field.
summary(findings) := {[f.rule, f.outcome, f.field] | some f in findings}
