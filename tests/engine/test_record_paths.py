"""Every profile record knows its ``$.path``: records in lists, records nested in a
record field, lists nested in list items, an index past a list's end. The paths stay
right when a session inserts, retracts and updates list items (later items move up),
and equal those of a fresh evaluation of the same profile."""

from __future__ import annotations

from imgrules._engine import Session

from .helpers import network, profile

PACK = '''
enum Status { planned, received }
record Person { name: str?
  title: str? }
record Note { text: str? }
record Letter { id: str
  status: Status
  writer: Person?
  notes: list[Note]
  weeks: int? }
record Exam { score: int?
  attempts: int? }
record Exams { step1: Exam?
  step2: Exam? }
profile { as_of: date
  application_date: date
  exams: Exams?
  letters: list[Letter] }
rule short "Short" for l in letters when l.weeks < 2 then flag high "{l.id} short"
rule named "Named" for l in letters when l.writer.name == "Dr B" then remind "{l.id} by Dr B"
rule noted "Noted" for l in letters, n in l.notes when n.text == "late" then remind "{l.id} late"
rule step1 "Step 1" when exams.step1.score < 200 then flag high "step 1 low"
rule third "Third" when letters[2].status == received then remind "third received"
'''


def letter(i, **kw):
    return {"id": f"x{i}", "status": "received", **kw}


def state(results) -> dict:
    """What a result says about where things are: each undecided rule's missing paths,
    each finding's matched paths."""
    return {"undecided": sorted((u.rule, u.missing) for u in results.undecided),
            "matched": sorted((f.message, f.provenance.matched) for f in results.findings)}


def test_paths_of_missing_fields_in_nested_records_and_list_items():
    letters = [letter(0, weeks=1, writer={"title": "Dr"}),
               letter(1, notes=[{"text": "late"}, {}]),
               letter(2, weeks=5, writer={"name": "Dr B"})]
    r = Session(network(PACK, header=False)).set_profile(
        profile(letters=letters, exams={"step1": {"attempts": 1}})).run()
    assert state(r) == {
        "undecided": [("named", ("$.letters[0].writer.name",)),
                      ("named", ("$.letters[1].writer",)),
                      ("noted", ("$.letters[1].notes[1].text",)),
                      ("short", ("$.letters[1].weeks",)),
                      ("step1", ("$.exams.step1.score",))],
        "matched": [("third received", ("$.letters",)),
                    ("x0 short", ("$.letters[0]",)),
                    ("x1 late", ("$.letters[1]", "$.letters[1].notes[0]")),
                    ("x2 by Dr B", ("$.letters[2]",))]}


def test_an_index_past_the_end_names_the_missing_item():
    net = network(PACK, header=False)
    r = Session(net).set_profile(profile(letters=[letter(0), letter(1)])).run()
    assert ("third", ("$.letters[2]",)) in state(r)["undecided"]
    s = Session(net).set_profile(profile(letters=[letter(0), letter(1), letter(2)]))
    s.run()
    s.retract("$.letters[0]")
    assert ("third", ("$.letters[2]",)) in state(s.run())["undecided"]


def test_paths_after_inserts_retracts_and_updates_equal_a_fresh_evaluation():
    net = network(PACK, header=False)
    data = [letter(0, weeks=1, writer={"title": "Dr"}),
            letter(1, notes=[{"text": "late"}, {}]),
            letter(2, weeks=5, writer={}, notes=[{}])]
    s = Session(net).set_profile(profile(letters=list(data)))
    s.run()
    steps = [("retract", 0), ("insert", letter(3, writer={"name": "Dr B"}, notes=[{}])),
             ("retract", 1), ("update", 0, letter(4, weeks=0, notes=[{"text": "late"}, {}])),
             ("insert", letter(5)), ("retract", 0), ("retract", 0), ("retract", 0),
             ("insert", letter(6, notes=[{}, {}])), ("insert", letter(7, writer={}))]
    for step in steps:
        if step[0] == "insert":
            assert s.insert("letters", step[1]) == f"$.letters[{len(data)}]"
            data.append(step[1])
        elif step[0] == "retract":
            s.retract(f"$.letters[{step[1]}]")
            del data[step[1]]
        else:
            s.update(f"$.letters[{step[1]}]", step[2])
            data[step[1]] = step[2]
        got = s.run()
        fresh = Session(net).set_profile(profile(letters=list(data))).run()
        assert state(got) == state(fresh), step
        assert got.to_json() == fresh.to_json(), step
    assert state(got)["undecided"] == [
        ("named", ("$.letters[0].writer",)), ("named", ("$.letters[1].writer.name",)),
        ("noted", ("$.letters[0].notes[0].text",)), ("noted", ("$.letters[0].notes[1].text",)),
        ("short", ("$.letters[0].weeks",)), ("short", ("$.letters[1].weeks",)),
        ("step1", ("$.exams",)), ("third", ("$.letters[2]",))]


def test_a_moved_items_nested_records_follow_it():
    """Retracting an item moves the later ones up, and with them the paths of the
    records and lists they hold."""
    net = network(PACK, header=False)
    s = Session(net).set_profile(profile(letters=[
        letter(0), letter(1), letter(2, writer={"title": "Dr"}, notes=[{"text": "late"}, {}])]))
    before = state(s.run())
    assert ("named", ("$.letters[2].writer.name",)) in before["undecided"]
    assert ("x2 late", ("$.letters[2]", "$.letters[2].notes[0]")) in before["matched"]
    s.retract("$.letters[0]")
    after = state(s.run())
    assert ("named", ("$.letters[1].writer.name",)) in after["undecided"]
    assert ("noted", ("$.letters[1].notes[1].text",)) in after["undecided"]
    assert ("x2 late", ("$.letters[1]", "$.letters[1].notes[0]")) in after["matched"]
    s.update("$.exams", {"step1": {}, "step2": {"score": 230}})
    assert ("step1", ("$.exams.step1.score",)) in state(s.run())["undecided"]


def test_nulls_and_unknown_keys_in_flat_records_read_as_absent_and_falsy_values_as_given():
    net = network('rule short "Short" for l in letters when l.weeks < 2 then flag high "{l.id} short"\n'
                  'rule strong "Strong" for l in letters when not l.strong then remind "{l.id} weak"\n')
    given = [{"id": "x0", "status": "received", "weeks": None, "strong": True},
             {"id": "x1", "status": "received", "weeks": 0, "strong": False, "colour": "red"},
             {"id": "", "status": "received", "weeks": 0, "strong": False}]
    clean = [{"id": "x0", "status": "received", "strong": True},
             {"id": "x1", "status": "received", "weeks": 0, "strong": False},
             {"id": "", "status": "received", "weeks": 0, "strong": False}]
    exact = Session(net).set_profile(profile(letters=clean[1:])).run()  # falsy values only
    assert state(exact)["matched"] == [(" short", ("$.letters[1]",)), (" weak", ("$.letters[1]",)),
                                       ("x1 short", ("$.letters[0]",)), ("x1 weak", ("$.letters[0]",))]
    r = Session(net).set_profile(profile(letters=given)).run()
    assert r.to_json() == Session(net).set_profile(profile(letters=clean)).run().to_json()
    assert state(r) == {"undecided": [("short", ("$.letters[0].weeks",))],
                        "matched": [(" short", ("$.letters[2]",)), (" weak", ("$.letters[2]",)),
                                    ("x1 short", ("$.letters[1]",)), ("x1 weak", ("$.letters[1]",))]}


LISTS = '''
record Item { id: str
  themes: list[str]
  tags: list[str]?
  weeks: int? }
profile { as_of: date
  application_date: date
  items: list[Item] }
rule bare "Bare" for x in items when count(x.themes) == 0 then remind "{x.id} bare"
rule tagged "Tagged" for x in items when count(x.tags) > 0 then remind "{x.id} tagged"
rule new "New" for x in items when "new" in x.themes then remind "{x.id} new"
'''


def test_records_with_lists_of_plain_values_short_and_long_lists():
    """A list left out reads as [] (required) or missing (optional), in a short list and
    in a long one alike; the session's lists are its own (changing the data given
    afterwards changes nothing)."""
    net = network(LISTS, header=False)
    for n in (2, 12):
        items = [{"id": "a", "themes": ["x"], "tags": ["t"]}, {"id": "b", "weeks": 0}]
        items += [{"id": f"c{i}", "themes": ["y"], "tags": []} for i in range(n - 2)]
        s = Session(net).set_profile(profile(items=items))
        items[0]["themes"].append("new")  # after loading, before the run
        items[1]["tags"] = ["t"]
        r = s.run()
        assert sorted(f.message for f in r.findings) == ["a tagged", "b bare"], n
        assert sorted((u.rule, u.missing) for u in r.undecided) == [("tagged", ("$.items[1].tags",))], n
        s.insert("items", {"id": "d", "themes": ["new"]})
        r = s.run()
        assert sorted(f.message for f in r.findings) == ["a tagged", "b bare", "d new"], n
        assert {(u.rule, u.missing) for u in r.undecided} == {
            ("tagged", ("$.items[1].tags",)), ("tagged", (f"$.items[{n}].tags",))}, n


def test_missing_fields_of_the_profile_itself_alone_and_with_others():
    # the unknown of a missing field of the profile is shared by every evaluation: its
    # path must be the field's, alone or merged with others, whichever profile came first
    net = network('''
deadline both "Both" by T-2 require score > 0 and name == "A"
deadline one "One" by T-2 require score > 3
rule mixed "Mixed" for l in letters when l.weeks > score then remind "{l.id}"
rule nested "Nested" when exams.step2.score > score then remind "n"
''')
    letters = [{"id": "x0", "status": "planned", "weeks": 1}, {"id": "x1", "status": "planned"}]
    cases = [
        ({}, {"both": ("$.name", "$.score"), "one": ("$.score",)},
         [("mixed", ("$.letters[1].weeks", "$.score")),
          ("mixed", ("$.score",)), ("nested", ("$.exams", "$.score"))]),
        ({"score": 5, "exams": {"step2": {}}}, {"both": ("$.name",), "one": ()},
         [("mixed", ("$.letters[1].weeks",)), ("nested", ("$.exams.step2.score",))]),
        ({"name": "A", "exams": {}}, {"both": ("$.score",), "one": ("$.score",)},
         [("mixed", ("$.letters[1].weeks", "$.score")), ("mixed", ("$.score",)),
          ("nested", ("$.exams.step2", "$.score"))]),
    ]
    for given, missing, undecided in cases + cases[::-1] + cases:
        r = Session.evaluate(net, profile(letters=letters, **given))
        assert {f.rule: f.missing for f in r.findings if f.kind == "milestone"} == missing
        assert sorted((u.rule, u.missing) for u in r.undecided) == undecided


def test_missing_fields_of_a_record_in_a_profile_field_name_its_path():
    """A record held in a field of the profile sits at the same path in every profile:
    its missing fields name ``$.field.name`` in undecided rules and a deadline's
    ``needs_info``, in every session, after an update of that record too."""
    net = network(PACK + 'deadline booked "Book Step 2" by T-5 require exams.step2.score >= 200\n'
                  'rule no_step2 "Step 2" when exams.step2 is missing then needs_info "Step 2?"\n',
                  header=False)
    for exams in ({"step1": {"score": 250}}, {"step2": {}}, {}):
        r = Session(net).set_profile(profile(exams=exams)).run()
        booked = r.finding("booked")
        no_step2 = r.fired("no_step2")
        if "step2" in exams:
            assert booked.missing == ("$.exams.step2.score",) and not no_step2
        else:
            assert booked.missing == ("$.exams.step2",) and no_step2
    s = Session(net).set_profile(profile(exams={"step2": {"score": 180}}))
    assert ("step1", ("$.exams.step1",)) in state(s.run())["undecided"]
    s.update("$.exams", {"step2": {"attempts": 1}})
    r = s.run()
    assert r.finding("booked").missing == ("$.exams.step2.score",)
    assert r.to_json() == Session(net).set_profile(profile(exams={"step2": {"attempts": 1}})).run().to_json()
