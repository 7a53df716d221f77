"""Regulatory and technical constants of the financing domain, each with its source.

Values marked ``UNVERIFIED`` were not checked against a primary text and must be reviewed by
each country before production use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

AMLD = "Directive (EU) 2015/849"

#: Records of suspicious-transaction reports are kept five years. Art. 40(1) of Directive
#: (EU) 2015/849 (as amended by Directive (EU) 2018/843) obliges the reporting entities to keep
#: due-diligence documents and transaction records "for a period of five years" after the end
#: of the business relationship or the occasional transaction, after which personal data is
#: deleted unless national law provides otherwise; Member States may allow or require a
#: further retention of at most five more years (art. 40(1), third subparagraph). The directive
#: sets no period for the FIUs themselves (art. 41 refers to Regulation (EU) 2016/679 and
#: national law): the node applies the same five years, counted from the report's date.
#: Checked 2026-12-03 against the consolidated text (CELEX 02015L0849-20210630, art. 40).
RETENTION = timedelta(days=5 * 365 + 1)
RETENTION_MAX = timedelta(days=10 * 365 + 2)
RETENTION_SOURCE = f"{AMLD} art. 40(1) (five years; at most five more by national law)"

#: Quarantined input is kept only to be corrected and re-imported (project choice).
QUARANTINE_RETENTION = timedelta(days=30)
QUARANTINE_SOURCE = "Regulation (EU) 2016/679 art. 5(1)(e) (storage limitation); project choice"

#: FIU-to-FIU exchange: spontaneous and upon-request exchange of information.
EXCHANGE_SOURCE = f"{AMLD} art. 52-53 (cooperation between FIUs)"
FIU_SOURCE = f"{AMLD} art. 32 (FIU: receipt and analysis of suspicious-transaction reports)"
PURPOSE = "terrorism financing: analysis of suspicious-transaction reports"
LEGAL_BASIS = f"{AMLD} art. 32, 33, 53"

#: The FATF typologies each flow rule comes from.
FATF_TF_RISK = "FATF, Terrorist Financing Risk Assessment Guidance (July 2019)"
FATF_TF_TYPOLOGIES = "FATF, Emerging Terrorist Financing Risks (October 2015)"
FATF_ML_TF_INDICATORS = "FATF, Money Laundering and Terrorist Financing Red Flag Indicators"
FATF_VA_INDICATORS = (
    "FATF, Virtual Assets Red Flag Indicators of Money Laundering and Terrorist Financing "
    "(September 2020)"
)
FATF_ART = "FATF, Money Laundering and Terrorist Financing in the Art and Antiquities Market (2023)"


@dataclass(frozen=True)
class FlowRule:
    code: str
    label: str
    explanation: str
    source: str


#: The money-flow patterns: fixed rules, never learned.
FLOW_RULES: dict[str, FlowRule] = {
    r.code: r
    for r in (
        FlowRule(
            "fan_in",
            "Fan-in",
            "Many different accounts pay into one account within the window (collection of "
            "small donations or funnel account).",
            f"{FATF_TF_TYPOLOGIES}, section on fundraising; {FATF_ML_TF_INDICATORS}",
        ),
        FlowRule(
            "fan_out",
            "Fan-out",
            "One account pays many different accounts within the window (dispersal).",
            f"{FATF_TF_TYPOLOGIES}; {FATF_ML_TF_INDICATORS}",
        ),
        FlowRule(
            "round_trip",
            "Round trip",
            "Money leaves an account and comes back to it through two to four other accounts.",
            FATF_ML_TF_INDICATORS,
        ),
        FlowRule(
            "quick_chain",
            "Chain of quick transfers",
            "Money passes through three or more accounts, each paying on within hours of being "
            "paid, for a similar amount (pass-through accounts).",
            f"{FATF_ML_TF_INDICATORS}; {FATF_VA_INDICATORS} (rapid movement of funds)",
        ),
        FlowRule(
            "structuring",
            "Splitting under the threshold",
            "Several payments by one account, each just under the reporting threshold, whose "
            "total exceeds it within the window.",
            f"{FATF_ML_TF_INDICATORS} (structuring); {AMLD} art. 11(b) (EUR 15 000 threshold)",
        ),
        FlowRule(
            "shared_address",
            "Many accounts, one address or device",
            "Several accounts of different holders share one postal address or one device.",
            f"{FATF_TF_RISK}; {FATF_VA_INDICATORS} (IP addresses and devices)",
        ),
        FlowRule(
            "listed_person",
            "Link to a listed person",
            "An account paid or was paid by an account held by a person on a list the node holds.",
            f"{FATF_TF_RISK}; UN Security Council resolution 1373 (2001)",
        ),
        FlowRule(
            "art_dealer",
            "Link to a cultural-goods dealer",
            "An account paid or was paid by an account of a dealer on the node's dealer list.",
            FATF_ART,
        ),
    )
}

#: Threshold of occasional transactions needing due diligence (art. 11(b)(i)).
STRUCTURING_THRESHOLD = 15_000.0
#: Just under: 80 % to 100 % of the threshold (project choice, UNVERIFIED against practice).
STRUCTURING_BAND = 0.8
STRUCTURING_MIN_PAYMENTS = 3
FAN_MIN_COUNTERPARTS = 10
WINDOW = timedelta(days=30)
QUICK_HOURS = 24
QUICK_MIN_HOPS = 3
QUICK_AMOUNT_RATIO = 0.8
SHARED_MIN_ACCOUNTS = 3

#: goAML multi-party transactions (``involved_parties/party/role``): the schema leaves party
#: roles to each FIU's lookup tables (goAML schema 4.0/5.0, ``t_party``; UNODC goAML), so these
#: are the codes this node reads as the sending and the receiving side (project choice,
#: UNVERIFIED against the Belgian and French FIUs' lookups; other roles are parties only).
GOAML_SENDING_ROLES = frozenset({"FROM", "SENDER", "ORDERING", "ORDERER", "PAYER", "DEBTOR", "SND"})
GOAML_RECEIVING_ROLES = frozenset(
    {"TO", "RECEIVER", "BENEFICIARY", "PAYEE", "CREDITOR", "BEN", "RCV"}
)

#: Crypto-asset address formats validated.
BITCOIN_BASE58_SOURCE = "Bitcoin BIP-13 (P2SH), Base58Check (Bitcoin wiki)"
BECH32_SOURCE = "Bitcoin BIP-173 (bech32) and BIP-350 (bech32m)"
EIP55_SOURCE = "Ethereum EIP-55 (mixed-case checksum address encoding)"
