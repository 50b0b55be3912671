"""The README documents every command, and the public API is what __all__ says."""

import re

import click

import indexer
from indexer.cli import main

from .conftest import REPO

README = (REPO / "README.md").read_text()


def commands(group: click.Group, prefix: str = "presswatch"):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_every_command_is_in_the_readme_and_has_an_example():
    for name, command in commands(main):
        parent, _, leaf = name.rpartition(" ")
        assert name in README or re.search(rf"{re.escape(parent)} [^`]*\b{leaf}\b", README), name
        assert "Example:" in (command.help or ""), f"{name} has no example in its help"


def test_public_api():
    assert sorted(indexer.__all__) == sorted(
        name for name in dir(indexer) if not name.startswith("_") and name[0].isupper())
    for name in indexer.__all__:
        assert getattr(indexer, name)
