"""The commands the README and docs/ show exist as shown: every subcommand and option of
each ``orbitwatch ...`` line in a code block or a code span is one the CLI has."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from orbitwatch.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def shown_commands(text: str) -> Iterator[tuple[int, str]]:
    """(line number, command) for each ``orbitwatch`` command in a fenced or indented
    code block (continued over trailing backslashes) or in a code span."""
    lines = text.splitlines()
    fenced = False
    k = 0
    while k < len(lines):
        line = lines[k]
        number = k + 1
        if line.lstrip().startswith("```"):
            fenced = not fenced
        code = fenced or line.startswith("    ")
        stripped = line.strip().removeprefix("$ ")
        if code and stripped.startswith("orbitwatch "):
            while stripped.endswith("\\") and k + 1 < len(lines):
                k += 1
                stripped = stripped[:-1] + " " + lines[k].strip()
            yield number, stripped
        else:
            for span in re.findall(r"`(orbitwatch [^`]+)`", line):
                yield number, span
        k += 1


def problems(command: str) -> list[str]:
    """What in ``command`` the CLI does not have: an unknown subcommand or option."""
    words = re.sub(r"\s+#.*$", "", command).split()[1:]
    group: click.Command = cli
    path = ["orbitwatch"]
    while isinstance(group, click.Group) and words and re.fullmatch(r"[a-z][a-z-]*", words[0]):
        if words[0] not in group.commands:
            return [f"{' '.join(path)} has no command {words[0]!r}"]
        group = group.commands[words[0]]
        path.append(words.pop(0))
    known = {"-h", "--help"} | {o for p in group.params for o in (*p.opts, *p.secondary_opts)}
    options = (m for w in words for m in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", w))
    return [f"{' '.join(path)} has no option {o}" for o in options if o not in known]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_shown_exists(page: Path) -> None:
    found = [f"{page.name}:{n}: {issue} (in `{c}`)"
             for n, c in shown_commands(page.read_text()) for issue in problems(c)]
    assert not found, "\n".join(found)


def test_the_check_sees_a_wrong_option_and_command() -> None:
    assert problems("orbitwatch screen --days 7 --volume 5") == []
    assert problems("orbitwatch screen --dayz 7") == ["orbitwatch screen has no option --dayz"]
    assert problems("orbitwatch catalog lod FILE") == ["orbitwatch catalog has no command 'lod'"]
    text = "x\n\n    orbitwatch runs list \\\n      --limit 3 --bogus\n`orbitwatch report -x`"
    assert [n for n, _ in shown_commands(text)] == [3, 5]
