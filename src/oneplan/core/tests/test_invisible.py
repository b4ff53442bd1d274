import pytest

from oneplan.core.thai import has_control_chars, is_blank_text, strip_invisible

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202e", "\u2066", "\u2069",
             "\u200e", "\u200f"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_are_stripped_and_thai_marks_are_kept(char):
    assert strip_invisible(f"1{char}.2") == "1.2"
    assert strip_invisible(f"ก{char}ำ") == "กำ"
    assert is_blank_text(f" {char} {char}\n")


def test_visible_text_is_not_blank_and_kept_as_written():
    assert not is_blank_text("ประเด็นที่ 1")
    assert strip_invisible("  พัฒนา  เมือง ") == "  พัฒนา  เมือง "     # spaces are the caller's to strip
    assert is_blank_text(None) and is_blank_text("")


def test_control_characters():
    assert has_control_chars("ก\x00ข") and has_control_chars("\x1b[31m")
    assert not has_control_chars("บรรทัดแรก\nบรรทัดสอง\tแท็บ")
    assert has_control_chars("1\n2", single_line=True)
