"""One contract (issue 8): whatever `make validate` accepts, `make generate` renders. Each case here
was accepted by validation and then crashed the generator (found by benchmarks/fuzz.py)."""
from __future__ import annotations

import pytest

from portal import pipeline
from test_validation_rules import messages

# An optional field written but left empty is a missing field, for validation and pages alike.
EMPTY_FIELDS = {
    "themes written empty": ("themes: [circular-economy]", "themes:"),
    "regions as an empty mapping": ("regions: [st-petersburg]", "regions: {}"),
    "countries as an empty text": ("countries: [fi, ru]", "countries: ''"),
    "partners empty": ("partners:\n  - {organization: cursor, role: lead-partner}\n"
                       "  - {organization: itmo-university, role: partner}", "partners: []"),
    "an empty translation": ("  fi: Selvitys cleantech-yritysten kansainvälistymisestä.", "  fi:"),
    "a source field left empty": ("    covers: [title, summary]", "    covers:\n    url: ''"),
}


@pytest.mark.parametrize("name", sorted(EMPTY_FIELDS))
def test_an_empty_optional_field_is_rendered_as_missing(repo, name):
    old, new = EMPTY_FIELDS[name]
    path = repo / "data/projects/startup-connect.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert new in path.read_text(encoding="utf-8")
    assert messages(repo) == []
    pipeline.generate(repo)
    for lang in ("en", "ru", "fi"):
        assert (repo / "docs" / lang / "projects/startup-connect.md").exists()


def test_a_number_in_covers_is_refused_not_a_crash(repo):
    path = repo / "data/projects/startup-connect.yml"
    path.write_text(path.read_text().replace("covers: [title, summary]", "covers: [title, 127]"))
    assert messages(repo) == ["data/projects/startup-connect.yml:21:21: sources[0].covers[1]: '127' is not "
                              "a field of this record"]
