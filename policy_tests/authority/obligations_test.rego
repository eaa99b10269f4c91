package ictgate.authority.obligations_test

import data.ictgate.authority.obligations
import data.ictgate.testlib.builders

test_provincial_approval_must_be_reported_in_its_fiscal_half if {
	obligations.obligations == {{
		"rule": "R-AUTH-6",
		"message": {
			"th": concat("", [
				"เมื่อคณะกรรมการระดับจังหวัดอนุมัติแล้ว จังหวัดต้องรายงานผลการอนุมัติต่อ",
				"คณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย ในรายงานรอบหกเดือน ",
				"ปีงบประมาณ พ.ศ. 2568 รอบที่ 1 (1 ต.ค. 2567 – 31 มี.ค. 2568) ",
				"(การแบ่งรอบตามปีงบประมาณเป็นการตีความของระบบ)",
			]),
			"en": concat("", [
				"Once the provincial committee approves, the province must report the approval to the ",
				"MOI computer-system management committee in the six-monthly report for FY2568-H1 ",
				"(2024-10-01 to 2025-03-31; fiscal half-years are an interpretation).",
			]),
		},
		"period": "FY2568-H1",
		"period_start": "2024-10-01",
		"period_end": "2025-03-31",
		"report_to": "moi_committee",
	}}
		with input as builders.base_input
}

test_second_half_of_the_fiscal_year if {
	{o.period | some o in obligations.obligations} == {"FY2568-H2"}
		with input as builders.input_for({"submitted_on": "2025-04-01"})
}

test_period_follows_the_caller_as_of if {
	{o.period | some o in obligations.obligations} == {"FY2559-H1"}
		with input as object.union(builders.base_input, {"as_of": "2015-10-01"})
}

test_moi_committee_approval_has_no_six_monthly_obligation if {
	proposal := builders.input_for({"project": {"budget_thb": 6000000}})
	count(obligations.obligations) == 0 with input as proposal
	count(obligations.findings) == 0 with input as proposal
}

test_obligation_is_also_an_explained_finding if {
	builders.summary(obligations.findings) == {["R-AUTH-6", "pass", ""]} with input as builders.base_input
}
