"""The generated profile reference: every field, its meaning and the rules that read it."""

from __future__ import annotations

from pathlib import Path

from imgrules._check import check_pack
from imgrules._loader import load_packs
from imgrules._profile_reference import profile_reference

REPO = Path(__file__).resolve().parents[2]
PACKS = REPO / "rules" / "img"

SMALL = '''pack small

enum Status { planned, done }

record Item {
  x: int  # the x of an item
  status: Status
}

profile {
  a: int  # the a
  b: int? in 0..10
  items: list[Item] size ..5 message "at most five"
  unread: str?
}

fact seen {
  n: int
}

# Whether b is big.
let big_b = b > 1

rule r1 "A is positive"
  when a > 0
  then remind "a"

rule r2 "B is big"
  when big_b
  then remind "b"

rule r3 "Planned items"
  for i in items
  when i.x == 1 and i.status == planned
  then derive seen(n: 1)
'''


def _row(text: str, field: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| `{field}` |"))


def test_a_small_pack_fields_types_meanings_and_readers(tmp_path):
    pack = tmp_path / "small.rules"
    pack.write_text(SMALL)
    text = profile_reference(pack)
    assert _row(text, "a") == "| `a` | `int` (required) | the a | 1: `r1` |"
    assert _row(text, "b") == "| `b` | `int? in 0..10` (optional) |  | 1: `r2` |"  # through the let
    assert _row(text, "items") == "| `items` | `list[Item] size ..5` (empty when left out) |  | 1: `r3` |"
    assert _row(text, "unread") == "| `unread` | `str?` (optional) |  | no rule |"
    assert _row(text, "x") == "| `x` | `int` (required) | the x of an item | 1: `r3` |"
    assert _row(text, "status") == "| `status` | `Status` (required), one of planned, done |  | 1: `r3` |"
    assert "`big_b`\n: `let big_b = b > 1`\n\n  Whether b is big." in text
    assert "| `Status` | `planned`, `done` |" in text
    assert "| `seen` | `n: int` |" in text


def test_every_field_of_the_shipped_profile_is_there_with_its_readers():
    readers = sorted(p for p in PACKS.glob("*.rules") if p.name != "core.rules")
    text = profile_reference(PACKS / "core.rules", readers, link_rules=True)
    core = check_pack(load_packs(PACKS / "core.rules"))
    for field in core.schema.profile.fields:
        assert f"| `{field.name}` |" in text
    for name, record in core.schema.records.items():
        if record.kind == "record":
            assert f"### `{name}`" in text
    for name in core.lets:
        assert f"`{name}`\n: `let {name}" in text
    row = _row(text, "weeks_known")
    assert "how long the writer saw the applicant" in row
    # a rule of img.first_application that reads the field is listed with a catalog link
    assert "{ref}`fa_brief_contact_letter <catalog-img-first-application-fa-brief-contact-letter>`" in row
