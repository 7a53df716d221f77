"""``passerelle dna …`` commands. Thin: read files, call :mod:`passerelle.dna.service`, print.

Errors are raised as :mod:`passerelle.errors` types; ``passerelle.cli.main`` prints them.
"""

from __future__ import annotations

from pathlib import Path

import typer

from passerelle.dna import csvio, rules, service
from passerelle.dna.index import ProfileIndex
from passerelle.dna.stats import Method, load_population
from passerelle.errors import UsageError

app = typer.Typer(
    name="dna",
    help="DNA profiles: harmonised STR profiles and Prüm-rule comparison.",
    no_args_is_help=True,
)

ENGINES = ("memory", "duckdb", "spark")
_QUALITY_NAMES = {1: "exact", 2: "wildcard", 3: "microvariant", 4: "near match"}


@app.command()
def compare(
    a: Path = typer.Option(..., "--a", help="Profiles to search (long-form CSV)."),
    b: Path = typer.Option(..., "--b", help="Profiles searched against (long-form CSV)."),
    out: Path = typer.Option(..., "--out", help="Where to write the match list (CSV)."),
    engine: str = typer.Option(
        "memory", "--engine", help="Comparison engine: memory, duckdb or spark."
    ),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the memory engine."),
) -> None:
    """Compare two profile files under the Prüm rules and write every matching pair as
    a_id,b_id,matching_loci,mismatched_alleles,quality."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; available: {', '.join(ENGINES)}")
    if engine != "memory":
        from passerelle.bulk.cli import run_compare

        run_compare(a, b, out, engine)
        return
    profiles_a = service.load_profiles(a)
    index = ProfileIndex.from_profiles(service.load_profiles(b))
    count = csvio.write_matches(out, service.compare_databases(profiles_a, index, workers))
    typer.echo(f"{count} matching pair(s) written to {out}")


@app.command()
def search(
    profile: Path = typer.Argument(..., help="The profile(s) to search (long-form CSV)."),
    db: Path = typer.Option(..., "--db", help="The database to search (long-form CSV)."),
    population: str = typer.Option(rules.DEFAULT_POPULATION, help="Frequency table for RMP."),
    theta: float = typer.Option(rules.DEFAULT_THETA, help="Coancestry coefficient θ."),
    method: Method = typer.Option(Method.NRC2_41, help="RMP formula."),
    stringency: rules.Stringency | None = typer.Option(
        None, help="National search under a CODIS stringency instead of the Prüm rules."
    ),
) -> None:
    """Search profiles against a database; print each match with its quality and RMP."""
    queries = service.load_profiles(profile)
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


__all__ = ["app"]
