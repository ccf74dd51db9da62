"""Malformed project documents, field by field (:mod:`tests.layers.session.project_mutations`):
every known field of a valid project given a wrong type, null, a huge, negative or non-finite
number, an empty, very long or invalid-unicode text, a bad colour, 10,000 levels of nesting,
duplicate ids or an unknown kind.

Each is either refused with one line ``PATH: field 'layers[0].opacity': …`` naming where it is
(exit 2 on the command line), or opened sensibly (a layer that cannot use its value reported like
a missing one, the other layers open; the project saves and opens again) — never a traceback, an
"internal error", exit 1 or a hang. Through the API as the app and the commands open a project,
and through ``maquette render``."""

from __future__ import annotations

import contextlib
import io
import time
from collections import defaultdict
from pathlib import Path

import pytest

from layers.core.errors import InputError
from layers.session.model import SessionModel
from layers.session.opening import open_paths
from layers.session.project import load_project, save_project
from layers.session.story import Story

from .project_mutations import mutations, small_project, valid_document

#: every mutation, grouped by the field it changes (the whole-document ones under their own name)
CASES: dict[str, list[tuple[str, str]]] = defaultdict(list)
for _name, _text in mutations(valid_document()):
    CASES[_name.split(" = ")[0]].append((_name, _text))
#: mutations whose refusal must name the exact place of the value in the document
NAMED_EXACTLY = ("NaN", "Infinity", "huge integer", "deep nesting", "lone surrogate")


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")  # lone surrogates as JSON escapes


def open_like_the_app(path: Path) -> list[InputError]:
    """Open ``path`` as the app does (layers, then views, story, comments and moments) and as
    ``maquette video --story`` reads its story; returns what was reported (layers skipped, parts
    not read)."""
    session = open_paths([path])
    problems = SessionModel().load(session.project)
    try:
        Story.from_list(session.project.data.get("story"), session.project.timezone)
    except ValueError as exc:  # maquette video --story: exit 2 with this line
        problems.append(InputError(path, str(exc)))
    session.project.views()
    return list(session.report.errors) + problems


def check_one_line(message: str, path: Path) -> None:
    assert message.startswith(f"{path}: ") or message.startswith(f"{path.parent}"), message
    assert "\n" not in message and "Traceback" not in message, message
    assert "please report" not in message, message
    message.encode("utf-8")  # printable: no lone surrogate


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return small_project(tmp_path_factory.mktemp("fuzz"))


def test_the_valid_project_opens_whole(project):
    assert open_like_the_app(project) == []


@pytest.mark.parametrize("field", sorted(CASES))
def test_a_damaged_field_is_refused_naming_it_or_opened_sensibly(project, tmp_path, field):
    for name, text in CASES[field]:
        write(project, text)
        started = time.perf_counter()
        try:
            reported = open_like_the_app(project)
        except InputError as exc:
            message = str(exc)
            check_one_line(message, project)
            if " = " in name:
                top = field.split(".")[0].split("[")[0]
                assert top in message, (name, message)
                if name.endswith(NAMED_EXACTLY):
                    assert f"field '{field}" in message, (name, message)
        else:
            for problem in reported:
                check_one_line(str(problem), project)
            copy = save_project(load_project(project), tmp_path / "copie.maquette.json")
            load_project(copy)  # what opened saves and opens again
        assert time.perf_counter() - started < 10, name


def render(project: Path, out: Path) -> tuple[int, list[str]]:
    from desktop.cli import main

    stderr, stdout = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        code = main(["render", str(project), "--size", "64x48", "-o", str(out)])
    return code, stderr.getvalue().splitlines()


#: a sample of the mutations for the command line (every 9th, and each whole-document one)
CLI_CASES = [case for i, case in enumerate(mutations(valid_document())) if i % 9 == 0 or " = " not in case[0]]


@pytest.mark.parametrize(("name", "text"), CLI_CASES, ids=[name for name, _ in CLI_CASES])
def test_maquette_render_answers_a_damaged_project_in_one_line(project, tmp_path, name, text):
    write(project, text)
    code, lines = render(project, tmp_path / "vue.png")
    assert code in (0, 2), (name, lines)
    assert all(line.startswith("maquette: ") for line in lines), (name, lines)
    if code == 2:
        assert len(lines) == 1 and lines[0].startswith(f"maquette: error: {project}: "), lines
    assert not any("please report" in line for line in lines), lines
