"""One way to compare the names of bodies: "อบต.ท่าข้าม", "องค์การบริหารส่วนตำบล ท่าข้าม" and
"องค์การบริหารส่วนตำบลท่าข้าม" are the same body. Every place that matches an organisation by name (the
registry import, the in-app registration form, the owner named in an import's header) uses
`name_key`, so one body is never created twice under two spellings."""
from __future__ import annotations

import re

from oneplan.core.thai import normalise

from .models import OrgKind

# (abbreviation, full word, kind): the longest full words first, so เทศบาลตำบล is not read as เทศบาล…
LAO_PREFIXES = [
    ("อบจ.", "องค์การบริหารส่วนจังหวัด", OrgKind.PAO),
    ("อบต.", "องค์การบริหารส่วนตำบล", OrgKind.SAO),
    ("ทต.", "เทศบาลตำบล", OrgKind.SUBDISTRICT_MUNICIPALITY),
    ("ทม.", "เทศบาลเมือง", OrgKind.TOWN_MUNICIPALITY),
    ("ทน.", "เทศบาลนคร", OrgKind.CITY_MUNICIPALITY),
]
SPECIAL_NAMES = {"กรุงเทพมหานคร": "กรุงเทพมหานคร", "กทม.": "กรุงเทพมหานคร", "เมืองพัทยา": "เมืองพัทยา"}
ABBREVIATION = {kind: abbr for abbr, _full, kind in LAO_PREFIXES}
FULL_WORD = {kind: full for _abbr, full, kind in LAO_PREFIXES}

# An abbreviation with its dot anywhere (อบต.ท่าข้าม), or without the dot at the start of the name.
_ABBR = re.compile("|".join(re.escape(abbr) + "|^" + re.escape(abbr[:-1]) + "(?=[ก-๙ ])"
                            for abbr, _full, _kind in LAO_PREFIXES))
_FULL_OF = {abbr: full for abbr, full, _kind in LAO_PREFIXES} | {abbr[:-1]: full for abbr, full, _k in LAO_PREFIXES}


def expand(name: str | None) -> str:
    """The name with its abbreviations written out (อบต.ท่าข้าม → องค์การบริหารส่วนตำบลท่าข้าม), spaces kept."""
    text = normalise(name)
    text = SPECIAL_NAMES.get(text, text)
    text = _ABBR.sub(lambda m: _FULL_OF[m.group(0)], text)
    return re.sub(r"(องค์การบริหารส่วน(?:ตำบล|จังหวัด)|เทศบาล(?:ตำบล|เมือง|นคร))\s+", r"\1", text)


def name_key(name: str | None) -> str:
    """The form two names of the same body share: abbreviations expanded, no spaces."""
    return expand(name).replace(" ", "")


def kind_from_name(name: str | None) -> str | None:
    """The LAO kind a name says (องค์การบริหารส่วนตำบล… → sao), or None."""
    key = name_key(name)
    if key in ("กรุงเทพมหานคร", "เมืองพัทยา"):
        return OrgKind.SPECIAL_LAO
    return next((kind for _abbr, full, kind in LAO_PREFIXES if key.startswith(full)), None)


def place_name(name: str | None) -> str:
    """What follows the kind word: องค์การบริหารส่วนตำบลท่าข้าม → ท่าข้าม."""
    key = name_key(name)
    for _abbr, full, _kind in LAO_PREFIXES:
        if key.startswith(full):
            return key[len(full):]
    return key


_KIND_WORDS = {**{normalise(str(label)): kind for kind, label in OrgKind.choices}}


def parse_kind(value) -> str | None:
    """A kind as the registry writes it: อบต. / องค์การบริหารส่วนตำบล / sao / เทศบาลตำบล / ทต. …"""
    text = normalise(str(value or "")).replace(" ", "")
    if not text:
        return None
    if text in OrgKind.values:
        return text
    if text in ("กทม.", "กทม", "กรุงเทพมหานคร", "เมืองพัทยา", "อปท.รูปแบบพิเศษ", "รูปแบบพิเศษ"):
        return OrgKind.SPECIAL_LAO
    full = expand(text if text.endswith(".") else text + ".") if len(text) <= 4 else expand(text)
    return next((kind for _abbr, word, kind in LAO_PREFIXES if full == word), _KIND_WORDS.get(text))


def full_name(kind: str, place: str) -> str:
    """องค์การบริหารส่วนตำบล + ท่าข้าม; a name already carrying its kind word is kept as it is."""
    place = expand(place)
    if kind_from_name(place):
        return place
    return f"{FULL_WORD.get(kind, '')}{place}"
