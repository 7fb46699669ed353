import codecs

import pytest

from khabar.ingest.decode import declared_charset, decode, looks_binary

RUSSIAN = "Министр иностранных дел провёл переговоры в Москве о гуманитарной помощи."
FRENCH = "Le ministre a rencontré la délégation à Abidjan, en Côte d’Ivoire, pour 45 € millions."
JAPANESE = "外務大臣は東京で記者会見を開き、停戦合意について説明した。"


def page(body: str, charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("text", "codec", "declared"),
    [
        (RUSSIAN, "cp1251", "windows-1251"),
        (RUSSIAN, "koi8_r", "koi8-r"),
        (FRENCH, "cp1252", "windows-1252"),
        (FRENCH, "cp1252", "iso-8859-1"),  # browsers read latin-1 labels as windows-1252
        (JAPANESE, "shift_jis", "shift_jis"),
        (JAPANESE, "euc_jp", "euc-jp"),
    ],
)
def test_a_declared_charset_is_honoured(text: str, codec: str, declared: str) -> None:
    decoded = decode(page(text, declared).encode(codec))
    assert text in decoded.text
    assert decoded.method == "declared"


@pytest.mark.parametrize(("text", "codec"), [(RUSSIAN * 3, "cp1251"), (JAPANESE * 3, "shift_jis")])
def test_an_undeclared_charset_is_detected(text: str, codec: str) -> None:
    decoded = decode(page(text, None).encode(codec))
    assert text in decoded.text
    assert decoded.method == "detected"


def test_a_wrong_declaration_does_not_garble_utf8() -> None:
    decoded = decode(page(RUSSIAN, "windows-1252").encode("utf-8"))
    assert RUSSIAN in decoded.text
    assert decoded.encoding == "utf-8"


def test_a_wrong_declaration_falls_back_to_detection() -> None:
    decoded = decode(page(RUSSIAN * 3, "ascii").encode("cp1251"))
    assert RUSSIAN in decoded.text


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF8, "utf-8")]
)
def test_a_byte_order_mark_wins(bom: bytes, codec: str) -> None:
    decoded = decode(bom + FRENCH.encode(codec))
    assert decoded.text.lstrip("\ufeff") == FRENCH
    assert decoded.method == "bom"


def test_declared_charset_is_read_from_either_meta_form() -> None:
    assert (
        declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">')
        == "koi8-r"
    )
    assert declared_charset(b"<meta charset='utf-8'>") == "utf-8"
    assert declared_charset(b"<p>no meta</p>") is None


def test_binary_is_recognised_but_text_with_a_bom_is_not() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(bytes(range(0, 32)) * 20)
    assert not looks_binary(b"plain text, with\ttabs\nand lines")
    assert not looks_binary(codecs.BOM_UTF16_LE + "hello".encode("utf-16-le"))
