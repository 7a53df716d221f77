"""A click group whose commands are imported only when used (fast ``--help`` and start-up)."""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping
from typing import Any, ClassVar

import typer
from typer import _click as click
from typer.core import TyperCommand, TyperGroup, TyperOption


def load_command(name: str, target: str) -> click.Command:
    """The click command of ``module:attribute``: a Typer sub-app or a command function."""
    module, _, attribute = target.partition(":")
    obj = getattr(importlib.import_module(module), attribute)
    if isinstance(obj, typer.Typer):
        command: click.Command = typer.main.get_group(obj)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(obj)
        command = typer.main.get_command(single)
    command.name = name
    _bool_help_flags(command)
    return command


def _bool_help_flags(command: click.Command) -> None:
    """Give the ``--help`` flag of ``command`` and its sub-commands a ``False`` default.

    Typer 0.29 coerces a flag's value through a pydantic adapter unless it is a bool already;
    an absent ``--help`` is ``None``, so every group on the way to a sub-command's help imported
    pydantic (about 0.2 s CPU of the 0.5 s budget, issue #17). Same behaviour, no import."""
    option = command.get_help_option(click.Context(command))
    if option is not None and option.default is None:
        option.default = False
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _bool_help_flags(sub)


class LazyGroup(TyperGroup):
    """A Typer group with extra commands named in :attr:`lazy` (name -> target, short help).

    ``list_commands`` and the group's own help use the short help given there, so listing the
    commands imports none of them; ``get_command`` imports a command's module on first use.
    Accessing ``commands`` (as documentation checks do) loads them all.
    """

    lazy: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._listing = False
        self._loaded: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        for name in self.lazy:
            self._load(name)
        return self._loaded

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._loaded = dict(value or {})

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self._loaded[name or cmd.name or ""] = cmd

    def _load(self, name: str) -> click.Command:
        if name not in self._loaded:
            self._loaded[name] = load_command(name, self.lazy[name][0])
        return self._loaded[name]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self._loaded, *(n for n in self.lazy if n not in self._loaded)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._loaded:
            return self._loaded[cmd_name]
        if cmd_name not in self.lazy:
            return None
        if self._listing:  # the group's help: a stand-in with the short help only
            return TyperCommand(cmd_name, help=self.lazy[cmd_name][1])
        return self._load(cmd_name)

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False  # see _bool_help_flags
        return option

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
