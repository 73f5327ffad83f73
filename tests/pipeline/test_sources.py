"""Each source is a full bibliographic line in the reader's language: a document with a public address
is a linked title with publisher and retrieved date; one without says the editors hold it."""
from __future__ import annotations

from portal import pipeline

HELD = {"en": "(document held by the portal's editors)", "ru": "(документ хранится у редакции портала)",
        "fi": "(asiakirja on portaalin toimituksen hallussa)"}
RETRIEVED = {"en": "(retrieved 23 November 2026)", "ru": "(дата обращения", "fi": "(haettu 23. marraskuuta 2026)"}


def test_document_with_address_is_a_linked_bibliographic_line(repo):
    pipeline.generate(repo)
    for lang, survey in (("en", "Startup Connect: survey on internationalization potential of SMEs"),
                         ("fi", "Startup Connect: selvitys pk-yritysten kansainvälistymispotentiaalista")):
        page = (repo / "docs" / lang / "projects/startup-connect.md").read_text()
        assert (f'<li><a href="https://example.org/startup-connect-survey">{survey}</a>. Startup Connect '
                f'{RETRIEVED[lang]}') in page
        assert "seeds/" not in page, "the editors' file name is never shown"


def test_document_without_address_says_the_editors_hold_it(repo):
    pipeline.generate(repo)
    for lang, text in HELD.items():
        page = (repo / "docs" / lang / "events/meeting-2019.md").read_text()
        assert text in page, lang
        assert "seeds/" not in page
