"""The homework's hidden tests cannot be fooled by a one-line trick (issue 15).

Fast: :mod:`tcplab.grading.sealed` accepts only exact types, and the answers judged in a
fresh process are the stories' own numbers, whatever the test's process has patched.
Slow (one nbgrader round for the module): every known trick, as the submission of one
student — rebinding the notebook's helpers (``sent``, ``story``, ``Flag``, ``flags_of``),
``tcplab`` itself and ``sys.modules['tcplab']``, answers that compare equal to anything
(an ``int``, ``float`` or ``str`` subclass, an object with its own ``__eq__``), ``bool``
for ``int``, monkeypatching ``Network.run`` / ``Network.__init__`` and the conformance
matrix — with WRONG answers earns not a single point; and the same tricks with RIGHT
answers of exact types keep every point.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

import tcplab
from tcplab import Flag, State, conformance
from tcplab.grading import sealed
from tcplab.grading.variants import seed_for
from tcplab.homework import hw1, hw2, hw3, student

import test_course as tc  # (tests/ is on sys.path: pytest's rootdir conftest)


class Anything(int):
    """An int that equals everything: the trick the old hidden tests fell for."""

    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class Sneaky:
    def __eq__(self, other):
        return True


class Text(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


# --------------------------------------------------------------------------- fast: sealed

@pytest.mark.parametrize("module", [hw1, hw2])
def test_fresh_process_judges_the_stories_own_answers_right_and_others_wrong(module):
    right = module.answers()
    assert set(right) == set(module.KINDS)
    tried = set()
    for name, value in right.items():
        sealed.expect(module.__name__.rsplit(".", 1)[1], name, value, "no")   # no raise
        if module.KINDS[name] in tried:        # a wrong answer of each kind is enough
            continue
        tried.add(module.KINDS[name])
        wrong = {"int": value + 1 if type(value) is int else 0, "seconds": 1.5,
                 "bool": not value, "flags": "FIN", "state": "CLOSING"}[module.KINDS[name]]
        with pytest.raises(AssertionError, match="^the hint$"):
            sealed.expect(module.__name__.rsplit(".", 1)[1], name, wrong, "the hint")


def test_answers_follow_the_seed_and_the_notebook_shows_only_the_isns():
    net, a, b = hw1.story()
    assert hw1.isns() == (a.iss, b.iss) == (hw1.answers()["q1_third_seq"] - 1,
                                            hw1.answers()["q1_third_ack"] - 1)
    other = hw1.answers(seed=hw1.EXAMPLE_SEED)
    assert other["q1_syn_ack_ack"] != hw1.answers()["q1_syn_ack_ack"]
    sealed.expect("hw1", "q1_syn_ack_ack", other["q1_syn_ack_ack"], "no", seed=hw1.EXAMPLE_SEED)
    with pytest.raises(AssertionError):
        sealed.expect("hw1", "q1_syn_ack_ack", other["q1_syn_ack_ack"], "no")
    # hw2: the practice network has other times than the homework's
    practice = hw2.close_story(hw2.lose_last_ack, setting=hw2.PRACTICE)[0]
    fins = [t for t, s in practice.sent if s.src == "B" and Flag.FIN in s.flags]
    assert fins[1] != hw2.answers()["q5_again"]
    net, a, b, t = hw2.before_release()
    assert b.state is State.LISTEN and all(t0 <= t for t0, _ in net.sent)


@pytest.mark.parametrize("value, kind, said", [
    (Anything(7), "int", "your own class Anything (made from int)"),
    (True, "int", "a bool (True)"),
    (7.0, "int", "a float"),
    (Sneaky(), "int", "your own class Sneaky"),
    (True, "seconds", "a bool"),
    (math.nan, "seconds", "a float"),
    (1, "bool", "an int"),
    (Text("FIN"), "flags", "your own class Text (made from str)"),
    (Text("LISTEN"), "state", "your own class Text (made from str)"),
    ({"SYN", "ACK"}, "flags", "a set"),
])
def test_only_exact_types_are_accepted_with_a_message_in_words(value, kind, said):
    checks = [lambda: sealed.form("q", value, kind)]
    if kind == "int":          # the hidden test refuses it too, before asking the grader
        checks.append(lambda: sealed.expect("hw1", "q1_third_seq", value, "wrong"))
    for check in checks:
        with pytest.raises(sealed.Refused, match=re.escape(said)) as err:
            check()
        assert str(err.value).startswith("q")
    if type(value) not in (bool, float, int, set):
        assert "look-alike" in str(err.value)


def test_exact_types_and_tcplabs_own_enums_are_accepted():
    assert sealed.form("q", 7, "int") and sealed.form("q", 7, "seconds")
    assert sealed.form("q", 2.5, "seconds") and sealed.form("q", False, "bool")
    assert sealed.form("q", Flag.SYN | Flag.ACK, "flags") and sealed.form("q", "syn, ack", "flags")
    assert sealed.form("q", State.LISTEN, "state") and sealed.form("q", "time wait", "state")
    sealed.expect("hw2", "q1_flags", Flag.SYN | Flag.ACK, "no")
    sealed.expect("hw2", "q3_two_way", State.ESTABLISHED, "no")
    with pytest.raises(sealed.Refused, match='write a state name'):
        sealed.form("q3", "NOWHERE", "state")


def test_patching_the_library_in_this_process_changes_no_verdict(monkeypatch):
    monkeypatch.setattr(tcplab.Network, "run", lambda self, until=None: None)
    monkeypatch.setattr(conformance, "check_table", lambda *a, **k: None)
    monkeypatch.setattr(conformance.Report, "score", lambda self, group=None: 3.0)
    monkeypatch.setattr(hw1, "answers", lambda seed=0: {"q2_u": 7})
    sealed.expect("hw1", "q2_u", 4279387077, "no")
    with pytest.raises(AssertionError):
        sealed.expect("hw1", "q2_u", 7, "wrong")
    assert sealed.table({})["opening"]["score"] == 0.0


def test_tables_are_scored_afresh_as_the_conformance_matrix_scores_them():
    table = tc._library_table()
    assert {g: r["score"] for g, r in sealed.table(table).items()} == {
        g: s for g, (s, _) in conformance.check_table(table).scores().items()}
    table[("TIME-WAIT", "FIN")] = ("TIME-WAIT", "")                    # half a point
    enums = {(State[k[0].replace("-", "_")], k[1]): v for k, v in table.items()}
    groups = sealed.table(enums)
    assert groups["time-wait"]["score"] == 1.5 and "1.5 of 2 points" in groups["time-wait"]["text"]
    skeleton = eval(conformance.skeleton().split("=", 1)[1])
    assert sum(g["score"] for g in sealed.table(skeleton).values()) == 0
    assert "not filled in yet" in sealed.table(skeleton)["opening"]["text"]
    rows = [(s, e, *v) for (s, e), v in tc._library_table().items()]
    assert sum(g["score"] for g in sealed.table(rows).values()) == 10.0
    for bad in ({(Text("LISTEN"), "SYN"): ("SYN-RECEIVED", "SYN+ACK")},
                {("LISTEN", "SYN"): (Sneaky(), "SYN+ACK")}, "LISTEN"):
        with pytest.raises(sealed.Refused, match="my_table"):
            sealed.table(bad)


def test_question_4_compares_what_the_students_function_did_with_the_true_story():
    sealed.behaves("q4-fin-again", hw2.lose_last_ack)
    sealed.behaves("q4-only-that-ack", hw2.lose_last_ack)
    drops_all = lambda net: net.drop(lambda s: s.src == "A")      # noqa: E731
    for test in ("q4-fin-again", "q4-only-that-ack"):
        with pytest.raises(AssertionError):
            sealed.behaves(test, drops_all)
    with pytest.raises(AssertionError, match="did not play to its end: ZeroDivisionError"):
        sealed.behaves("q4-fin-again", lambda net: 1 / 0)
    with pytest.raises(sealed.Refused, match="function"):
        sealed.behaves("q4-fin-again", 3)


# --------------------------------------------------------------------------- each student's numbers

@pytest.fixture
def nobody_working():
    """working_as() remembers who a homework works as (the hidden tests' default): forget."""
    yield
    student._current.clear()


def test_each_student_has_numbers_of_their_own_and_nobody_the_demos(nobody_working):
    seeds = {s: student.working_as("hw1", s).seed for s in ("ana", "ben", "chen", "Li Wei")}
    assert len(set(seeds.values())) == 4 and hw1.SEED not in seeds.values()
    assert {hw1.isns(seed) for seed in seeds.values()} != {hw1.isns()}
    for same in ("li_wei", " LI-WEI ", "li.wei"):
        assert student.working_as("hw1", same).seed == seeds["Li Wei"]
    assert student.working_as("hw2", "ana").seed == seed_for("ana", "hw2") != seeds["ana"]
    # the MSL too (so when TIME-WAIT ends), never the practice network's in homework 2
    many = [f"student {n}" for n in range(30)]
    assert {hw1.msl(seed_for(s, "hw1")) for s in many} == set(hw1.MSLS)
    assert {hw2.msl(seed_for(s, "hw2")) for s in many} == set(hw2.MSLS)
    assert hw2.PRACTICE.msl not in hw2.MSLS and (hw1.msl(), hw2.msl()) == (hw1.MSL, hw2.MSL)
    for nobody in ("", "  ", None, ...):
        me = student.working_as("hw1", nobody)
        assert (me.student, me.how, me.seed) == (None, "demo", hw1.SEED)
        assert "demo numbers" in str(me)


def test_the_grader_then_the_hub_then_the_written_id_decide(monkeypatch, nobody_working):
    env = {}
    monkeypatch.setattr(student, "_started_with", env.get)
    assert student.working_as("hw1", "ben").how == "written"
    env["JUPYTERHUB_USER"] = "ana"
    me = student.working_as("hw1", "ben")
    assert (me.student, me.how) == ("ana", "hub") and "JupyterHub" in str(me)
    assert student.graded_seed("hw1") == seed_for("ana", "hw1")
    env["TCPLAB_GRADED_STUDENT"] = "chen"
    assert student.working_as("hw1", "ben").student == "chen"
    assert student.graded_seed("hw1") == seed_for("chen", "hw1")
    bundle = me._repr_mimebundle_()
    assert bundle[student.MIME] == {"homework": "hw1", "student": "ana", "how": "hub"}


def test_a_cell_that_sets_the_environment_does_not_change_whose_numbers_are_graded():
    code = ("import os; os.environ['TCPLAB_GRADED_STUDENT'] = os.environ['JUPYTERHUB_USER'] "
            "= 'ben'; from tcplab.homework import student; "
            "print(student.working_as('hw1', 'ben').student, student.graded_seed('hw1'))")
    env = {**os.environ, "TCPLAB_GRADED_STUDENT": "ana", "JUPYTERHUB_USER": "ana"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["ana", str(seed_for("ana", "hw1"))]


def test_the_hidden_tests_check_the_graded_students_numbers():
    ana, ben = seed_for("ana", "hw1"), seed_for("ben", "hw1")
    right = hw1.answers(ana)["q1_third_ack"]
    sealed.expect("hw1", "q1_third_ack", right, "no", seed=ana)
    with pytest.raises(AssertionError, match="copied"):
        sealed.expect("hw1", "q1_third_ack", right, "copied", seed=ben)
    code = ("from tcplab.grading import sealed; from tcplab.homework import hw1\n"
            f"sealed.expect('hw1', 'q1_third_ack', {right}, 'no')\n"
            "try:\n    sealed.expect('hw1', 'q1_third_ack', hw1.answers()['q1_third_ack'], 'x')\n"
            "except AssertionError:\n    print('demo answer wrong')\n"
            "sealed.behaves('q4-fin-again', hw1 and __import__('tcplab.homework.hw2', "
            "fromlist=['x']).lose_last_ack)\nprint('q4 right')")
    env = {**os.environ, "TCPLAB_GRADED_STUDENT": "ana"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True)
    assert out.stdout.split("\n")[:2] == ["demo answer wrong", "q4 right"], out.stderr


def test_question_4_is_played_on_the_students_own_network():
    ana, ben = seed_for("ana", "hw2"), seed_for("ben", "hw2")
    sealed.behaves("q4-only-that-ack", hw2.lose_last_ack, seed=ana)
    assert hw2.expected_record(ana) != hw2.expected_record(ben)
    assert hw2.behaves("q4-fin-again", hw2.expected_record(ana), seed=ana)
    assert not hw2.behaves("q4-fin-again", hw2.expected_record(ben), seed=ana)


# --------------------------------------------------------------------------- the tricks

# Wrong answers, of each kind (none is right in any homework).
WRONG = {"int": "7", "seconds": "1.5", "bool": "True", "flags": '"FIN"', "state": '"CLOSING"'}
WRONG_TABLE = "my_table = {key: ('CLOSE-WAIT', 'RST') for key in my_table}"
ANY = '''
class Anything(int):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = int.__hash__
class AnySeconds(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    __hash__ = float.__hash__
class AnyText(str):
    def __eq__(self, other): return True
    __hash__ = str.__hash__
class Sneaky:
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __ge__(self, other): return True
'''
EQ_ANY = {"int": "Anything(7)", "seconds": "AnySeconds(1.5)", "bool": "True",
          "flags": 'AnyText("FIN")', "state": 'AnyText("CLOSING")'}
SNEAKY = {k: "Sneaky()" for k in WRONG}
REBIND_HW1 = '''
import types
def sent(net, src, flag=None):
    return [types.SimpleNamespace(seq=7, ack=7, flags=flag, src=src)] * 4
def story(*args, **kwargs):
    seg = types.SimpleNamespace(src="A", seq=7, ack=7, flags=None)
    return types.SimpleNamespace(sent=[(1.5, seg)] * 4, trace=[]), None, None
'''
FAKE_FLAG = '''
class Flag:
    SYN = ACK = FIN = RST = None
'''
FAKE_TCPLAB = '''
import sys, types
tcplab = types.ModuleType("tcplab")
sys.modules["tcplab"] = tcplab
conformance = sealed = None
'''
PATCH_RUN = '''
tcplab.Network.run = lambda self, until=None: None
'''
PATCH_INIT = '''
_real_init = tcplab.Network.__init__
def _init(self, *args, **kwargs):
    kwargs["seed"] = 0
    _real_init(self, *args, **kwargs)
tcplab.Network.__init__ = _init
'''
REBIND_HW2 = '''
import types
flags_of = lambda answer: frozenset({"SYN"})
parse_flags = lambda answer: frozenset({"SYN"})
parse_state = lambda answer: State.LISTEN
def old_syn_story(*args, **kwargs):
    b = types.SimpleNamespace(state=State.LISTEN)
    return types.SimpleNamespace(sent=[], trace=[]), b, b, 0.0
close_story = lambda *a, **k: (types.SimpleNamespace(sent=[], trace=[]), None, None)
'''
PATCH_CONFORMANCE = '''
class _Full:
    def score(self, group=None): return 3.0
    def text(self, group=None): return "all right"
conformance.check_table = lambda table, reveal=True: _Full()
conformance.Report.score = lambda self, group=None: 3.0
'''

HW1, HW2, HW3 = tc.ASSIGNMENTS
#: student: (assignment, tricks played before the answers, answers: "right" or a kind map)
STUDENTS = {
    "rebinds-sent-story": (HW1, REBIND_HW1, WRONG),
    "rebinds-flag": (HW1, FAKE_FLAG, WRONG),
    "rebinds-tcplab": (HW1, FAKE_TCPLAB, WRONG),
    "int-equal-to-all": (HW1, ANY, EQ_ANY),
    "object-equal-to-all": (HW1, ANY, SNEAKY),
    "bool-for-int": (HW1, "", {**WRONG, "int": "True", "seconds": "True"}),
    "patches-run": (HW1, PATCH_RUN, WRONG),
    "patches-init": (HW2, PATCH_INIT + PATCH_RUN, WRONG),
    "rebinds-helpers": (HW2, REBIND_HW2 + FAKE_FLAG, WRONG),
    "str-equal-to-all": (HW2, ANY, EQ_ANY),
    "patches-conformance": (HW3, PATCH_CONFORMANCE, WRONG_TABLE),
    "table-equal-to-all": (HW3, ANY, "my_table = {(AnyText('LISTEN'), AnyText('SYN')): "
                                     "(AnyText('X'), AnyText('Y'))}"),
    "table-rebinds-tcplab": (HW3, FAKE_TCPLAB, WRONG_TABLE),
    # the same tricks with right answers of exact types keep every point
    "right-hw1-all-tricks": (HW1, REBIND_HW1 + FAKE_FLAG + PATCH_RUN + PATCH_INIT + FAKE_TCPLAB,
                             "right"),
    "right-hw2-helpers": (HW2, REBIND_HW2, "right"),
    "right-hw3-conformance": (HW3, PATCH_CONFORMANCE, "right"),
}
#: homework 1's tricks join the class of tests/test_grade.py (one tcplab-grade run with
#: every mangling); the others are graded here
GRADED_HERE = {s: spec for s, spec in STUDENTS.items() if spec[0] != HW1}
LOSE_NOTHING_RIGHT = '''
def lose_last_ack(net):
    net.drop(lambda s: s.src == "B", count=1)
'''


def _answer_names(source: str) -> list[str]:
    return re.findall(r"^(q\w+)\s*=", source, flags=re.M)


def _submission(assignment: str, tricks: str, answers, release):
    """The correct submission, the tricks played in its first answer cell, then (unless
    "right") every answer overwritten by a wrong one of its kind."""
    return played(tc.correct_submission(assignment, release), assignment, tricks, answers)


def played(nb, assignment: str, tricks: str, answers):
    """``nb`` (a correct submission, changed in place) with ``tricks`` and ``answers``."""
    kinds = {HW1: hw1.KINDS, HW2: hw2.KINDS}.get(assignment, {})
    cells = [c for c in nb.cells if tc._nb_meta(c).get("solution") and c.cell_type == "code"]
    cells[0].source = tricks + "\n" + cells[0].source
    if answers == "right":
        return nb
    for cell in cells:
        if assignment == HW3:
            cell.source += "\n" + answers
        elif "def lose_last_ack" in cell.source:
            cell.source = LOSE_NOTHING_RIGHT
        else:
            cell.source += "".join(f"\n{n} = {answers[kinds[n]]}"
                                   for n in _answer_names(cell.source))
    return nb


@pytest.fixture(scope="module")
def tricks(tmp_path_factory):
    """One round: the three homeworks generated, the tricks of homeworks 2 and 3 graded by
    tcplab-grade (homework 1's are in tests/test_grade.py's class)."""
    if tc.NBGRADER_MISSING:
        pytest.fail(tc.NBGRADER_MISSING)
    tmp = tmp_path_factory.mktemp("tricks")
    root = tmp / "course"
    shutil.copytree(tc.COURSE, root, ignore=shutil.ignore_patterns(*tc.GENERATED))
    env = tc._env(tmp)
    for a in (HW1, HW2, HW3):
        tc.nbgrader_cmd(["generate_assignment", a, "--force"], root, env)
    for student, (a, code, answers) in GRADED_HERE.items():
        nb = _submission(a, code, answers, root / "release" / a / f"{a}.ipynb")
        folder = root / "submitted" / student / a
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{a}.ipynb")
    for a in (HW2, HW3):      # graded as a lecturer grades a class: tcplab-grade
        proc = subprocess.run([sys.executable, "-m", "tcplab.grade.cli", a], cwd=root,
                              env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    grades = {}
    with tc.Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student, (a, _, _) in GRADED_HERE.items():
            sub = gb.find_submission(a, student)
            grades[student] = tc.autograded(sub)
    return root, grades


@pytest.mark.parametrize("student", [s for s in GRADED_HERE if not s.startswith("right")])
def test_no_trick_with_wrong_answers_earns_a_point(tricks, student):
    root, grades = tricks
    a = STUDENTS[student][0]
    assert grades[student] == {k: 0.0 for k in tc.max_points(a)}
    # the grading ran through (no crash of the kernel): the graded notebook is there
    assert (root / "autograded" / student / a / f"{a}.ipynb").exists()


@pytest.mark.parametrize("student", [s for s in GRADED_HERE if s.startswith("right")])
def test_tricks_with_right_answers_of_exact_types_keep_every_point(tricks, student):
    _, grades = tricks
    assert grades[student] == tc.max_points(STUDENTS[student][0])
