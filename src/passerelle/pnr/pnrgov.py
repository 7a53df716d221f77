"""PNRGOV EDIFACT messages → normalised bookings (PNRs) and passengers.

The message is read as the segment groups of the IATA/WCO/ICAO PNRGOV guide: MSG, ORG, TVL
(the flight), EQN, then one group per PNR from SRC: RCI, DAT, ORG, ADD, IFT, EBD; passengers
at TIF (FTI, IFT, REF, FAR, SSR, TKT/MON/PTK/TXD/DAT, FOP/IFT/ADD); itinerary at TVL (RPI,
APD, SSR); check-in and seats at TRI (TIF, SSD, TBD); split PNR at EQN; history at ABI
(DAT, SAC, TIF, SSR, TVL, IFT); free text at LTS.

Data outside Annex I are not kept and are counted per segment tag; sensitive SSR codes and
remarks are deleted on receipt and counted (art. 13(4)). What cannot be placed (a passenger
before any SRC, a PNR without record locator) is returned for quarantine with its raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from passerelle.digits import to_int
from passerelle.pnr import fields, rules
from passerelle.pnr.attach import add_document, add_seat, find_passenger, place_infant_documents
from passerelle.pnr.edifact import InvalidSegment, Message, Segment
from passerelle.pnr.normalised import (
    Contact,
    HistoryEntry,
    Journey,
    ParsedBooking,
    Passenger,
    SpecialService,
    Ticket,
    sanitise,
)

__all__ = ["PnrgovResult", "parse_pnrgov", "repair_glued"]


@dataclass(slots=True)
class PnrgovResult:
    """Bookings read from one message, with what went to quarantine and why."""

    bookings: list[ParsedBooking] = field(default_factory=list)
    quarantined: list[InvalidSegment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    journey: Journey | None = None
    declared_pnrs: int | None = None


def repair_glued(body: list[Segment], warnings: list[str]) -> list[Segment]:
    """Split segments whose terminator is missing: ``RPI+1+HKIFT+4:19+TEXT`` → RPI, IFT."""
    out: list[Segment] = []
    for seg in body:
        while True:
            cut = _glue_point(seg)
            if cut is None:
                out.append(seg)
                break
            head = seg.elements[cut][0]
            tag = head[-3:]
            warnings.append(f"segment {seg.number}: terminator missing before {tag}, split")
            out.append(Segment.of(seg.tag, [*seg.elements[:cut], [head[:-3]]], seg.number, seg.raw))
            seg = Segment.of(tag, seg.elements[cut + 1 :], seg.number, seg.raw)
    return out


def _glue_point(seg: Segment) -> int | None:
    last = len(seg.elements) - 1
    for i, element in enumerate(seg.elements):
        if i < last and len(element) == 1:
            value = element[0]
            if len(value) > 3 and value[-3:] in rules.PNRGOV_TAGS and value[-4] != " ":
                return i
    return None


class _Reader:
    """A state machine over the segments of one PNRGOV message."""

    def __init__(self) -> None:
        self.result = PnrgovResult()
        self.booking: ParsedBooking | None = None
        self.group: list[Segment] = []
        self.ctx = "header"
        self.pax: Passenger | None = None
        self.seat_pax: Passenger | None = None
        self.history_action = ""
        self.history_when: str | None = None
        self.fare_calc = ""

    # -- PNR boundaries -------------------------------------------------------------------
    def start_pnr(self, seg: Segment) -> None:
        self.finish_pnr()
        self.booking = ParsedBooking(mode="air", record_locator="", journey=self.result.journey)
        self.group = [seg]
        self.ctx, self.pax, self.seat_pax = "pnr", None, None

    def finish_pnr(self) -> None:
        booking = self.booking
        if booking is None:
            return
        if not booking.record_locator:
            first = self.group[0]
            raw = "'".join(s.raw for s in self.group)
            self.result.quarantined.append(
                InvalidSegment(first.number, raw, "PNR without RCI record locator")
            )
        else:
            place_infant_documents(booking)
            sanitise(booking)
            self.result.bookings.append(booking)
        self.booking = None

    # -- dispatch -------------------------------------------------------------------------
    def feed(self, seg: Segment) -> None:
        tag = seg.tag
        if tag == "SRC":
            self.start_pnr(seg)
            return
        booking = self.booking
        if booking is None:
            self.header(seg)
            return
        self.group.append(seg)
        if self.ctx == "history" and tag in ("TIF", "SSR", "TVL", "IFT", "RCI", "RPI", "ADD"):
            self.history(seg, booking)
            return
        handler = getattr(self, "seg_" + tag, None)
        if handler is None:
            booking.dropped.outside_annex[tag] += 1
        else:
            handler(seg, booking)

    def header(self, seg: Segment) -> None:
        tag = seg.tag
        if tag == "TVL" and self.result.journey is None:
            leg = fields.leg_from_tvl(seg)
            if leg is not None:
                self.result.journey = Journey(
                    "air",
                    leg.carrier,
                    leg.number,
                    leg.origin,
                    leg.destination,
                    leg.departure,
                    leg.arrival,
                )
        elif tag == "EQN":
            self.result.declared_pnrs = to_int(seg.get(0))
        elif tag in ("TIF", "RCI", "SSR", "TKT", "FOP"):
            self.result.quarantined.append(
                InvalidSegment(
                    seg.number, seg.raw, f"{tag} before any SRC (no PNR to attach it to)"
                )
            )

    # -- PNR level ------------------------------------------------------------------------
    def seg_RCI(self, seg: Segment, b: ParsedBooking) -> None:
        locators = [f"{e[0]}:{e[1]}" if len(e) > 1 else e[0] for e in seg.elements if e]
        if self.ctx == "split":
            b.split_locators.extend(x.split(":", 1)[-1] for x in locators if x)
            return
        if b.record_locator:
            return
        b.system = seg.get(0, 0)
        b.record_locator = seg.get(0, 1) or seg.get(0, 0)
        b.created = fields.ddmmyy(seg.get(0, 3), seg.get(0, 4))
        b.other_locators = [x for x in locators[1:] if x]

    def seg_DAT(self, seg: Segment, b: ParsedBooking) -> None:
        for element in seg.elements:
            qualifier = element[0] if element else ""
            when = fields.ddmmyy(
                element[1] if len(element) > 1 else "", element[2] if len(element) > 2 else ""
            )
            if qualifier == "710" and self.pax and self.pax.tickets:
                self.pax.tickets[-1].issued = self.pax.tickets[-1].issued or when
            elif qualifier == "700" and b.created is None:
                b.created = when

    def seg_ORG(self, seg: Segment, b: ParsedBooking) -> None:
        if not b.agency:
            b.agency = ":".join(x for x in seg.elements[1] if x) if len(seg.elements) > 1 else ""

    def seg_ADD(self, seg: Segment, b: ParsedBooking) -> None:
        parts = [p.strip() for p in (seg.elements[1] if len(seg.elements) > 1 else [])]
        if not parts:
            return
        address = ", ".join(p for p in parts[1:7] if p)
        contacts: list[Contact] = []
        if address:
            contacts.append(Contact("address", address))
        if len(parts) > 7 and parts[7]:
            contacts.append(Contact("phone", parts[7]))
        if self.ctx == "fop" and b.payments:
            b.payments[-1].billing_address = address
        elif self.pax is not None and self.ctx in ("pax", "ticket"):
            self.pax.contacts.extend(contacts)
        else:
            b.contacts.extend(contacts)

    def seg_IFT(self, seg: Segment, b: ParsedBooking) -> None:
        qualifier = seg.get(0, 1)
        texts = [" ".join(e).strip() for e in seg.elements[1:]]
        text = " ".join(t for t in texts if t)
        if self.ctx == "fop" and b.payments and qualifier == "43":
            payment = b.payments[-1]
            payment.holder = texts[0] if texts else ""
            payment.billing_address = " ".join(texts[1:]).strip()
            return
        if qualifier == "15":  # automated fare quote, item 13
            self.fare_calc = text
            return
        contact = fields.contact_from_text(text)
        if contact is not None:
            (self.pax.contacts if self.pax and self.ctx == "pax" else b.contacts).append(contact)
            return
        category = rules.sensitive_text_category(text)
        if category:
            b.dropped.sensitive[f"text_{category}"] += 1
        elif "UMNR" in text.upper() and self.pax is not None:
            self.pax.remarks.append(text)
        elif text:
            b.dropped.outside_annex["IFT"] += 1

    def seg_EBD(self, seg: Segment, b: ParsedBooking) -> None:
        count = to_int(seg.get(1, 0), rules.MAX_BAG_DIGITS)
        if self.pax is not None and count is not None:
            self.pax.bags = max(self.pax.bags, count)

    def seg_EQN(self, seg: Segment, b: ParsedBooking) -> None:
        self.ctx = "split"

    def seg_LTS(self, seg: Segment, b: ParsedBooking) -> None:
        category = rules.sensitive_text_category(seg.get(0))
        if category:
            b.dropped.sensitive[f"text_{category}"] += 1
        else:
            b.dropped.outside_annex["LTS"] += 1

    # -- passengers -----------------------------------------------------------------------
    def seg_TIF(self, seg: Segment, b: ParsedBooking) -> None:
        surname = seg.get(0, 0).strip()
        given_raw = " ".join(e[0] for e in seg.elements[1:] if e and e[0]).strip()
        given, title = fields.split_title(given_raw)
        ref = seg.get(1, 2).strip()
        if seg.get(0, 1) == "G":  # the name of a group booking, not a traveller
            b.group_name = surname
            return
        if self.ctx == "seat":
            self.seat_pax = find_passenger(b.passengers, ref, surname, given)
            if self.seat_pax is not None:
                self.seat_pax.travel_status = "checked-in"
            return
        self.pax = Passenger(surname, given, title, ref, seg.get(1, 1).strip())
        b.passengers.append(self.pax)
        self.ctx = "pax"

    def seg_FTI(self, seg: Segment, b: ParsedBooking) -> None:
        if self.pax is not None:
            number = f"{seg.get(0, 0)} {seg.get(0, 1)}".strip()
            if number and number not in self.pax.frequent_flyer:
                self.pax.frequent_flyer.append(number)

    def seg_TKT(self, seg: Segment, b: ParsedBooking) -> None:
        if self.pax is not None:
            self.pax.tickets.append(Ticket(number=seg.get(0, 0), fare_calculation=self.fare_calc))
            self.fare_calc = ""
            self.ctx = "ticket"

    def seg_MON(self, seg: Segment, b: ParsedBooking) -> None:
        if self.pax is None or not self.pax.tickets:
            return
        ticket = self.pax.tickets[-1]
        for element in seg.elements:
            if element and element[0] in ("T", "B") and len(element) > 1:
                ticket.amount = element[1]
                ticket.currency = element[2] if len(element) > 2 else ""

    def seg_PTK(self, seg: Segment, b: ParsedBooking) -> None:
        if self.pax is not None and self.pax.tickets:
            ticket = self.pax.tickets[-1]
            ticket.issued = ticket.issued or fields.ddmmyy(seg.get(2, 0), seg.get(2, 1))

    def seg_FOP(self, seg: Segment, b: ParsedBooking) -> None:
        b.payments.append(fields.payment_from_fop(seg))
        self.ctx = "fop"

    def seg_SSR(self, seg: Segment, b: ParsedBooking) -> None:
        code = seg.get(0, 0).strip().upper()
        category = rules.sensitive_ssr_category(code)
        if category:
            b.dropped.sensitive[f"ssr_{category}"] += 1
            return
        ref = seg.get(1, 2).strip()
        text = seg.get(0, 8)
        pax = find_passenger(b.passengers, ref, "", "") if ref else self.pax
        if code in ("DOCS", "DOCA", "DOCO"):
            if pax is None:
                b.dropped.outside_annex["SSR " + code] += 1
            elif code == "DOCS":
                add_document(pax, text)
            elif code == "DOCA" and text.strip():
                pax.contacts.append(Contact("address", text.strip().strip("/")))
            return
        if code == "SEAT":
            for element in seg.elements[1:]:
                target = find_passenger(
                    b.passengers, element[2] if len(element) > 2 else "", "", ""
                )
                if target is not None and element[0]:
                    add_seat(target, element[0], len(b.legs) - 1 if b.legs else None)
            return
        item = rules.KEPT_SSR.get(code)
        if item is None:
            b.dropped.outside_annex["SSR " + code] += 1
            return
        if pax is None:
            pax = b.passengers[0] if b.passengers else None
        if pax is not None:
            pax.services.append(SpecialService(code, seg.get(0, 1), text.strip(), item))

    # -- itinerary, seats, history --------------------------------------------------------
    def seg_TVL(self, seg: Segment, b: ParsedBooking) -> None:
        leg = fields.leg_from_tvl(seg)
        if leg is not None:
            b.legs.append(leg)
        self.ctx = "leg"

    def seg_RPI(self, seg: Segment, b: ParsedBooking) -> None:
        if b.legs and self.ctx == "leg":
            b.legs[-1].status = seg.get(1, 0)

    def seg_TRI(self, seg: Segment, b: ParsedBooking) -> None:
        self.ctx, self.seat_pax = "seat", None

    def seg_SSD(self, seg: Segment, b: ParsedBooking) -> None:
        if self.seat_pax is not None and seg.get(0, 0):
            add_seat(self.seat_pax, seg.get(0, 0), len(b.legs) - 1 if b.legs else None)

    def seg_TBD(self, seg: Segment, b: ParsedBooking) -> None:
        pax = self.seat_pax or self.pax
        count, weight = to_int(seg.get(1, 0), rules.MAX_BAG_DIGITS), seg.get(1, 1)
        if pax is not None and count is not None:
            pax.bags = max(pax.bags, count)
            pax.bag_weight = weight

    def seg_ABI(self, seg: Segment, b: ParsedBooking) -> None:
        self.ctx, self.history_when, self.history_action = "history", None, ""

    def seg_SAC(self, seg: Segment, b: ParsedBooking) -> None:
        self.history_action = seg.get(2, 0)

    def history(self, seg: Segment, b: ParsedBooking) -> None:
        what = seg.tag
        if seg.tag == "SSR":
            what = "SSR " + seg.get(0, 0)
            category = rules.sensitive_ssr_category(seg.get(0, 0))
            if category:
                b.dropped.sensitive[f"history_{category}"] += 1
                return
        text = "+".join(":".join(e) for e in seg.elements)
        b.history.append(HistoryEntry(self.history_action, self.history_when, what, text))

    def seg_MSG(self, seg: Segment, b: ParsedBooking) -> None:
        b.dropped.outside_annex["MSG"] += 1


def parse_pnrgov(message: Message) -> PnrgovResult:
    """Read one PNRGOV message into bookings; never raises on content."""
    reader = _Reader()
    body = repair_glued(message.body, reader.result.warnings)
    for seg in body:
        if seg.tag == "DAT" and reader.ctx == "history":
            reader.history_when = fields.ddmmyy(seg.get(0, 1), seg.get(0, 2))
            continue
        reader.feed(seg)
    reader.finish_pnr()
    result = reader.result
    if result.declared_pnrs is not None and result.declared_pnrs != len(result.bookings):
        result.warnings.append(
            f"EQN declares {result.declared_pnrs} PNRs, message holds {len(result.bookings)}"
        )
    return result
