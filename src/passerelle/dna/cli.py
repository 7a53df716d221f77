"""``passerelle dna …`` commands. Thin: read files, call :mod:`passerelle.dna.service`, print.

Errors are raised as :mod:`passerelle.errors` types; ``passerelle.cli.main`` prints them.
"""

from __future__ import annotations

from pathlib import Path

import typer

from passerelle.bulk import ENGINES
from passerelle.dna import csvio, rules
from passerelle.dna.profiles import Profile
from passerelle.dna.stats import Method, load_population
from passerelle.errors import UsageError

# The index (numpy) and the services are imported inside the commands: ``--help`` stays fast
# (issue #17, ``tests/cli/test_lazy.py``).

app = typer.Typer(
    name="dna",
    help="DNA profiles: harmonised STR profiles and Prüm-rule comparison.",
    no_args_is_help=True,
)

_QUALITY_NAMES = {1: "exact", 2: "wildcard", 3: "microvariant", 4: "near match"}


@app.command()
def compare(
    a: Path = typer.Option(..., "--a", help="Profiles to search (long-form CSV)."),
    b: Path = typer.Option(..., "--b", help="Profiles searched against (long-form CSV)."),
    out: Path = typer.Option(..., "--out", help="Where to write the match list (CSV)."),
    engine: str = typer.Option(
        "memory", "--engine", help="Comparison engine: memory, duckdb or spark."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Processes to compare in (memory, duckdb; spark uses its cores).",
    ),
) -> None:
    """Compare two profile files under the Prüm rules and write every matching pair as
    a_id,b_id,matching_loci,mismatched_alleles,quality."""
    from passerelle.dna import service
    from passerelle.dna.index import ProfileIndex

    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; available: {', '.join(ENGINES)}")
    if engine != "memory":
        from passerelle.dna.bulk_cli import run_compare

        run_compare(a, b, out, engine, workers=workers)
        return
    profiles_a = service.load_profiles(a)
    index = ProfileIndex.from_profiles(service.load_profiles(b))
    count = csvio.write_matches(out, service.compare_databases(profiles_a, index, workers))
    typer.echo(f"{count} matching pair(s) written to {out}")


EXIT_NOTHING_IMPORTED = 2


@app.command("import")
def import_(
    file: Path = typer.Argument(
        ..., help="Profiles in long form: profile_id,locus,allele_1,allele_2."
    ),
    sample_type: rules.SampleType | None = typer.Option(
        None, "--sample-type", help="Sample type of profiles whose rows do not give one."
    ),
    laboratory: str | None = typer.Option(
        None, "--laboratory", help="Laboratory (default for rows)."
    ),
    kit: str | None = typer.Option(None, "--kit", help="Typing kit (default for rows)."),
) -> None:
    """Validate a profile CSV and store the valid profiles in this node; print the validation
    report. Exit 2 when nothing was importable."""
    import getpass

    from passerelle.dna.service import store
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    node = open_node(get_settings())
    try:
        with node.session() as session:
            rows = store.with_defaults(
                csvio.read_rows(file),
                sample_type=sample_type.value if sample_type else None,
                laboratory=laboratory,
                kit=kit,
            )
            outcome = store.store_profiles(
                session, node, store.cli_access(node, getpass.getuser()), rows
            )
    finally:
        node.close()
    report = outcome.report
    typer.echo(
        f"{len(report.profiles)} profile(s) accepted ({len(outcome.created)} new, "
        f"{len(outcome.updated)} updated), {len(report.rejected)} rejected"
    )
    for error in report.errors:
        typer.echo(f"  line {error.line}: {error.profile_id or '-'}: {error.message}")
    for warning in report.warnings:
        typer.echo(f"  line {warning.line}: {warning.profile_id}: warning: {warning.message}")
    for ref, flags in report.flagged.items():
        typer.echo(f"  {ref}: kept nationally, not exchangeable ({', '.join(flags)})")
    if not report.profiles:
        raise typer.Exit(EXIT_NOTHING_IMPORTED)


@app.command()
def search(
    profile: Path = typer.Argument(..., help="The profile(s) to search (long-form CSV)."),
    db: Path | None = typer.Option(None, "--db", help="The database to search (long-form CSV)."),
    node_db: bool = typer.Option(
        False, "--node", help="Search the profiles stored in this node instead of --db."
    ),
    population: str = typer.Option(rules.DEFAULT_POPULATION, help="Frequency table for RMP."),
    theta: float = typer.Option(rules.DEFAULT_THETA, help="Coancestry coefficient θ."),
    method: Method = typer.Option(Method.NRC2_41, help="RMP formula."),
    stringency: rules.Stringency | None = typer.Option(
        None, help="National search under a CODIS stringency instead of the Prüm rules."
    ),
) -> None:
    """Search profiles against a database; print each match with its quality and RMP."""
    from passerelle.dna import service
    from passerelle.dna.index import ProfileIndex

    queries = service.load_profiles(profile)
    if node_db == (db is not None):
        raise UsageError("give either --db FILE or --node")
    if db is None:
        _search_node(queries, population, theta, method, stringency)
        return
    database = service.load_profiles(db)
    table = load_population(population)
    if stringency is not None:
        for query in queries:
            ids = service.national_search(query, database, stringency)
            typer.echo(f"{query.profile_id}: {len(ids)} {stringency.value}-stringency match(es)")
            for ident in ids:
                typer.echo(f"  {ident}")
        return
    index = ProfileIndex.from_profiles(database)
    for query in queries:
        hits = service.search(query, index, table, theta, method)
        typer.echo(
            f"{query.profile_id}: {len(hits)} match(es)"
            if hits
            else f"{query.profile_id}: no match"
        )
        for hit in hits:
            m = hit.match
            note = "  — needs laboratory confirmation" if hit.needs_lab_confirmation else ""
            typer.echo(
                f"  {m.b_id}  quality {int(m.quality)} ({_QUALITY_NAMES[int(m.quality)]})  "
                f"{m.matching_loci} matching loci, {m.mismatched_alleles} mismatched allele(s)  "
                f"RMP {hit.rmp.value:.3g} (1 in {hit.rmp.one_in:.3g}){note}"
            )


def _search_node(
    queries: list[Profile],
    population: str,
    theta: float,
    method: Method,
    stringency: rules.Stringency | None,
) -> None:
    import getpass

    from passerelle.dna.service import store
    from passerelle.node import open_node
    from passerelle.settings import get_settings

    node = open_node(get_settings())
    try:
        with node.session() as session:
            access = store.cli_access(node, getpass.getuser())
            for query in queries:
                hits = store.national_search(
                    session,
                    node,
                    access,
                    query,
                    population=population,
                    theta=theta,
                    method=method,
                    stringency=stringency,
                )
                typer.echo(
                    f"{query.profile_id}: {len(hits)} match(es)"
                    if hits
                    else f"{query.profile_id}: no match"
                )
                for h in hits:
                    if h.quality is None:
                        typer.echo(f"  {h.matched_ref}  {h.rule}")
                        continue
                    note = "  — needs laboratory confirmation" if h.needs_lab_confirmation else ""
                    typer.echo(
                        f"  {h.matched_ref}  quality {h.quality} ({_QUALITY_NAMES[h.quality]})  "
                        f"{h.matching_loci} matching loci, {h.mismatched_alleles} mismatched "
                        f"allele(s)  RMP {h.rmp or 0:.3g}{note}"
                    )
    finally:
        node.close()


__all__ = ["app"]
