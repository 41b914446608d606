from __future__ import annotations

from sascop.consulta import texto


def test_terms_are_words_without_accents_or_case_each_once():
    assert texto.terminos("Compresión  OLEOGASODUCTO de ABK-A compresion") == [
        "compresion",
        "oleogasoducto",
        "de",
        "abk",
        "a",
    ]


def test_the_excerpt_marks_the_words_found_and_escapes_the_rest():
    extracto = texto.resaltar(
        "<b>Módulo</b> de COMPRESIÓN y compresiones; desarrollo", ["compresion", "desarrollos"]
    )

    assert extracto == (
        "&lt;b&gt;Módulo&lt;/b&gt; de <mark>COMPRESIÓN</mark> y <mark>compresiones</mark>; "
        "<mark>desarrollo</mark>"
    )
    assert texto.sin_marcas(extracto) == ("<b>Módulo</b> de COMPRESIÓN y compresiones; desarrollo")


def test_a_long_text_is_cut_around_its_first_match():
    largo = "palabra " * 40 + "ducto " + "otra " * 40

    extracto = texto.resaltar(largo, ["ducto"])

    assert extracto.startswith("…palabra")
    assert "<mark>ducto</mark>" in extracto
    assert extracto.endswith("…")
    assert len(texto.sin_marcas(extracto)) <= texto.CONTEXTO * 2 + 2


def test_a_character_that_is_not_one_letter_once_normalised_keeps_the_marks_in_place():
    # «ﬁ» (one character) becomes «fi»; «n» and a lone combining tilde (two) become «n».
    extracto = texto.resaltar(
        "Soldadura de ﬁjación y man\u0303ana: ﬁjación", ["fijacion", "manana"]
    )

    assert extracto == (
        "Soldadura de <mark>ﬁjación</mark> y <mark>man\u0303ana</mark>: <mark>ﬁjación</mark>"
    )
