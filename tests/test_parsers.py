"""Every parser of the project, fed hostile input: nothing but its own typed error comes out.

:data:`PARSERS` names each function that reads text, bytes, files or peer payloads from outside
the node, with the inputs to try and the typed errors (all in :mod:`passerelle.errors`) it may
raise; ``()`` means it must never raise. Inputs are the real samples (GTAS PNRGOV files, the
PAXLST example of the docs, synthetic OSDM bookings, CSV files in the documented columns)
mutated with the characters and shapes that broke parsers before: ``²``, ``³``, other non-ASCII
digits, 5,000-digit counts, stray service characters, control characters, deep JSON.

:func:`test_the_list_names_every_parser` keeps the list honest: every public top-level function
of ``src/passerelle`` whose name says it parses, reads, loads, decodes or imports must be in
:data:`PARSERS` or in :data:`NOT_PARSERS` with the reason it reads nothing from outside.

Settings stay CI-friendly: no deadline, ``PASSERELLE_FUZZ_EXAMPLES`` examples per parser
(default 80); set it to thousands for a longer local run.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle import errors
from passerelle.pnr import edifact
from passerelle.pnr.synth import osdm_booking, pnrgov_message

SRC = Path(__file__).parent.parent / "src" / "passerelle"
SAMPLES = Path(__file__).parent / "pnr" / "samples"
EXAMPLES = int(os.environ.get("PASSERELLE_FUZZ_EXAMPLES", "80"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PAXLST = (
    "UNA:+.? 'UNB+UNOA:4+AF+PIUFR+260601:0700+42'UNH+42+PAXLST:D:05B:UN:IATA'BGM+745'"
    "NAD+MS+++AIR FRANCE'TDT+20+AF1234+++AF'LOC+125+CDG'DTM+189:2606010900:201'"
    "LOC+87+BRU'DTM+232:2606011010:201'NAD+FL+++PEETERS:LOTTE:MARIA'"
    "ATT+2++F'DTM+329:850412'NAT+2+BEL'RFF+AVF:PQR456'"
    "DOC+P:110:111+EM1234567'DTM+36:20300101'LOC+91+BEL'CNT+42:1'UNT+17+42'UNZ+1+42'"
)
EDIFACT_SAMPLES = [
    *(p.read_text(encoding="latin-1") for p in sorted(SAMPLES.glob("*")) if p.suffix != ".txt"),
    *(p.read_text(encoding="latin-1") for p in sorted(SAMPLES.glob("pnr*.txt"))),
    pnrgov_message(random.Random(3), 3)[0],
    PAXLST,
]
EDIFACT_SAMPLES = [s for s in EDIFACT_SAMPLES if "UNH" in s]
#: What broke parsers before, and what else a hostile sender would try.
NASTY = [
    "²", "³", "①", "٣", "１２", "9" * 5000, "0" * 30, "-1", "1e999", "NaN", "", " ",
    "'", "+", ":", "?", "*", "\u2019", "\x00", "\x01", "\x7f", "\r\n", "\n", "\u2028", "\ufeff",
    "UNA", "UNA:+.? '", "UNH+1+PNRGOV:13:1:IA'", "UNH+2+PAXLST:D:05B:UN:IATA'", "UNT+", "UNZ+",
    "EQN+", "EBD+", "TBD+1+", "DTM+329:", "DTM+36:", "TVL+", "SRC'", "RCI+", "TIF+", "SSR+DOCS",
    "NAD+FL+++", "DOC+P+", "LOC+91+", "ATT+2++", "=HYPERLINK(\"http://x\")", "{", "}", "[", "]",
    '"', "\\", ",", ";", "<", "\t", "null", "true", "X" * 300,
]  # fmt: skip
nasty = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | nasty,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn, texts: list[str]) -> str:
    """One sample with a few insertions, deletions, duplications and replaced digits."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "repeat", "digits"]))
        if op == "insert":
            text = text[:at] + draw(nasty) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif op == "repeat":
            piece = text[at : at + draw(st.integers(1, 60))]
            text = text[:at] + piece * draw(st.integers(2, 30)) + text[at:]
        else:
            weird = draw(st.sampled_from(["²", "³", "٣", "9" * 5000, "１"]))
            text = "".join(weird if c.isdigit() and draw(st.booleans()) else c for c in text[:400])
            text += draw(st.sampled_from(texts))[400:]
    return text


def _json_mutated(draw: st.DrawFn, doc: Any) -> Any:
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 5))):
        node, key = doc, None
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)):
            key = draw(
                st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
            )
            parent, node = node, node[key]
        if key is not None:
            parent[key] = draw(json_values)
    return doc


@st.composite
def osdm_documents(draw: st.DrawFn) -> bytes | str | dict[str, Any]:
    doc = osdm_booking(random.Random(draw(st.integers(0, 5))), 1)
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return _json_mutated(draw, doc)  # type: ignore[no-any-return]
    if choice == 1:
        return draw(mutated([json.dumps(doc)])).encode()
    if choice == 2:
        return "[" * draw(st.integers(1, 5000)) + "]" * draw(st.integers(0, 50))
    return json.dumps(draw(json_values))


ENVELOPE = {
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "sender": "BE",
    "recipient": "FR",
    "created_at": "2026-03-02T09:00:00+00:00",
    "type": "query",
    "purpose": "prevention of terrorist offences",
    "legal_basis": "Prüm Decision 2008/615/JHA art. 9",
    "handling": {"code": "H1", "restrictions": ""},
    "payload": {"kind": "person", "query": {"family_name": "DUPONT"}},
}


@st.composite
def envelopes(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return json.dumps(_json_mutated(draw, ENVELOPE))
    return draw(mutated([json.dumps(ENVELOPE)]))


def messages(kind: str) -> st.SearchStrategy[edifact.Message | None]:
    """The messages of a mutated sample, as the ingest pipeline hands them to the readers."""

    def split(text: str) -> edifact.Message | None:
        try:
            found = edifact.split_interchange(edifact.tokenize(text)).messages
        except edifact.EdifactError:
            return None
        typed = [m for m in found if m.type.upper() == kind]
        return typed[0] if typed else None

    return mutated(EDIFACT_SAMPLES).map(split)


PEOPLE_CSV = (
    "id,full_name,given_names,family_name,date_of_birth,gender,nationality,document_number,"
    "document_country\nR-1,,Marie,DUPONT,1988-02-03,F,FRA,12AB34567,FRA\n"
    "R-2,Karim El Amrani,,,1979-XX-XX,M,BEL,,\n"
)
DNA_CSV = (
    "profile_id,locus,allele_1,allele_2,allele_3,sample_type,single_source\n"
    "P1,D3S1358,15,16,,reference,true\nP1,vWA,17,18.3,,reference,true\n"
    "P1,AMEL,X,Y,,reference,true\nP2,TH01,9.3,,,crime_scene,false\n"
)
LICENCE_CSV = (
    "country,number,family_name,given_names,date_of_birth,substances,max_concentration,"
    "valid_from,valid_until\nBE,BE-1,Lefèvre,Jean-Luc,1988-06-12,7722-84-1|7697-37-2,35,"
    "2026-01-01,2027-01-01T00:00:00+01:00\nbe,BE-2,Dupont,,,7722-84-1,10,2026-02-30,2025\n"
)
HITS_CSV = "record_id,entry_id,score,explanation\nR-1,E-9,0.9512,name 1.00; dob exact\n"
FREQUENCIES = "D3S1358\n14\t0.12\n15\t0.25\n\nvWA\n17\t0.2\n18.3\t0.01\n"


def files(suffix: str, samples: list[str]) -> st.SearchStrategy[Path]:
    """A temporary file holding a mutated sample (or raw bytes), removed after the example."""
    content = st.one_of(mutated(samples).map(str.encode), st.binary(max_size=200))
    return content.map(lambda data: _TempFile(suffix, data).path)


class _TempFile:
    _dir = tempfile.TemporaryDirectory(prefix="passerelle-fuzz-")
    _count = 0

    def __init__(self, suffix: str, data: bytes) -> None:
        _TempFile._count += 1
        self.path = Path(self._dir.name) / f"f{_TempFile._count % 50}{suffix}"
        self.path.write_bytes(data)


def _drain(result: object) -> object:
    """Readers that yield: read them to the end."""
    if isinstance(result, Iterator):
        return list(result)
    return result


@dataclass(frozen=True)
class Parser:
    """One parser: ``module:function``, the inputs to try and the typed errors it may raise."""

    name: str
    inputs: st.SearchStrategy[Any]
    raises: tuple[type[errors.PasserelleError], ...] = ()
    call: Callable[[Callable[..., object], Any], object] = field(
        default=lambda fn, value: _drain(fn(value))
    )

    def function(self) -> Callable[..., object]:
        module, name = self.name.split(":")
        fn: Callable[..., object] = getattr(importlib.import_module(module), name)
        return fn


def _skip_none(fn: Callable[..., object], value: Any) -> object:
    return None if value is None else fn(value)


_text = st.one_of(mutated(["121210", "12JUL64", "0915", "P/GBR/123/GBR/12JUL64/M/23AUG19/A/B"]))


def _first_body_segment(text: str) -> edifact.Segment | None:
    try:
        segments = edifact.tokenize(text).segments
    except edifact.EdifactError:
        return None
    return next((s for s in segments if s.tag in ("TVL", "FOP")), segments[-1])


_segments = mutated(EDIFACT_SAMPLES).map(_first_body_segment)
_CAP = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>FR.1</identifier>'
    "<sender>cic@fr</sender><sent>2026-03-01T10:00:00+01:00</sent><status>Exercise</status>"
    "<msgType>Alert</msgType><scope>Restricted</scope><restriction>services</restriction>"
    "<info><language>fr-FR</language><category>Security</category><event>Exercice</event>"
    "<urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>"
    "<area><areaDesc>Lille</areaDesc><circle>50.63,3.06 5</circle></area></info></alert>"
)
Malformed, Invalid = errors.MalformedInput, errors.ValidationFailed
HERITAGE_OBJECT = (
    '{"object_type": "statuette", "title": "Worshipper", "materials": ["bronze"], '
    '"measurements": {"height_cm": 23}, "year_made": -2500, "country_of_origin": "IQ", '
    '"category": "archaeological", "provenance": [{"kind": "export", "country": "IQ", '
    '"date_from": "1989-02-01"}], "offer": {"channel": "auction", "value_eur": 25000}}'
)


def _heritage_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 20), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


HERITAGE_PNG = _heritage_png()
#: The PNG with one byte changed (header sizes, CRCs, compressed data).
_heritage_pngs = st.tuples(st.integers(0, len(HERITAGE_PNG) - 1), st.integers(0, 255)).map(
    lambda t: HERITAGE_PNG[: t[0]] + bytes([t[1]]) + HERITAGE_PNG[t[0] + 1 :]
)
NAT_CSV = (
    "inside_ip,outside_ip,port_start,port_end,protocol,start,end\n"
    "100.64.1.5,203.0.113.7,2048,2559,tcp,2026-12-03T10:00:00Z,2026-12-03T11:30:00Z\n"
)
NAT_SYSLOG = (
    "<134>Dec  3 10:00:00 cgn01 NAT: proto=tcp inside=100.64.0.5 outside=192.0.2.200 "
    "ports=1024-1535 start=2026-12-03T10:00:00Z end=2026-12-03T10:05:00Z\n"
)
NAT_POOLS = '[{"name": "p1", "inside": "198.51.100.0/24", "outside": "192.0.2.0/28", "ratio": 16}]'
_nat_ip = mutated(["203.0.113.7"])
_nat_port = mutated(["2100"])
_nat_time = mutated(["2026-12-03T11:15:00Z"])
_GOAML = (
    "<report><rentity_id>1</rentity_id><entity_reference>R1</entity_reference>"
    "<submission_date>2026-11-20T10:00:00</submission_date><transaction>"
    "<transactionnumber>T1</transactionnumber><date_transaction>2026-11-02T09:15:00"
    "</date_transaction><amount_local>98.5</amount_local><t_from><from_account><account>A1"
    "</account></from_account></t_from><t_to><to_person><first_name>Y</first_name>"
    "<last_name>H</last_name><birthdate>1990-04-12</birthdate></to_person></t_to>"
    "</transaction></report>"
)
_GOAML_MULTI = (
    "<report><rentity_id>1</rentity_id><entity_reference>R2</entity_reference>"
    "<submission_date>2026-11-21</submission_date><transaction><transactionnumber>T2"
    "</transactionnumber><date_transaction>2026-11-03T14:00:00</date_transaction><amount_local>"
    "42</amount_local><involved_parties><party><role>ORDERING</role><account><account>A1"
    "</account></account></party><party><role>BENEFICIARY</role><entity><name>E</name></entity>"
    "</party></involved_parties></transaction></report>"
)
_FIN_CSV = (
    "report_reference,reporting_entity,submitted_on,transaction_number,occurred_at,amount,"
    "currency,from_account,to_account,to_chain\nR1,B1,2026-11-20,T1,2026-11-01T10:00:00,100,"
    "EUR,A1,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,ETH\n"
)
_FIN_KEY = (
    '{"format": "passerelle-financing-key/1", "key_id": "4bd8e7a5c1b0f2a3", '
    '"created": "2026-12-03", "secret": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}'
)
_FILTER = b'PASSERELLE-FILTER/1\n\x00\x00\x00\x30{"bits": 1024, "key_id": "x", "rows": 1}'
PARSERS: list[Parser] = [
    # crisis (CAP 1.2 documents from peers and feeds)
    Parser(
        "passerelle.crisis.cap:parse",
        st.one_of(st.binary(max_size=300), mutated([_CAP]).map(str.encode)),
        (Malformed, errors.PayloadTooLarge),  # a mutation can grow past MAX_CAP_BYTES
    ),
    # identity (date cells of screening input)
    Parser(
        "passerelle.identity.dates:read_dates",
        st.one_of(nasty, mutated(["1975~", "1975/1977", "1975-03-02; 1976"])),
        (Malformed,),
    ),
    # passenger data (carrier pushes)
    Parser("passerelle.pnr.ingest:parse_file", mutated(EDIFACT_SAMPLES).map(str.encode)),
    Parser(
        "passerelle.pnr.ingest:parse_file",
        osdm_documents().map(
            lambda d: (
                json.dumps(d).encode()
                if isinstance(d, dict)
                else d.encode()
                if isinstance(d, str)
                else d
            )
        ),
    ),
    Parser("passerelle.pnr.edifact:decode", st.binary(max_size=300)),
    Parser("passerelle.pnr.edifact:tokenize", mutated(EDIFACT_SAMPLES), (edifact.EdifactError,)),
    Parser("passerelle.pnr.edifact:tokenize", st.binary(max_size=300), (edifact.EdifactError,)),
    Parser(
        "passerelle.pnr.edifact:split_interchange",
        mutated(EDIFACT_SAMPLES),
        (edifact.EdifactError,),
        lambda fn, text: fn(edifact.tokenize(text)),
    ),
    Parser("passerelle.pnr.pnrgov:parse_pnrgov", messages("PNRGOV"), call=_skip_none),
    Parser("passerelle.pnr.paxlst:parse_paxlst", messages("PAXLST"), call=_skip_none),
    Parser("passerelle.pnr.osdm:parse_osdm", osdm_documents(), (Malformed,)),
    Parser("passerelle.pnr.service.records:parse_time", st.one_of(st.none(), nasty, _text)),
    *(
        Parser(f"passerelle.pnr.fields:{name}", st.one_of(nasty, _text))
        for name in (
            "ddmmyy",
            "yymmdd",
            "edifact_datetime",
            "docs_document",
            "split_title",
            "contact_from_text",
        )
    ),
    Parser("passerelle.pnr.fields:leg_from_tvl", _segments, call=_skip_none),
    Parser("passerelle.pnr.fields:payment_from_fop", _segments, call=_skip_none),
    # identity
    Parser(
        "passerelle.identity.mrz:parse_mrz",
        mutated(
            [
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
                "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            ]
        ),
        (Malformed,),
    ),
    Parser("passerelle.identity.mrz:check_digit", st.one_of(nasty, _text), (Malformed,)),
    Parser(
        "passerelle.identity.dates:parse_date",
        st.one_of(nasty, mutated(["1988-02-03"])),
        (Malformed,),
    ),
    Parser("passerelle.identity.names:split_name", st.one_of(nasty, st.text(max_size=40))),
    Parser("passerelle.identity.csvio:read_people", files(".csv", [PEOPLE_CSV]), (Malformed,)),
    # bulk
    Parser("passerelle.bulk.people:read_any", files(".csv", [PEOPLE_CSV]), (Malformed,)),
    Parser("passerelle.bulk.people:read_any", files(".parquet", [PEOPLE_CSV]), (Malformed,)),
    Parser("passerelle.bulk.review:read_hits", files(".csv", [HITS_CSV]), (Malformed,)),
    Parser("passerelle.bulk.review:read_hits", files(".parquet", [HITS_CSV]), (Malformed,)),
    Parser(
        "passerelle.dna.bulk_compare:load_any_profiles",
        files(".csv", [DNA_CSV]),
        (Malformed, Invalid),
    ),
    Parser(
        "passerelle.dna.bulk_compare:load_any_profiles",
        files(".parquet", [DNA_CSV]),
        (Malformed, Invalid),
    ),
    # financing (goAML XML and CSV reports: a reason per bad report, never a raise; key and
    # filter files)
    Parser(
        "passerelle.financing.service.parse:parse_goaml",
        st.one_of(mutated([_GOAML, _GOAML_MULTI]).map(str.encode), st.binary(max_size=300)),
    ),
    Parser(
        "passerelle.financing.service.parse:parse_csv",
        st.one_of(mutated([_FIN_CSV]).map(str.encode), st.binary(max_size=300)),
    ),
    Parser("passerelle.financing.service.keys:loads", mutated([_FIN_KEY]), (Malformed,)),
    Parser("passerelle.financing.service.keys:read", files(".key", [_FIN_KEY]), (Malformed,)),
    Parser(
        "passerelle.financing.service.bloom:loads",
        st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda b: _FILTER + b)),
        (Malformed,),
    ),
    Parser(
        "passerelle.financing.service.bloom:read",
        files(".bin", ["PASSERELLE-FILTER/1\n\x00\x00\x00\x02{}"]),
        (Malformed,),
    ),
    # precursors (licence register files: every row parsed or a typed error, never a raise)
    Parser(
        "passerelle.precursors.service.parse:licence_rows",
        st.one_of(mutated([LICENCE_CSV]).map(str.encode), st.binary(max_size=300)),
    ),
    # heritage (object JSON of a check, uploaded photographs)
    Parser(
        "passerelle.heritage.service.parse:object_json",
        st.one_of(mutated([HERITAGE_OBJECT]).map(str.encode), st.binary(max_size=300)),
        (Malformed, Invalid, errors.PayloadTooLarge),
    ),
    Parser(
        "passerelle.heritage.service.parse:registration_json",
        st.one_of(mutated([HERITAGE_OBJECT]).map(str.encode), st.binary(max_size=300)),
        (Malformed, Invalid, errors.PayloadTooLarge),
    ),
    Parser(
        "passerelle.heritage.service.imaging:load",
        st.one_of(st.binary(max_size=300), _heritage_pngs),
        (Malformed, Invalid, errors.PayloadTooLarge),
    ),
    Parser("passerelle.heritage.service.common:parse_date", st.text(max_size=20)),
    # evidence (NAT session records of an access provider, the lookup query, the pools file)
    Parser(
        "passerelle.evidence.nat.parse:read_csv",
        st.one_of(mutated([NAT_CSV]).map(str.encode), st.binary(max_size=300)),
        (Malformed,),
    ),
    Parser(  # the order form's identifiers, one per line (ip ADDRESS PORT TIME)
        "passerelle.evidence.console_issue:parse_targets",
        st.one_of(
            st.text(max_size=200),
            st.lists(
                st.sampled_from(
                    [
                        "ip",
                        "email",
                        "phone",
                        "account",
                        "IP",
                        "x",
                        "192.0.2.1",
                        "443",
                        "2026-12-03T10:00",
                        "2026-13-45T99:99",
                        "a@b.example",
                        "+32470000000",
                        "\n",
                        " ",
                    ]
                ),
                max_size=12,
            ).map(" ".join),
        ),
        (Invalid,),
    ),
    Parser(  # the fast path: a table or None (the text path then gives the reasons)
        "passerelle.evidence.nat.columnar:read_typed",
        st.one_of(mutated([NAT_CSV]).map(str.encode), st.binary(max_size=300)),
        call=lambda fn, value: fn(value, NAT_CSV.split("\n", 1)[0].split(",")),
    ),
    Parser(
        "passerelle.evidence.nat.parse:read_syslog",
        st.one_of(mutated([NAT_SYSLOG]).map(str.encode), st.binary(max_size=300)),
    ),
    Parser(
        "passerelle.evidence.nat.lookup:parse_query",
        st.tuples(_nat_ip, _nat_port, _nat_time),
        (Malformed,),
        call=lambda fn, value: fn(*value),
    ),
    Parser(
        "passerelle.evidence.nat.pools:load_pools",
        files(".json", [NAT_POOLS]),
        (Malformed, Invalid),
    ),
    # dna
    Parser("passerelle.dna.csvio:read_rows", mutated([DNA_CSV]), (Malformed,)),
    Parser(
        "passerelle.dna.service.search:load_profiles",
        files(".csv", [DNA_CSV]),
        (Malformed, Invalid),
    ),
    Parser(
        "passerelle.dna.service.search:import_profiles",
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "profile_id",
                        "locus",
                        "allele_1",
                        "allele_2",
                        "allele_²",
                        "allele_3",
                        "single_source",
                    ]
                ),
                nasty,
            )
        ),
    ),
    Parser(
        "passerelle.dna.harmonise:parse_allele",
        st.tuples(
            st.one_of(nasty, mutated(["9.3", "17", "X"])),
            st.sampled_from(["TH01", "D3S1358", "AMEL", "Penta E"]),
        ),
        (Invalid,),
        lambda fn, args: fn(*args),
    ),
    Parser("passerelle.dna.stats:parse_frequency_table", mutated([FREQUENCIES]), (Invalid,)),
    # federation
    Parser("passerelle.federation.envelope:decode", envelopes(), (Malformed,)),
    Parser(
        "passerelle.federation.keys:parse_public",
        st.one_of(nasty, mutated(["MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="])),
        (Invalid,),
    ),
    Parser(
        "passerelle.federation.signatures:claimed_keyid",
        mutated(
            [
                'sig1=("@method" "@path" "content-digest");created=1767225600;keyid="BE";'
                'alg="ed25519"'
            ]
        ),
    ),
    # alerts (payloads received from peers)
    Parser(
        "passerelle.alerts.service.register:from_payload",
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "reference",
                    "created_at",
                    "reviewed_at",
                    "valid_until",
                    "status",
                    "category",
                ]
            ),
            json_values,
        ),
        (Invalid,),
    ),
    Parser(
        "passerelle.alerts.service.criteria:catalogue_from_payload",
        st.builds(
            lambda d, extra: {**d, **extra},
            st.fixed_dictionaries(
                {
                    "effective_from": st.sampled_from(["2026-01-01", "²"]),
                    "version": st.sampled_from([1, "²", "9" * 5000]),
                }
            ),
            st.dictionaries(st.sampled_from(["criteria", "note", "version"]), json_values),
        ),
        (Invalid,),
    ),
    # jit (tus 1.0 request headers; custody reports given to `jit evidence verify`)
    Parser(
        "passerelle.jit.service.uploads:parse_metadata",
        st.one_of(
            st.text(max_size=200),
            mutated(["jit SklULUZSLTE=,filename c2Nhbi5iaW4=", "handling SDI="]),
        ),
        (Malformed,),
    ),
    Parser(
        "passerelle.jit.service.uploads:parse_offset",
        st.one_of(st.none(), st.text(max_size=30), mutated(["0", "1048576", "9" * 5000])),
        (Malformed,),
    ),
    Parser(
        "passerelle.jit.service.uploads:parse_checksum",
        st.one_of(
            st.none(),
            st.text(max_size=80),
            mutated(["sha256 n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="]),
        ),
        (Malformed, errors.UsageError),
    ),
    Parser(
        "passerelle.jit.custody:parse_report",
        st.one_of(
            st.binary(max_size=300),
            mutated(['{"format": "passerelle-jit-custody/1", "entries": []}']).map(str.encode),
        ),
        (Malformed,),
    ),
]

#: Public functions whose name sounds like a parser but which read nothing from outside.
NOT_PARSERS = {
    "passerelle.financing.service.reports:import_files": "stores what parse_goaml and "
    "parse_csv (listed) read",
    "passerelle.financing.cli:import_": "CLI command: hands the files to reports.import_files",
    "passerelle.alerts.service.register:load_watchlist": "reads the node's own database",
    "passerelle.alerts.service.register:read": "reads one alert row by id (access-checked)",
    "passerelle.bulk.review:load_candidates": "stores what read_hits (listed) parsed",
    "passerelle.dna.bulk_compare:load_database": "indexes a dataset this node wrote itself",
    "passerelle.dna.api:import_profiles": "route: the body goes through read_rows (listed)",
    "passerelle.dna.cli:import_": "CLI command: the file goes through read_rows (listed)",
    "passerelle.dna.console:import_page": "console route rendering the import form",
    "passerelle.dna.stats:load_population": "bundled frequency tables (parse_frequency_table)",
    "passerelle.federation.api:read_query": "route: reads one query row by id",
    "passerelle.federation.api:read_followup": "route: reads one request row by id",
    "passerelle.federation.keys:load": "the node's own private key file",
    "passerelle.seed:load_demo_accounts": "the demo's own account file",
    "passerelle.cli.lazy:load_command": "imports a command module named in the code's own table",
    "passerelle.crisis.api:import_document": "route: the document goes through cap.parse (listed)",
    "passerelle.crisis.cli:import_": "CLI command: each file goes through cap.parse (listed)",
    "passerelle.crisis.console:import_page": "console route rendering the import form",
    "passerelle.crisis.console:import_post": "console route: the upload goes through cap.parse",
    "passerelle.crisis.service.feeds:import_bytes": "stores what cap.parse (listed) read",
    "passerelle.crisis.service.feeds:import_document": "stores what cap.parse (listed) read",
    "passerelle.crisis.service.feeds:import_many": "stores what cap.parse (listed) read",
    "passerelle.dna.service.retention:load_terms": "the operator's terms file, read at start-up",
    "passerelle.federation.api_sharing:read_approval": "route: reads one outgoing message by id",
    "passerelle.federation.approvals:read": "reads one outgoing message row by id (audited)",
    "passerelle.federation.quarantine:read": "reads one quarantined row by id (audited)",
    "passerelle.federation.api_sharing:read_quarantined": "route: reads one quarantined row by id",
    "passerelle.alerts.service.hits:read": "reads one hit report row by id (audited)",
    "passerelle.precursors.service.registers:load_catalogue": "stores rows the catalogue "
    "reader parsed (fuzzed in tests/precursors/test_parse.py)",
    "passerelle.precursors.service.licences:import_file": "stores the rows parse.licence_rows "
    "read (fuzzed above)",
    "passerelle.precursors.api:import_licences": "route: hands the body to licences.import_file",
    "passerelle.heritage.service.registry:read": "reads one object row by reference (audited)",
    "passerelle.jit.api:read_team": "route: reads one workspace by id (audited)",
    "passerelle.evidence.service.answers:read_file": "reads one answer file row by id (audited)",
}
_NAMES = ("parse", "read", "load", "decode", "tokenize", "import", "from_payload", "split_inter")


def _public_parsers() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        if any(part.startswith("_") and part != "__init__" for part in module.split(".")):
            continue
        for node in ast.parse(path.read_text()).body:
            is_def = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            if is_def and node.name.startswith(_NAMES):
                found.add(f"{module.removesuffix('.__init__')}:{node.name}")
    return found


def test_the_list_names_every_parser() -> None:
    listed = {p.name for p in PARSERS}
    assert sorted(_public_parsers() - listed - set(NOT_PARSERS)) == []
    assert sorted(set(NOT_PARSERS) - _public_parsers()) == []
    for parser in PARSERS:
        assert callable(parser.function()), parser.name
        assert all(issubclass(e, errors.PasserelleError) for e in parser.raises), parser.name


@pytest.mark.parametrize("parser", PARSERS, ids=[f"{i}-{p.name}" for i, p in enumerate(PARSERS)])
def test_no_input_gives_anything_but_the_parsers_typed_error(parser: Parser) -> None:
    fn = parser.function()

    @FUZZ
    @given(parser.inputs)
    def run(value: Any) -> None:
        try:
            parser.call(fn, value)
        except parser.raises as exc:
            assert exc.message.strip(), f"{parser.name}: a typed error without a reason"

    run()
