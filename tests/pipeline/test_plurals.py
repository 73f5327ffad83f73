"""Counts read right in every language (issue 20): each plural group of the locale files has every
form its language's plural rules need, and the catalogue's and the search's counts come out as a
native reader writes them.

The browser picks a form with Intl.PluralRules (overrides/assets/portal/search.js); Babel's
plural rules are the same CLDR rules, so the forms are checked here without a browser. The
expected phrases are written out: a swapped pair of forms ("1 matches") fails.
"""
from __future__ import annotations

import pytest
from babel import Locale

from portal import languages

CATEGORIES = {"zero", "one", "two", "few", "many", "other"}


def _plural_groups(tree, path=()):
    """Every mapping of the strings whose keys are all CLDR plural categories, with its path."""
    if isinstance(tree, dict):
        if len(tree) > 1 and set(tree) <= CATEGORIES and "other" in tree:
            yield ".".join(path), tree
            return
        for key, value in tree.items():
            yield from _plural_groups(value, (*path, str(key)))


def _say(forms: dict, lang: str, n: int) -> str:
    form = Locale.parse(lang).plural_form(n)
    return forms.get(form, forms["other"]).replace("{count}", str(n)).replace("{n}", str(n))


@pytest.mark.parametrize("lang", languages.registry().codes)
def test_every_plural_group_has_the_forms_its_language_needs(lang):
    needed = set(Locale.parse(lang).plural_form.tags) | {"other"}
    groups = dict(_plural_groups(languages.strings(lang)))
    assert "filter.matching" in groups and "search.count" in groups
    for path, forms in groups.items():
        missing = needed - set(forms)
        assert not missing, f"scripts/locales/{lang}.yml: {path} lacks the plural forms {sorted(missing)}"


@pytest.mark.parametrize("lang, n, phrase", [
    ("en", 1, "1 match"), ("en", 2, "2 matches"), ("en", 0, "0 matches"),
    ("ru", 1, "Подходит 1 запись"), ("ru", 3, "Подходят 3 записи"), ("ru", 5, "Подходит 5 записей"),
    ("ru", 11, "Подходит 11 записей"), ("ru", 21, "Подходит 21 запись"), ("ru", 22, "Подходят 22 записи"),
    ("fi", 1, "1 osuma"), ("fi", 2, "2 osumaa"),
])
def test_the_catalogue_count_reads_right(lang, n, phrase):
    assert _say(languages.strings(lang)["filter"]["matching"], lang, n) == phrase


@pytest.mark.parametrize("lang, n, phrase", [
    ("en", 1, "1 result"), ("en", 7, "7 results"),
    ("ru", 1, "1 результат"), ("ru", 2, "2 результата"), ("ru", 5, "5 результатов"), ("ru", 101, "101 результат"),
    ("fi", 1, "1 tulos"), ("fi", 4, "4 tulosta"),
])
def test_the_search_count_reads_right(lang, n, phrase):
    assert _say(languages.strings(lang)["search"]["count"], lang, n) == phrase
