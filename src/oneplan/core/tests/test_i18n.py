"""Thai is the first language: every interface string of every app has a Thai translation, and a
visitor sees Thai unless they switch to English."""
import re
from pathlib import Path

import pytest
from django.conf import settings

SRC = Path(__file__).resolve().parents[2]
TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")


def _catalogue(path: Path) -> dict[str, str]:
    entries, text = {}, path.read_text("utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            entries[_field(block, "msgid")] = ""  # fuzzy counts as untranslated
            continue
        msgid = _field(block, "msgid")
        if msgid:
            entries[msgid] = _field(block, "msgstr") or _field(block, r"msgstr\[0\]")
    return entries


def _field(block: str, name: str) -> str:
    m = re.search(rf'^{name} ((?:".*"\n?)+)', block + "\n", re.M)
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))) if m else ""


APPS = [a.split(".")[-1] for a in settings.ONEPLAN_APPS if (SRC / a.split(".")[-1] / "templates").exists()
        and any((SRC / a.split(".")[-1] / "templates").rglob("*.html"))]


@pytest.mark.parametrize("app", APPS)
def test_every_template_string_has_a_thai_translation(app):
    po = SRC / app / "locale" / "th" / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{app} has templates but no Thai catalogue"
    catalogue = _catalogue(po)
    untranslated = sorted(k for k, v in catalogue.items() if not v)
    assert not untranslated, f"{app}: untranslated {untranslated[:10]}"
    used = {m.group(2) for t in (SRC / app / "templates").rglob("*.html") for m in TRANSLATE.finditer(t.read_text("utf-8"))}
    # makemessages writes a literal % of a template string as %%
    missing = sorted(s for s in used if s not in catalogue and s.replace("%", "%%") not in catalogue)
    assert not missing, f"{app}: strings missing from the Thai catalogue (run makemessages): {missing[:10]}"


@pytest.mark.django_db
def test_interface_is_thai_by_default_even_for_an_english_browser(client):
    page = client.get("/plans/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "ค้นหาในทุกแผน" in page and 'lang="th"' in page


@pytest.mark.django_db
def test_english_switch_is_remembered(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    page = client.get("/plans/").content.decode()
    assert "Search all plans" in page and 'lang="en"' in page


def test_one_english_string_has_one_thai_translation_across_the_apps():
    """Django merges every app's catalogue into one: if two apps translate the same msgid differently,
    only one wording can show anywhere, and which one depends on the order of INSTALLED_APPS. A string
    that means two things needs two msgids (or a context)."""
    seen: dict[str, dict[str, str]] = {}
    for po in sorted(SRC.glob("*/locale/th/LC_MESSAGES/django.po")):
        for msgid, msgstr in _catalogue(po).items():
            if msgstr and "\x04" not in msgid:
                seen.setdefault(msgid, {})[po.parts[-5]] = msgstr
    differing = {k: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert not differing, "\n".join(f"{k!r}: {v}" for k, v in sorted(differing.items()))
