"""Fuzzing in the suite (issue 8): structure-aware mutations of the real records and values generated
from the schema, through load -> validate -> render. Deterministic (derandomized), no deadline: it
must pass on a loaded 2-core machine. benchmarks/fuzz.py runs 10,000 cases and prints the counts."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from fuzz_harness import HOSTILE_URLS, MARK, URL_MARK, Case, Harness, cases, live_markup
from portal.render import html_page as render  # where the templates' escaping is called
from portal.model import schema as S

EXAMPLES = 250


@pytest.fixture(scope="module")
def harness() -> Harness:
    return Harness()


@pytest.mark.slow  # not in `make check`: thousands of fuzzed records
def test_structure_aware_mutations_of_the_real_records(harness):
    seen = {"accepted": 0, "refused": 0}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(cases(harness))
    def run(case: Case):
        outcome = harness.run(case)
        # No uncaught exception; every refusal has file:line:col and a message; every accepted
        # record has its page in all three languages; no markup from record text is live.
        assert outcome.kind != "crash" and not outcome.problems, (case.what, outcome.problems, case.text)
        seen[outcome.kind] += 1

    run()
    # Both sides of the contract were exercised, not only refusals.
    assert seen["accepted"] >= EXAMPLES // 10 and seen["refused"] >= EXAMPLES // 10, seen


def _one_case(harness: Harness, path: str, old: str, new: str) -> Case:
    text = (harness.root / path).read_text(encoding="utf-8")
    assert old in text
    return Case(path, text.replace(old, new, 1), f"{old!r} -> {new!r}")


def test_the_checker_sees_live_markup():
    """The markup check is not a test that cannot fail: each of these would be live."""
    assert live_markup(f"<p><script>{MARK}</script></p>")
    assert live_markup(f'<p><img src="x" onerror="{MARK}"></p>')
    assert live_markup(f"<{MARK}>")
    assert live_markup(f'<a href="javascript:{MARK}">x</a>')
    assert live_markup(f"<p class={MARK}>x</p>")
    assert live_markup(f'<div class="admonition {MARK}"></div>')
    assert live_markup(f"<!-- {MARK} -->")
    assert live_markup(f'<a href="https://{MARK}.example/">x</a>'), "a link from record text"
    assert not live_markup(f'<p>&lt;script&gt;{MARK}&lt;/script&gt;</p><h2 id="{MARK}">{MARK}</h2>')
    assert not live_markup(f'<a href="https://{URL_MARK}.example/">x</a><a href="#{MARK}-x">¶</a>')


def test_unescaped_text_would_be_caught(harness, monkeypatch):
    """With record text passed to Markdown as it is, the harness finds the markup it makes."""
    monkeypatch.setattr(render, "html_text", lambda text: " ".join(str(text).split()))
    case = _one_case(harness, "data/organizations/cursor.yml", "  en: Cursor Oy",
                     f"  en: <b title={MARK}>x</b> Cursor Oy")
    outcome = harness.run(case)
    assert outcome.kind == "accepted" and any("title=" in p for p in outcome.problems), outcome


def test_a_url_that_closes_its_link_is_refused_before_it_reaches_a_page(harness, monkeypatch):
    payload = f"https://example.org/><script>{URL_MARK}</script>"
    assert payload in HOSTILE_URLS
    case = _one_case(harness, "data/organizations/cursor.yml", "website: https://www.cursor.fi/",
                     f"website: '{payload}'")
    assert harness.run(case).kind == "refused"
    # With the old pattern (https?:// then anything but spaces) it was accepted and became a live
    # <script> in the organization's page. Now the output encoding stops it too: accepted without
    # the URL check, it is percent-encoded and nothing in the page is live.
    monkeypatch.setattr(S, "url_problem", lambda url: None)
    outcome = harness.run(case)
    assert outcome.kind == "accepted" and outcome.problems == [], outcome
