"""The strata pass: positive and negative reads of fact types, cycles, stratum numbers."""

from __future__ import annotations

from .helpers import diags, PRELUDE, check_text, codes

FACTS = PRELUDE + """
fact diagnosis { code: Level }
fact note { component: Component }
"""


def test_strata_follow_negative_reads(tmp_path):
    checked = check_text(tmp_path, FACTS + """
rule a "A"
  when graduation_year < 2020
  then derive tier(component: yog, level: concerning)
rule b "B"
  for t in tier
  then derive note(t.component)
rule c "C"
  when count(tier where level == concerning) > 1
  then derive diagnosis(concerning)
rule d "D"
  when exists(diagnosis) and exists(note)
  then recommend "x"
""")
    assert codes(checked) == []
    strata = {e.id: e.stratum for e in checked.rules}
    assert strata == {"a": 0, "b": 0, "c": 1, "d": 2}
    assert [e.id for e in checked.rules] == ["a", "b", "c", "d"]


def test_positive_cycle_is_fine(tmp_path):
    checked = check_text(tmp_path, FACTS + """
rule a "A"
  for n in note
  then derive tier(component: n.component, level: borderline)
rule b "B"
  for t in tier
  then derive note(t.component)
""")
    assert codes(checked) == []
    assert {e.stratum for e in checked.rules} == {0}


def test_cycle_through_negation_names_the_cycle(tmp_path):
    checked = check_text(tmp_path, FACTS + """
rule a "A"
  when not exists(note)
  then derive tier(component: yog, level: borderline)
rule b "B"
  for t in tier
  then derive note(t.component)
""")
    assert codes(checked) == ["E301"]
    [diag] = diags(checked)
    assert diag.message == ("cycle through negation: b derives note, used under exists by a, "
                            "which derives tier, used by b")


def test_negative_read_through_a_let_counts(tmp_path):
    checked = check_text(tmp_path, FACTS + """
let weak = tier where level == concerning
rule a "A"
  for w in weak
  then derive tier(component: w.component, level: borderline)
""")
    assert codes(checked) == ["E301"]
    assert "a derives tier, used under where by a" in diags(checked)[0].message
