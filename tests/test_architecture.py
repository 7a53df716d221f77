"""The layers of ``docs/architecture.md`` hold: every import in ``src/`` goes down, never up or
sideways, and reaches another package only through its public modules.

Every ``import`` statement counts, at module level, inside functions and under
``TYPE_CHECKING`` alike. A failure lists each offending import as ``file:line`` with the rule it
breaks, so a new import can be fixed (or the table changed on purpose, with the doc).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "passerelle"

#: The layer table, bottom first (``docs/architecture.md`` shows the same). A unit is a
#: top-level module or package of ``passerelle``; a unit may import units of lower layers
#: only. Units of one layer are siblings and never import each other.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("errors", ("errors", "passerelle")),
    ("foundation", ("settings", "bounds", "digits", "csvsafe")),
    ("storage", ("storage",)),
    ("privacy", ("privacy", "synth")),
    ("node", ("node", "domains")),
    ("kit", ("kit",)),
    ("federation", ("federation",)),
    ("identity", ("identity",)),
    ("bulk", ("bulk",)),
    (
        "domains",
        (
            "alerts",
            "crisis",
            "dna",
            "pnr",
            "precursors",
            "heritage",
            "jit",
            "evidence",
            "financing",
        ),
    ),
    ("seed", ("seed",)),
    ("web", ("web",)),
    ("cli", ("cli",)),
    ("entry", ("__main__",)),
)

#: Modules that are one unit with another (the node and its plugin registry load together).
SAME_UNIT = {"domains": "node"}

#: Internal modules of the core packages: only their own package imports them. (Modules named
#: ``_like_this`` are internal everywhere; every module of a domain is internal, since a domain
#: is reached only through its plugin, which ``passerelle.domains`` loads by name.)
INTERNAL: dict[str, frozenset[str]] = {
    "storage": frozenset({"base", "database", "gate", "migrate", "migrations"}),
    "privacy": frozenset({"access", "clock", "crypto", "model", "rules"}),
    "synth": frozenset({"romanise"}),
    "federation": frozenset(
        {
            "api",
            "api_sharing",
            "approvals",
            "bodies",
            "cli",
            "console",
            "console_sharing",
            "delivery",
            "demo",
            "dispatch",
            "envelope",
            "followups",
            "inbox",
            "keys",
            "kinds",
            "messages",
            "migrations",
            "model",
            "outbox",
            "plugin",
            "policies",
            "queries",
            "refusals",
            "retention",
            "rules",
            "schemas",
            "service",
            "signatures",
            "tls",
            "transport",
        }
    ),
    "identity": frozenset(
        {
            "api",
            "countries",
            "csvio",
            "dates",
            "documents",
            "features",
            "index",
            "merges",
            "mrz",
            "names",
            "peer_search",
            "plugin",
            "reference",
            "schemas",
            "scorer",
            "service",
            "structure",
            "transliteration",
            "variants",
            "vowels",
            "watchlists",
        }
    ),
    "bulk": frozenset(
        {
            "blocking",
            "cli",
            "duckdb_engine",
            "engine",
            "jobs",
            "migrations",
            "model",
            "options",
            "people",
            "plugin",
            "progress",
            "review",
            "rules",
            "scoring",
            "screen",
            "spark_engine",
        }
    ),
}
DOMAIN_LAYER = "domains"

#: Modules a façade exports as a namespace (``from passerelle.privacy import audit``, then
#: ``audit.search(...)``): other packages import the module whole, through the package, and
#: take its names from the façade (``from passerelle.privacy import Actor``), never
#: ``from passerelle.privacy import Actor`` or ``import passerelle.privacy.audit``.
NAMESPACES: dict[str, frozenset[str]] = {
    "privacy": frozenset({"accounts", "audit", "retention"}),
    "federation": frozenset({"peers"}),
    "identity": frozenset({"rules"}),
}

#: Imports allowed against the rules above: ``file:line`` -> why. It starts, and stays, empty.
EXCEPTIONS: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    file: Path
    line: int
    source: str  # the importing module
    target: str  # the imported module (or package)
    whole: bool = False  # ``from pkg import module``: the module itself, named through ``pkg``
    by_name: str = ""  # a module named by a string (``import_module("…")``, ``"module:attr"``)

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _exists(module: str) -> bool:
    base = SRC.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def imports_of(path: Path) -> list[Import]:
    """Every ``passerelle`` import of one file; ``from pkg import mod`` counts as ``pkg.mod``."""
    source = module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, source, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if _exists(sub):
                    found.append(Import(path, node.lineno, source, sub, whole=True))
                else:
                    found.append(Import(path, node.lineno, source, target))
    found += named_modules(path, source)
    return [i for i in found if i.target == "passerelle" or i.target.startswith("passerelle.")]


#: The plugin registry: the one module that names packages above it, by design (the node loads
#: plugins and their commands by name, so the core never imports a domain). Its strings are
#: checked to exist and to avoid ``_private`` modules; the layer direction does not apply.
REGISTRY = "passerelle.domains"

_ENTRY = re.compile(r"^(passerelle(?:\.\w+)*)(?::(\w+))?$")


def named_modules(path: Path, source: str) -> list[Import]:
    """Modules this file names by string, as loaded later by ``importlib``: the first argument of
    ``import_module(...)``, every ``"module:attribute"`` entry (command tables) and the module
    of a ``("module", "attribute")`` pair (lazy façade tables)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name == "import_module" and isinstance(first, ast.Constant):
                strings.append((node.lineno, str(first.value)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and ":" in node.value:
            strings.append((node.lineno, node.value))
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            module, attribute = node.elts
            if (
                isinstance(module, ast.Constant)
                and isinstance(attribute, ast.Constant)
                and isinstance(module.value, str)
                and isinstance(attribute.value, str)
                and module.value.startswith("passerelle.")
            ):
                strings.append((node.lineno, f"{module.value}:{attribute.value}"))
    found = []
    for line, text in sorted(strings):
        match = _ENTRY.match(text)
        if match:
            found.append(Import(path, line, source, match[1], by_name=text))
    return found


def _defines(module: str, attribute: str) -> bool:
    base = SRC.joinpath(*module.split("."))
    file = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
    names: set[str] = set()
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return attribute in names


def all_imports() -> list[Import]:
    return [i for path in sorted(PACKAGE.rglob("*.py")) for i in imports_of(path)]


def unit_of(module: str) -> str:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "passerelle"
    return SAME_UNIT.get(name, name)


def layer_of(unit: str) -> tuple[int, str] | None:
    for rank, (layer, units) in enumerate(LAYERS):
        if unit in units:
            return rank, layer
    return None


def violation(i: Import) -> str | None:
    """The rule ``i`` breaks, or None."""
    if i.by_name:
        module, _, attribute = i.by_name.partition(":")
        if not _exists(module):
            return f"names a module that does not exist: {i.by_name!r}"
        if attribute and not _defines(module, attribute):
            return f"names an attribute that {module} does not define: {i.by_name!r}"
        if i.source == REGISTRY:
            private = any(part.startswith("_") for part in module.split(".")[2:])
            return f"the registry names an internal module: {module}" if private else None
    source, target = unit_of(i.source), unit_of(i.target)
    if source == target:
        return None
    src_layer, dst_layer = layer_of(source), layer_of(target)
    if src_layer is None or dst_layer is None:
        missing = source if src_layer is None else target
        return f"unit {missing!r} is in no layer of the table (add it to LAYERS and the doc)"
    if dst_layer[0] > src_layer[0]:
        return f"goes up: {source} ({src_layer[1]}) imports {target} ({dst_layer[1]})"
    if dst_layer[0] == src_layer[0]:
        return f"goes sideways: {source} imports {target}, both in layer {src_layer[1]}"
    inner = i.target.split(".")[2:]
    if any(part.startswith("_") for part in inner):
        return f"bypasses the façade of {target}: {i.target} is internal (_name)"
    if inner and dst_layer[1] == DOMAIN_LAYER:
        return f"bypasses the façade of domain {target}: import passerelle.{target} only"
    if inner and inner[0] in INTERNAL.get(target, frozenset()):
        return f"bypasses the façade of {target}: {i.target} is listed as internal"
    if (
        inner
        and inner[0] in NAMESPACES.get(target, frozenset())
        and not (i.whole and len(inner) == 1)
    ):
        return (
            f"bypasses the façade of {target}: import the namespace "
            f"(from passerelle.{target} import {inner[0]}) or its names from passerelle.{target}"
        )
    return None


def test_every_import_goes_down_through_a_facade() -> None:
    broken = [
        f"{i.where}: {i.source} -> {i.target}: {rule}"
        for i in all_imports()
        if (rule := violation(i)) is not None and i.where not in EXCEPTIONS
    ]
    assert not broken, "imports against the layer table:\n" + "\n".join(broken)


def test_the_exception_list_is_empty() -> None:
    assert EXCEPTIONS == {}


def test_every_unit_is_in_the_table() -> None:
    units = {unit_of(module_name(p)) for p in PACKAGE.rglob("*.py")}
    listed = {u for _, members in LAYERS for u in members}
    assert units - listed == set(), "add these to LAYERS and to docs/architecture.md"


def test_the_doc_shows_the_same_table() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| *(\d+) *\| *`?([\w-]+)`? *\| *([^|]+)\|", doc, flags=re.M)
    table = {
        int(rank): (layer, {u.strip(" `") for u in units.split(",")}) for rank, layer, units in rows
    }
    expected = {rank: (layer, set(units)) for rank, (layer, units) in enumerate(LAYERS)}
    assert table == expected


def test_the_rules_catch_what_they_should() -> None:
    """The checker itself: an upward, a sideways and a façade-bypassing import are reported."""
    f = PACKAGE / "x.py"
    assert violation(Import(f, 1, "passerelle.bulk.jobs", "passerelle.dna.index")) is not None
    assert violation(Import(f, 1, "passerelle.pnr.api", "passerelle.alerts")) is not None
    assert violation(Import(f, 1, "passerelle.pnr.api", "passerelle.web.console")) is not None
    assert violation(Import(f, 1, "passerelle.bulk.jobs", "passerelle.identity.mrz")) is not None
    assert (
        violation(Import(f, 1, "passerelle.cli.core", "passerelle.dna.service.store")) is not None
    )
    assert violation(Import(f, 1, "passerelle.pnr.api", "passerelle.kit._x")) is not None
    # Modules named by string are held to the same rules (only the plugin registry names up).
    dna_store = "passerelle.dna.service.store"
    assert violation(Import(f, 1, "passerelle.bulk.cli", dna_store, by_name=dna_store)) is not None
    assert (
        violation(Import(f, 1, REGISTRY, "passerelle.dna.cli", by_name="passerelle.dna.cli:app"))
        is None
    )
    assert (
        violation(Import(f, 1, REGISTRY, "passerelle.dna.cli", by_name="passerelle.dna.cli:nope"))
        is not None
    )
    assert violation(Import(f, 1, REGISTRY, "passerelle.dna.x", by_name="passerelle.dna.x:app"))


def test_modules_named_by_string_are_seen(tmp_path: Path) -> None:
    """``import_module("…")``, ``"module:attr"`` entries and lazy ``(module, attr)`` pairs count
    as imports, so a name in a string cannot slip past the layer rules."""
    f = tmp_path / "sneaky.py"
    f.write_text(
        "import importlib\n"
        "importlib.import_module('passerelle.dna.service.store')\n"
        "COMMANDS = {'x': ('passerelle.pnr.cli:app', 'help')}\n"
        "_LAZY = {'Message': ('passerelle.federation.model', 'Message')}\n"
        "LOGGER = 'passerelle.federation'\n",
        encoding="utf-8",
    )
    seen = named_modules(f, "passerelle.bulk.jobs")
    assert [(i.line, i.target) for i in seen] == [
        (2, "passerelle.dna.service.store"),
        (3, "passerelle.pnr.cli"),
        (4, "passerelle.federation.model"),
    ]
    assert all(violation(i) is not None for i in seen)
    assert violation(Import(f, 1, "passerelle.pnr.api", "passerelle.identity")) is None
    assert violation(Import(f, 1, "passerelle.pnr.api", "passerelle.privacy.model")) is not None
    audit = "passerelle.privacy.audit"
    assert violation(Import(f, 1, "passerelle.pnr.api", audit)) is not None
    assert violation(Import(f, 1, "passerelle.pnr.api", audit, whole=True)) is None
    assert violation(Import(f, 1, "passerelle.node", "passerelle.domains")) is None


def test_the_session_dependency_is_declared_once() -> None:
    """``DbSession`` has one definition (``passerelle.kit.web``); routes import it."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == "DbSession"
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    assert found == ["src/passerelle/kit/web.py:" + found[0].rpartition(":")[2]], (
        "DbSession defined again (import it from passerelle.kit.web):\n" + "\n".join(found)
    )


def test_the_node_does_not_import_the_web_framework() -> None:
    tree = ast.parse((PACKAGE / "node.py").read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | {
        n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
    }
    assert not {m for m in modules if m.split(".")[0] in {"fastapi", "starlette"}}


def _state_keys(path: Path) -> list[tuple[int, str | None]]:
    """Keys this file uses on a node's ``state`` (``node.state[...]``, ``state.get(...)``…):
    the string, or None when it is not a constant of the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        t.id: n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
        for t in n.targets
        if isinstance(t, ast.Name) and isinstance(n.value.value, str)
    }

    def is_state(e: ast.expr) -> bool:
        if isinstance(e, ast.BoolOp):  # ``(state or {}).get(...)``
            return is_state(e.values[0])
        if isinstance(e, ast.Name):
            return e.id == "state"
        return (
            isinstance(e, ast.Attribute)
            and e.attr == "state"
            and not (isinstance(e.value, ast.Name) and e.value.id in {"request", "app"})
            and not (isinstance(e.value, ast.Attribute) and e.value.attr == "app")
        )

    def key(e: ast.expr) -> str | None:
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            return e.value
        if isinstance(e, ast.Name):
            return constants.get(e.id)
        if isinstance(e, ast.JoinedStr) and e.values:
            return (
                key(e.values[0])
                if not isinstance(e.values[0], ast.Constant)
                else key(ast.Constant(str(e.values[0].value)))
            )
        if isinstance(e, ast.FormattedValue):
            return key(e.value)
        return None

    found: list[tuple[int, str | None, ast.expr]] = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Subscript) and is_state(n.value):
            found.append((n.lineno, key(n.slice), n.value))
        elif (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in {"get", "setdefault", "pop"}
            and is_state(n.func.value)
            and n.args
        ):
            found.append((n.lineno, key(n.args[0]), n.func.value))
    # A plain variable called ``state`` counts only with a string key (not an array index).
    return [(line, k) for line, k, on in found if k is not None or isinstance(on, ast.Attribute)]


def test_node_state_keys_belong_to_the_package_using_them() -> None:
    """``Node.state`` is per package: a package reads another's live state only through the
    typed accessor the owner exports (e.g. ``identity.watchlists.node_watchlists``)."""
    broken = []
    for path in sorted(PACKAGE.rglob("*.py")):
        owner = unit_of(module_name(path))
        for line, found in _state_keys(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if found is None:
                broken.append(f"{where}: state key is not a string constant of this module")
            elif found.split(".")[0] != owner:
                broken.append(f"{where}: {owner} uses {found!r}, another package's state")
    assert not broken, "\n".join(broken)
