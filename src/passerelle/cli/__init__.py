"""The ``passerelle`` command. Commands are thin: they open the node and call services.

Start-up stays fast because nothing is imported before it is needed: the top-level group knows
each command's name, module and one-line help (:data:`CORE_COMMANDS` here, the installed
packages' :data:`passerelle.domains.CLI_COMMANDS`) and imports a command's module only when
that command runs or shows its own help. ``passerelle --help`` imports no command at all.

Errors are mapped once, in :func:`main`: a :class:`~passerelle.errors.PasserelleError` prints
``error: <message>`` on standard error and exits with the error's exit code.

Help is plain text (``TYPER_USE_RICH=0`` unless set otherwise): the rich help formatter costs
more start-up time than everything else ``--help`` needs.
"""

from __future__ import annotations

import os
import sys
from typing import ClassVar

# Plain (click) help: Typer's rich help formatter imports rich and markdown-it, most of the
# start-up time of ``--help``. Set before Typer is imported, which reads it once.
os.environ.setdefault("TYPER_USE_RICH", "0")

import typer

from passerelle.cli.lazy import LazyGroup
from passerelle.domains import CLI_COMMANDS
from passerelle.errors import PasserelleError

#: The node's own commands: name -> ("module:attribute", one-line help).
CORE_COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "passerelle.cli.core:init",
        "Create a node in PASSERELLE_DATA_DIR (database, agency, keys folder).",
    ),
    "serve": (
        "passerelle.cli.core:serve",
        "Run this node's console and API (HTTPS with --tls-cert/--tls-key).",
    ),
    "demo": (
        "passerelle.cli.core:demo",
        "Start a French (port 8001) and a Belgian (port 8002) node with synthetic data.",
    ),
    "user": ("passerelle.cli.core:user_app", "Console users of this node."),
    "token": ("passerelle.cli.core:token_app", "API tokens for machine clients."),
    "audit": ("passerelle.cli.core:audit_app", "The hash-chained audit log."),
    "retention": ("passerelle.cli.core:retention_app", "Retention and masking rules."),
}


class PasserelleGroup(LazyGroup):
    """The top-level group: core commands first, then the installed packages' commands."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {**CORE_COMMANDS, **CLI_COMMANDS}


app = typer.Typer(
    name="passerelle",
    help="Passerelle: a node of the federated cross-border security cooperation platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=PasserelleGroup,
)


@app.callback()
def _root() -> None:
    """Passerelle: a node of the federated cross-border security cooperation platform."""


def main() -> None:
    """Entry point of the ``passerelle`` console script."""
    try:
        app()
    except PasserelleError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
