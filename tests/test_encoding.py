"""Which encoding page bytes are read in: BOM, UTF-8, declared charset, detection."""

import codecs

import pytest

from classifier.encoding import UNDECODABLE, decode

ARABIC = "قال وزير المالية يوم الاثنين إن الميزانية ستنمو بنسبة خمسة في المئة العام المقبل."
GREETING = "مرحبا"  # alone, its windows-1256 bytes are detected as ISO-8859-7 Greek


def test_valid_utf8_is_utf8():
    assert decode(ARABIC.encode("utf-8")) == (ARABIC, "utf-8")


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_mark_decides_and_is_dropped(bom, encoding):
    assert decode(bom + ARABIC.encode(encoding)) == (ARABIC, encoding)


def test_declared_charset_beats_detection():
    html = f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><p>{GREETING}</p>'.encode("cp1256")
    text, encoding = decode(html, html=True)
    assert GREETING in text and encoding == "cp1256"
    assert decode(html)[1] != "cp1256"  # the same bytes as plain text: no declaration is read


def test_utf8_beats_a_stale_declaration():
    html = f'<meta charset="iso-8859-1"><p>{ARABIC}</p>'.encode("utf-8")
    assert decode(html, html=True) == (html.decode("utf-8"), "utf-8")


def test_declaration_the_bytes_contradict_is_ignored():
    html = f'<meta charset="utf-8"><p>{ARABIC}</p>'.encode("cp1256")
    text, encoding = decode(html, html=True)
    assert ARABIC in text and encoding == "cp1256"


def test_where_uchardet_gives_up_charset_normalizer_decides():
    # uchardet finds no encoding for this windows-1252 line; the fixed fallback it replaced
    # (windows-1256 first) turned the umlaut into an Arabic letter.
    line = "Die Deutsche Bahn ändert zum Fahrplanwechsel ihr gastronomisches Konzept"
    text, encoding = decode(line.encode("cp1252"))
    assert text == line and encoding != "cp1256"


def test_bytes_nothing_decodes_are_replaced_and_flagged():
    text, encoding = decode(bytes(range(0x80, 0x100)) * 3)
    assert encoding == UNDECODABLE and "\ufffd" in text
