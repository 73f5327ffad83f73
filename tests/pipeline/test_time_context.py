"""Every project page tells its programme period and status, or says in the reader's language that the
sources do not give them; projects of a programme with a notice show it."""
from __future__ import annotations

import yaml

from portal import pipeline

UNKNOWN = {"en": "not given by the sources", "ru": "в источниках не указан", "fi": "ei mainita lähteissä"}
PERIOD = {"en": "Programme period", "ru": "Программный период", "fi": "Ohjelmakausi"}


def page(repo, lang: str) -> str:
    return (repo / "docs" / lang / "projects/startup-connect.md").read_text()


def test_period_and_status_are_shown(repo):
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text())
    data["programme_period"] = "2014-2020"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    pipeline.generate(repo)
    for lang in UNKNOWN:
        text = page(repo, lang)
        assert f"<strong>{PERIOD[lang]}:</strong> 2014–2020" in text, lang
        assert UNKNOWN[lang] not in text, lang


def test_unknown_period_and_status_are_said_in_the_page_language(repo):
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text())
    data.pop("status", None)
    data.pop("programme_period", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    pipeline.generate(repo)
    for lang in UNKNOWN:
        assert page(repo, lang).count(UNKNOWN[lang]) == 2, lang
