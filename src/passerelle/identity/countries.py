"""Country codes for nationality and issuing state: ISO 3166-1 alpha-2/alpha-3 and ICAO specials.

ICAO Doc 9303 Part 3 (section 5) uses ISO 3166-1 alpha-3 codes in the MRZ, plus a few codes of
its own (``D`` for Germany, the British nationality categories, UN and stateless/refugee
codes). Inputs to the engine may use either alpha-2 or alpha-3; both normalise to alpha-3 so
that ``BE``, ``BEL`` and ``bel`` compare equal.
"""

from __future__ import annotations

from functools import lru_cache

# ISO 3166-1 pairs, alpha-2 followed by alpha-3 (public standard; list taken from the ISO
# 3166-1 table as distributed with the Faker package, MIT, plus a few territories).
_ISO_PAIRS = """
ADAND AEARE AFAFG AGATG ALALB AMARM AOAGO ARARG ATAUT AUAUS AWABW AZAZE BABIH BBBRB BDBGD
BEBEL BFBFA BGBGR BHBHR BIBDI BJBEN BMBMU BNBRN BOBOL BRBRA BSBHS BTBTN BWBWA BYBLR BZBLZ
CACAN CDCOD CFCAF CGCOG CHCHE CICIV CLCHL CMCMR CNCHN COCOL CRCRI CUCUB CVCPV CWCUW CYCYP
CZCZE DEDEU DJDJI DKDNK DMDMA DODOM DZDZA ECECU EEEST EGEGY ERERI ESESP ETETH FIFIN FJFJI
FMFSM FOFRO FRFRA GAGAB GBGBR GDGRD GEGEO GFGUF GGGGY GHGHA GIGIB GLGRL GMGMB GNGIN GPGLP
GQGNQ GRGRC GTGTM GWGNB GYGUY HKHKG HNHND HRHRV HTHTI HUHUN IDIDN IEIRL ILISR IMIMN ININD
IQIRQ IRIRN ISISL ITITA JEJEY JMJAM JOJOR JPJPN KEKEN KGKGZ KHKHM KIKIR KMCOM KNKNA KPPRK
KRKOR KWKWT KYCYM KZKAZ LALAO LBLBN LCLCA LILIE LKLKA LRLBR LSLSO LTLTU LULUX LVLVA LYLBY
MAMAR MCMCO MDMDA MEMNE MGMDG MHMHL MKMKD MLMLI MMMMR MNMNG MOMAC MQMTQ MRMRT MTMLT MUMUS
MVMDV MWMWI MXMEX MYMYS MZMOZ NANAM NCNCL NENER NGNGA NINIC NLNLD NONOR NPNPL NRNRU NZNZL
OMOMN PAPAN PEPER PFPYF PGPNG PHPHL PKPAK PLPOL PRPRI PSPSE PTPRT PWPLW PYPRY QAQAT REREU
ROROU RSSRB RURUS RWRWA SASAU SBSLB SCSYC SDSDN SESWE SGSGP SISVN SKSVK SLSLE SMSMR SNSEN
SOSOM SRSUR SSSSD STSTP SVSLV SYSYR SZSWZ TDTCD TGTGO THTHA TJTJK TLTLS TMTKM TNTUN TOTON
TRTUR TTTTO TVTUV TWTWN TZTZA UAUKR UGUGA USUSA UYURY UZUZB VAVAT VCVCT VEVEN VNVNM VUVUT
WSWSM YEYEM YTMYT ZAZAF ZMZMB ZWZWE
"""

ALPHA2_TO_ALPHA3: dict[str, str] = {p[:2]: p[2:] for p in _ISO_PAIRS.split()}
ALPHA3_CODES: frozenset[str] = frozenset(ALPHA2_TO_ALPHA3.values())

# ICAO Doc 9303 Part 3, section 5 ("codes for nationality, place of birth, location of issuing
# State/authority"): codes that are not ISO 3166-1 alpha-3, mapped to what they compare equal to.
ICAO_SPECIAL_CODES: dict[str, str] = {
    "D": "DEU",  # Germany (historic one-letter MRZ code, still issued)
    "GBD": "GBR",  # British Overseas Territories Citizen
    "GBN": "GBR",  # British National (Overseas)
    "GBO": "GBR",  # British Overseas Citizen
    "GBP": "GBR",  # British Protected Person
    "GBS": "GBR",  # British Subject
    "UNO": "UNO",  # official of the United Nations Organization
    "UNA": "UNA",  # official of a UN specialised agency
    "UNK": "UNK",  # resident of Kosovo, document issued by UNMIK
    "EUE": "EUE",  # European Union (laissez-passer)
    "XPO": "XPO",  # INTERPOL
    "XOM": "XOM",  # Sovereign Military Order of Malta
    "XXA": "XXA",  # stateless person (1954 Convention)
    "XXB": "XXB",  # refugee (1951 Convention)
    "XXC": "XXC",  # refugee (other than the 1951 Convention)
    "XXX": "XXX",  # unspecified nationality
}

UNSPECIFIED = frozenset({"XXX"})


@lru_cache(maxsize=4096)
def normalise_country(code: str | None) -> str | None:
    """Return the alpha-3 (or ICAO special) form of ``code``, or None when unknown.

    Accepts alpha-2, alpha-3 and ICAO specials in any case, with MRZ filler ``<`` padding.
    """
    if not code:
        return None
    c = code.strip().upper().strip("<")
    if c in ICAO_SPECIAL_CODES:
        return ICAO_SPECIAL_CODES[c]
    if len(c) == 2:
        return ALPHA2_TO_ALPHA3.get(c)
    if len(c) == 3 and c in ALPHA3_CODES:
        return c
    return None


def same_country(a: str | None, b: str | None) -> bool | None:
    """True/False when both codes are known and specified, None when either is not."""
    na, nb = normalise_country(a), normalise_country(b)
    if na is None or nb is None or na in UNSPECIFIED or nb in UNSPECIFIED:
        return None
    return na == nb
