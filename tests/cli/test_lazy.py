"""Start-up: ``passerelle`` imports a command's module only when that command is used."""

from __future__ import annotations

import subprocess
import sys

import typer

from passerelle import domains
from passerelle.cli import CORE_COMMANDS, app
from passerelle.cli.lazy import load_command


def _imported_after(*args: str) -> set[str]:
    code = (
        "import sys\n"
        "from passerelle.cli import app\n"
        "try:\n"
        f"    app({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(done.stdout.split())


def test_help_lists_every_command_without_importing_any() -> None:
    modules = _imported_after("--help")
    heavy = {"sqlalchemy", "fastapi", "passerelle.node", "passerelle.identity", "duckdb"}
    assert not heavy & modules
    assert not {m for m in modules if m.startswith("passerelle.") and m.endswith(".cli")} - {
        "passerelle.cli"
    }
    assert "passerelle.cli.core" not in modules


def test_screen_imports_the_identity_engine_but_not_the_node() -> None:
    modules = _imported_after("screen", "--help")
    assert "passerelle.bulk.screen" in modules
    assert not {"sqlalchemy", "fastapi", "passerelle.node", "passerelle.federation"} & modules


def test_the_lazy_table_gives_each_command_its_own_help() -> None:
    for name, (target, short_help) in {**CORE_COMMANDS, **domains.CLI_COMMANDS}.items():
        command = load_command(name, target)
        assert (command.help or "").strip().splitlines()[0] == short_help, name


def test_the_lazy_table_has_what_the_packages_register() -> None:
    registered = typer.Typer()
    for register in domains.cli_registrars():
        register(registered)
    group = typer.main.get_group(registered)
    assert set(group.commands) == set(domains.CLI_COMMANDS)
    top = typer.main.get_command(app)
    assert set(top.commands) == set(CORE_COMMANDS) | set(domains.CLI_COMMANDS)  # type: ignore[attr-defined]


def test_the_node_commands_help_imports_neither_the_node_nor_rich() -> None:
    for args in (("demo", "--help"), ("user", "add", "--help"), ("retention", "--help")):
        modules = _imported_after(*args)
        assert "passerelle.cli.core" in modules
        heavy = {"sqlalchemy", "fastapi", "passerelle.node", "passerelle.privacy", "rich"}
        assert not heavy & modules, (args, heavy & modules)


def test_the_role_help_names_the_human_roles() -> None:
    from passerelle.cli import core
    from passerelle.privacy import HUMAN_ROLES

    assert ", ".join(HUMAN_ROLES) == core.HUMAN_ROLES_HELP


_EVERY_HELP = """
import sys
import click
from passerelle.cli import app
from passerelle.cli.lazy import load_command
from passerelle.domains import CLI_COMMANDS

name = sys.argv[1]
command = load_command(name, CLI_COMMANDS[name][0])
subcommands = list(command.commands) if isinstance(command, click.Group) else []
for args in ([name, "--help"], *([name, sub, "--help"] for sub in subcommands)):
    try:
        app(args)
    except SystemExit:
        pass
print("\\n".join(sys.modules))
"""


def test_every_package_command_help_imports_neither_the_web_nor_the_database() -> None:
    # Issue #17: ``--help`` of every command group and subcommand starts in well under 0.5 s;
    # FastAPI, SQLAlchemy and the node (~3-4 s of imports) are what made it slow.
    heavy = {"sqlalchemy", "fastapi", "passerelle.node", "passerelle.storage", "duckdb"}
    for name in domains.CLI_COMMANDS:
        done = subprocess.run(
            [sys.executable, "-c", _EVERY_HELP, name],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        modules = set(done.stdout.split())
        assert f"{domains.CLI_COMMANDS[name][0].partition(':')[0]}" in modules, name
        assert not heavy & modules, (name, heavy & modules)
