"""Synthetic passenger-data pushes for demos, tests and benchmarks (never real people).

Air: PNRGOV EDIFACT files, one message per flight, with UNA, UNG/UNE, released apostrophes
in names (D'HONDT), documents, seats, tickets, payments, history and the occasional
special-meal or wheelchair SSR that the sensitive-data filter must delete. Rail: one OSDM
``Booking`` JSON document per booking, valid against the bundled OSDM schema, Paris–Brussels
style routes with UIC station codes, reserved places and, sometimes, ``prmNeeds``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["SynthSummary", "osdm_booking", "pnrgov_message", "write_synthetic"]

_SURNAMES = (
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "LEFEBVRE",
    "MOREAU",
    "PEETERS",
    "JANSSENS",
    "MAES",
    "DE SMET",
    "VAN DAMME",
    "D'HONDT",
    "WILLEMS",
    "EL AMRANI",
    "BENALI",
    "HADDAD",
    "OUALI",
    "GARCIA",
    "FERNANDEZ",
    "DE VRIES",
    "VAN DEN BERG",
    "SMITH",
    "O'NEILL",
    "MERTENS",
    "CLAES",
)
_GIVEN = (
    ("JEAN", "M"),
    ("LUC", "M"),
    ("PIETER", "M"),
    ("YOUSSEF", "M"),
    ("KARIM", "M"),
    ("WOUTER", "M"),
    ("PABLO", "M"),
    ("THOMAS", "M"),
    ("MARIE", "F"),
    ("CAMILLE", "F"),
    ("LOTTE", "F"),
    ("FATIMA", "F"),
    ("SARA", "F"),
    ("ELS", "F"),
    ("LUCIA", "F"),
    ("CHLOE", "F"),
)
_AIRPORTS = ("CDG", "BRU", "ORY", "CRL", "NCE", "LYS", "MAD", "CMN", "AMS", "LHR", "TLS")
_CARRIERS = ("AF", "SN", "IB", "AT", "KL", "BA", "TO")
_STATIONS = (
    ("urn:uic:stn:8727100", "Paris Nord"),
    ("urn:uic:stn:8814001", "Bruxelles-Midi"),
    ("urn:uic:stn:8722326", "Lille Europe"),
    ("urn:uic:stn:8821006", "Antwerpen-Centraal"),
    ("urn:uic:stn:8841004", "Liège-Guillemins"),
    ("urn:uic:stn:8711184", "Marne-la-Vallée"),
)
_RAIL_CARRIERS = ("urn:uic:rics:1187", "urn:uic:rics:1088")
_SENSITIVE_SSR = ("MOML", "KSML", "WCHR", "DBML")
_PRM = ("WHEELCHAIR", "ASSISTANCE_AT_STATION")
_COUNTRIES = ("FRA", "BEL", "ESP", "MAR", "NLD", "GBR")
_PNRS_PER_FLIGHT = 40


@dataclass(slots=True)
class SynthSummary:
    """What :func:`write_synthetic` wrote."""

    air_files: list[Path] = field(default_factory=list)
    rail_files: list[Path] = field(default_factory=list)
    air_pnrs: int = 0
    air_passengers: int = 0
    rail_bookings: int = 0
    rail_passengers: int = 0


def _release(text: str) -> str:
    """Escape EDIFACT service characters with the release character ``?``."""
    for ch in "?'+:*":
        text = text.replace(ch, "?" + ch)
    return text


def _locator(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


def _person(rng: random.Random) -> tuple[str, str, str, datetime]:
    given, gender = rng.choice(_GIVEN)
    birth = datetime(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    return rng.choice(_SURNAMES), given, gender, birth


def pnrgov_message(rng: random.Random, pnrs: int, ref: int = 1) -> tuple[str, int]:
    """One PNRGOV interchange for one flight with ``pnrs`` PNRs; returns (text, passengers)."""
    carrier, number = rng.choice(_CARRIERS), str(rng.randrange(100, 9999))
    origin, destination = rng.sample(_AIRPORTS, 2)
    dep = datetime(2026, 1, 1) + timedelta(minutes=rng.randrange(0, 365 * 24 * 60, 5))
    d, t, arr = dep.strftime("%d%m%y"), dep.strftime("%H%M"), dep + timedelta(minutes=95)
    tvl = f"TVL+{d}:{t}:{arr:%d%m%y}:{arr:%H%M}+{origin}+{destination}+{carrier}+{number}"
    seg = ["MSG+:22", f"ORG+{carrier}:{origin}", tvl, f"EQN+{pnrs}"]
    travellers = 0
    for _ in range(pnrs):
        created = dep - timedelta(days=rng.randrange(2, 90))
        seg += [
            "SRC",
            f"RCI+{carrier}:{_locator(rng)}::{created:%d%m%y}:{created:%H%M}",
            f"DAT+700:{created:%d%m%y}:{created:%H%M}",
            f"ORG+{carrier}:{origin}+12345678:PAR",
        ]
        count = rng.choice((1, 1, 1, 2, 2, 3, 4))
        seats = []
        for i in range(1, count + 1):
            surname, given, gender, birth = _person(rng)
            title = "MR" if gender == "M" else "MRS"
            issuer, nationality = rng.choice(_COUNTRIES), rng.choice(_COUNTRIES)
            expiry = dep + timedelta(days=900)
            doc = f"/P/{issuer}/{rng.randrange(10**8, 10**9)}/{nationality}/{birth:%d%b%y}"
            doc = f"{doc}/{gender}/{expiry:%d%b%y}/{surname}/{given}".upper()
            email = f"{given}.{surname.replace(' ', '')}//EXAMPLE.ORG".replace("'", "")
            seg += [
                f"TIF+{_release(surname)}+{given}{title}:A:{i}",
                f"FTI+{carrier}:{rng.randrange(10**8, 10**9)}",
                f"IFT+4:28::{carrier}+CTCE {email}",
                f"SSR+DOCS:HK:1:{carrier}:::::{_release(doc)}+::{i}",
                f"TKT+057{rng.randrange(10**9, 10**10)}:T:1",
                f"MON+T:{rng.randrange(80, 900)}.00:EUR",
                f"DAT+710:{created:%d%m%y}:{created:%H%M}",
            ]
            if rng.random() < 0.08:
                seg.append(f"SSR+{rng.choice(_SENSITIVE_SSR)}:HK:1:{carrier}+::{i}")
            seats.append(f"{rng.randrange(1, 40)}{rng.choice('ABCDEF')}::{i}")
        seg += [
            f"FOP+CC:::VI:XXXXXXXXXXXX{rng.randrange(1000, 9999)}:1228",
            f"IFT+4:43+{_release(surname)} {given}+1 RUE DE LA LOI BRUXELLES",
        ]
        seg += [
            tvl + ":Y",
            "RPI+1+HK",
            f"SSR+SEAT:HK:{count}:{carrier}:::{origin}:{destination}+" + "+".join(seats),
        ]
        if rng.random() < 0.3:
            seg += [
                "ABI+1+:PARRR+PAR++" + carrier,
                f"DAT+ZT:{created:%d%m%y}:{created:%H%M}",
                "SAC+++A",
                tvl + ":Y",
            ]
        travellers += count
    body = "'\n".join(seg)
    stamp = f"{dep - timedelta(hours=48):%y%m%d:%H%M}"
    text = (
        "UNA:+.?*'\n"
        f"UNB+IATA:1+{carrier}+PIUFR+{stamp}+{ref}'\n"
        f"UNG+PNRGOV+{carrier}+PIUFR+{stamp}+{ref}+IA+13:1'\n"
        f"UNH+{ref}+PNRGOV:13:1:IA+{carrier}{number}/{d}'\n"
        f"{body}'\nUNT+{len(seg) + 2}+{ref}'\nUNE+1+{ref}'\nUNZ+1+{ref}'\n"
    )
    return text, travellers


def osdm_booking(rng: random.Random, index: int = 0) -> dict[str, Any]:
    """One OSDM Booking document (valid against the bundled OSDM 3.9 schema)."""
    (o_ref, o_name), (d_ref, d_name) = rng.sample(_STATIONS, 2)
    dep = datetime(2026, 1, 1, 6) + timedelta(minutes=rng.randrange(0, 365 * 24 * 60, 15))
    arr = dep + timedelta(minutes=rng.choice((82, 95, 120)))
    created = dep - timedelta(days=rng.randrange(1, 60))
    iso = "%Y-%m-%dT%H:%M:%S+01:00"
    booking_id = f"B{index:08d}{rng.randrange(16**6):06x}"
    passengers: list[dict[str, Any]] = []
    places: list[dict[str, Any]] = []
    for i in range(rng.choice((1, 1, 2, 2, 3))):
        surname, given, gender, birth = _person(rng)
        pid = f"{booking_id}-P{i + 1}"
        pax: dict[str, Any] = {
            "id": pid,
            "externalRef": pid,
            "type": "PERSON",
            "dateOfBirth": f"{birth:%Y-%m-%d}",
            "gender": "MALE" if gender == "M" else "FEMALE",
            "detail": {
                "firstName": given.title(),
                "lastName": surname.title(),
                "email": f"{given.lower()}.{surname.lower().replace(' ', '')}@example.org".replace(
                    "'", ""
                ),
                "phoneNumber": f"+32470{rng.randrange(100000, 999999)}",
            },
            "identificationCard": {
                "id": f"{rng.choice('ABCDEFGH')}{rng.randrange(10**7, 10**8)}",
                "type": "PASSPORT",
                "nationality": rng.choice(("FR", "BE", "NL", "ES", "MA")),
                "issuingCountryCode": rng.choice(("FR", "BE")),
                "expirationDate": f"{dep + timedelta(days=1200):%Y-%m-%d}",
            },
        }
        if rng.random() < 0.05:
            pax["prmNeeds"] = [rng.choice(_PRM)]
        passengers.append(pax)
        places.append(
            {
                "id": f"{pid}-S",
                "passengerIds": [pid],
                "vehicleNumber": "9316",
                "coachNumber": str(rng.randrange(1, 19)),
                "placeNumbers": [str(rng.randrange(11, 98))],
            }
        )
    train = str(rng.randrange(9100, 9499))
    leg = {
        "id": "L1",
        "timedLeg": {
            "start": {
                "stopPlaceRef": {"objectType": "StopPlaceRef", "stopPlaceRef": o_ref},
                "stopPlaceName": o_name,
                "serviceDeparture": {"timetabledTime": dep.strftime(iso)},
            },
            "end": {
                "stopPlaceRef": {"objectType": "StopPlaceRef", "stopPlaceRef": d_ref},
                "stopPlaceName": d_name,
                "serviceArrival": {"timetabledTime": arr.strftime(iso)},
            },
            "service": {
                "vehicleNumbers": [train],
                "carriers": [{"ref": rng.choice(_RAIL_CARRIERS)}],
            },
        },
    }
    price = {"currency": "EUR", "amount": rng.randrange(2900, 24900), "scale": 2}
    reservation = {
        "objectType": "Reservation",
        "id": f"{booking_id}-R1",
        "createdOn": created.strftime(iso),
        "validFrom": dep.strftime(iso),
        "price": price,
        "status": "CONFIRMED",
        "passengerIds": [p["id"] for p in passengers],
        "refundable": "NO",
        "exchangeable": "NO",
        "placeAllocation": {
            "accommodationType": "SEAT",
            "accommodationSubType": "ANY_SEAT",
            "reservedPlaces": places,
            "tripLegCoverage": {"tripId": "T1", "legId": "L1"},
        },
    }
    return {
        "id": booking_id,
        "bookingCode": _locator(rng),
        "createdOn": created.strftime(iso),
        "passengers": passengers,
        "purchaser": {
            "detail": {
                "firstName": passengers[0]["detail"]["firstName"],
                "lastName": passengers[0]["detail"]["lastName"],
                "email": passengers[0]["detail"]["email"],
            }
        },
        "trips": [
            {
                "id": "T1",
                "duration": f"PT{int((arr - dep).total_seconds() // 60)}M",
                "startTime": dep.strftime(iso),
                "endTime": arr.strftime(iso),
                "transfers": 0,
                "legs": [leg],
            }
        ],
        "bookedOffers": [{"offerId": f"{booking_id}-O1", "reservations": [reservation]}],
        "fulfillments": [
            {
                "id": f"{booking_id}-F1",
                "status": "FULFILLED",
                "bookingRef": booking_id,
                "createdOn": created.strftime(iso),
                "controlNumber": f"{rng.randrange(10**9, 10**10)}",
            }
        ],
        "paymentMethods": [{"type": rng.choice(("CREDIT_CARD", "DEBIT_CARD", "CASH"))}],
    }


def write_synthetic(
    out_dir: str | Path, air: int = 0, rail: int = 0, seed: int = 0
) -> SynthSummary:
    """Write ``air`` synthetic air PNRs (PNRGOV files of up to 40 PNRs, one per flight) and
    ``rail`` OSDM Booking documents (one JSON file each) into ``out_dir``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    out = Path(out_dir)
    (out / "air").mkdir(parents=True, exist_ok=True)
    (out / "rail").mkdir(parents=True, exist_ok=True)
    summary = SynthSummary()
    left, ref = air, 1
    while left > 0:
        n = min(left, rng.randrange(_PNRS_PER_FLIGHT // 2, _PNRS_PER_FLIGHT + 1))
        text, travellers = pnrgov_message(rng, n, ref)
        path = out / "air" / f"pnrgov-{ref:06d}.edi"
        path.write_text(text, encoding="utf-8")
        summary.air_files.append(path)
        summary.air_pnrs += n
        summary.air_passengers += travellers
        left, ref = left - n, ref + 1
    for i in range(rail):
        doc = osdm_booking(rng, i)
        path = out / "rail" / f"osdm-{i:07d}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        summary.rail_files.append(path)
        summary.rail_bookings += 1
        summary.rail_passengers += len(doc["passengers"])
    return summary
