"""Programmes as records (issue 19): their pages in every language, the links both ways (projects,
predecessors and successors, managing body), the old topic addresses, the page "Funding and partners
now", the suspension notice of projects without a programme, region pages listing organizations,
the statistics' "not given" notes, the open data and the map's warnings."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from portal import pipeline
from portal.export import places
from portal.model.schema import LANGS
from portal.model.validate import validate
from portal.render.listing import FIRST_ROWS
from portal_testing import make_repo

SEFR = "south-east-finland-russia-cbc-2014-2020"
NEXT = "south-east-finland-russia-2021-2027"
BSR = "interreg-baltic-sea-region-2021-2027"

ONGOING = f"""\
slug: {BSR}
title: {{en: Interreg Baltic Sea Region 2021–2027, ru: Interreg «Регион Балтийского моря» 2021–2027, fi: Interreg Itämeren alue 2021–2027}}
acronym: Interreg BSR
summary: {{en: A transnational programme around the Baltic Sea., ru: Транснациональная программа., fi: Ylikansallinen ohjelma.}}
type: transnational
period: 2014-2020
status: ongoing
managing_body: cursor
countries: [fi]
regions: [st-petersburg]
eligible_area: {{en: The whole of Finland and the other countries around the sea., ru: Вся Финляндия., fi: Koko Suomi.}}
open_to: {{en: Public authorities and research institutions., ru: Органы власти и научные организации., fi: Viranomaiset ja tutkimuslaitokset.}}
website: https://interreg-baltic.eu/
follows: [{SEFR}]
sources:
  - title: "Interreg Baltic Sea Region: who can apply"
    url: https://interreg-baltic.eu/who-can-apply/
    retrieved: 2026-12-02
    covers: [title, open_to, eligible_area]
  - title: "Interreg Baltic Sea Region: about"
    url: https://interreg-baltic.eu/about/
    retrieved: 2026-11-30
    covers: [countries, managing_body, website]
"""

NOT_LAUNCHED = f"""\
slug: {NEXT}
title: {{en: South-East Finland – Russia 2021–2027, ru: Россия – Юго-Восточная Финляндия 2021–2027, fi: Kaakkois-Suomi – Venäjä 2021–2027}}
summary: {{en: A planned programme., ru: Планировавшаяся программа., fi: Suunniteltu ohjelma.}}
period: 2014-2020
status: not-launched
follows: [{SEFR}]
notice: {{en: The programme was never launched; its funds were moved., ru: Программа так и не была запущена., fi: Ohjelmaa ei käynnistetty.}}
sources:
  - title: "Programme news: the programme will not be launched"
    url: https://example.org/not-launched
    retrieved: 2026-12-01
    covers: [status, notice]
"""


def write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page(repo: Path, lang: str, rel: str) -> str:
    return (repo / "docs" / lang / rel).read_text(encoding="utf-8")


def body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


@pytest.fixture
def programmes(tmp_path):
    """The fixture data with an ongoing and a not-launched programme that follow the fixture's
    programme, and a second project without a programme but with a Russian partner."""
    repo = make_repo(tmp_path / "repo")
    write(repo, f"data/programmes/{BSR}.yml", ONGOING)
    write(repo, f"data/programmes/{NEXT}.yml", NOT_LAUNCHED)
    project = (repo / "data/projects/startup-connect.yml").read_text(encoding="utf-8")
    orphan = project.replace("slug: startup-connect", "slug: no-programme") \
        .replace(f"programme: {SEFR}\n", "").replace("regions: [st-petersburg]\n", "") \
        .replace("countries: [fi, ru]\n", "countries: [fi]\n")
    write(repo, "data/projects/no-programme.yml", orphan)
    return repo


def test_programme_page_in_every_language(programmes):
    pipeline.generate(programmes)
    for lang in LANGS:
        text = body(page(programmes, lang, f"programmes/{BSR}.md"))
        assert re.match(r'\n<h1 id="interreg-[a-z0-9-]+">Interreg ', text), lang
    en = body(page(programmes, "en", f"programmes/{BSR}.md"))
    # Written as HTML (render/html_page.py): links are the directory URLs MkDocs makes.
    for line in ('<li><strong>Type:</strong> <a href="../../topics/programme-types/transnational/">'
                 'Transnational cooperation</a></li>',
                 '<li><strong>Status:</strong> <a href="../../topics/statuses/ongoing/">Ongoing</a></li>',
                 '<li><strong>Managing body:</strong> <a href="../../organizations/cursor/">Cursor</a></li>',
                 '<li><strong>Countries:</strong> <a href="../../topics/countries/fi/">Finland</a></li>',
                 '<li><strong>Regions:</strong> <a href="../../topics/regions/st-petersburg/">St. Petersburg</a></li>',
                 '<li><strong>Website:</strong> <a href="https://interreg-baltic.eu/">https://interreg-baltic.eu/</a></li>',
                 f'<li><strong>Follows:</strong> <a href="../{SEFR}/">South-East Finland – Russia CBC 2014–2020</a></li>',
                 '<h2 id="programme-area">Programme area', '<h2 id="who-may-take-part">Who may take part',
                 "(retrieved 2 December 2026). Supports: Title, Who may take part, Programme area"):
        assert line in en, line


def test_predecessor_lists_its_successors_and_its_projects(programmes):
    pipeline.generate(programmes)
    old = body(page(programmes, "en", f"programmes/{SEFR}.md"))
    assert (f'<li><strong>Followed by:</strong> <a href="../{BSR}/">Interreg Baltic Sea Region 2021–2027</a>, '
            f'<a href="../{NEXT}/">South-East Finland – Russia 2021–2027</a></li>') in old
    assert '<h2 id="list-projects">Projects of the programme (1)<a class="headerlink"' in old
    assert '<li><a href="../../projects/startup-connect/">Startup Connect</a></li>' in old
    # A programme with no project on the portal says so.
    assert "The portal has no projects of this programme yet." in body(page(programmes, "en", f"programmes/{BSR}.md"))


def test_the_notice_stands_above_the_facts(programmes):
    pipeline.generate(programmes)
    text = body(page(programmes, "en", f"programmes/{NEXT}.md"))
    assert text.index('<div class="admonition warning">\n<p class="admonition-title">What has changed</p>') \
        < text.index('<h2 id="at-a-glance">')
    assert "<p>The programme was never launched; its funds were moved.</p>\n</div>" in text
    assert '<li><strong>Status:</strong> <a href="../../topics/statuses/not-launched/">Not launched</a></li>' in text


def test_project_links_its_programme_or_says_the_sources_name_none(programmes):
    pipeline.generate(programmes)
    assert (f'<li><strong>Funding programme:</strong> <a href="../../programmes/{SEFR}/">South-East Finland – '
            'Russia CBC 2014–2020</a></li>') in page(programmes, "en", "projects/startup-connect.md")
    assert "<li><strong>Funding programme:</strong> the sources name no programme</li>" \
        in page(programmes, "en", "projects/no-programme.md")
    assert "<li><strong>Программа финансирования:</strong> источники не называют программу</li>" \
        in page(programmes, "ru", "projects/no-programme.md")


def test_project_with_a_russian_partner_and_no_programme_shows_the_suspension(programmes):
    pipeline.generate(programmes)
    text = body(page(programmes, "en", "projects/no-programme.md"))  # ITMO University is Russian
    assert '<div class="admonition warning">\n<p class="admonition-title">Cooperation with Russia suspended</p>' in text
    assert ('Source: <a href="https://interreg-baltic.eu/news-2022/transnational-cooperation-with-russia-and-'
            'belarus-suspended/">Interreg Baltic Sea Region: Transnational cooperation with Russia and Belarus '
            'suspended (8 March 2022)</a> (retrieved 22 November 2026).</p>') in text


def test_project_without_russian_ties_shows_no_suspension(programmes):
    orphan = programmes / "data/projects/no-programme.yml"
    orphan.write_text(orphan.read_text().replace("  - {organization: itmo-university, role: partner}\n", ""))
    pipeline.generate(programmes)
    assert "Cooperation with Russia suspended" not in page(programmes, "en", "projects/no-programme.md")


def test_old_topic_addresses_lead_to_the_programme_pages(programmes):
    pipeline.generate(programmes)
    for lang in LANGS:
        text = page(programmes, lang, f"topics/programmes/{SEFR}.md")
        assert front(text)["redirect"] == f"../../../programmes/{SEFR}/", lang
        assert f"(../../programmes/{SEFR}.md)" in body(text), lang


def test_programme_listing_continues_on_later_pages(programmes):
    project = (programmes / "data/projects/startup-connect.yml").read_text(encoding="utf-8")
    for i in range(FIRST_ROWS + 3):
        write(programmes, f"data/projects/extra-{i:02d}.yml",
              project.replace("slug: startup-connect", f"slug: extra-{i:02d}")
              .replace("title: {en: Startup Connect", f"title: {{en: Extra {i:02d}"))
    pipeline.generate(programmes)
    first = body(page(programmes, "en", f"programmes/{SEFR}.md"))
    assert (f'<h2 id="list-projects">Projects of the programme: 1–{FIRST_ROWS} of {FIRST_ROWS + 4}'
            '<a class="headerlink"') in first
    second = body(page(programmes, "en", f"programmes/{SEFR}/page/2.md"))
    assert f'<h2 id="list-projects">Projects of the programme: {FIRST_ROWS + 1}–{FIRST_ROWS + 4} of {FIRST_ROWS + 4}' \
        in second


def test_funding_page_open_programmes_with_their_sources_and_dates(programmes):
    pipeline.generate(programmes)
    text = body(page(programmes, "en", "funding.md"))
    assert text.index("## Open programmes") < text.index(BSR) < text.index("## Ended or not launched") \
        < text.index(NEXT) < text.index("## Other programmes on the portal") < text.index(SEFR + ".md)")
    assert ("- **Who may take part:** Public authorities and research institutions\\. ([Interreg Baltic Sea "
            "Region\\: who can apply](https://interreg-baltic.eu/who-can-apply/) (retrieved 2 December 2026))") in text
    assert ("- **Website:** <https://interreg-baltic.eu/> ([Interreg Baltic Sea Region\\: about]"
            "(https://interreg-baltic.eu/about/) (retrieved 30 November 2026))") in text
    assert "- **Managing body:** [Cursor](organizations/cursor.md) ([" in text
    # The not-launched programme: its status and its notice, with its source.
    assert "The programme was never launched\\; its funds were moved\\. ([Programme news" in text
    # Nothing the records do not state: no deadline, call or amount words of our own.
    assert not re.search(r"deadline|€|EUR", text.split("## Open programmes", 1)[1])
    for lang in LANGS:
        assert front(page(programmes, lang, "funding.md"))["title"]


def test_funding_page_says_when_no_programme_is_open(repo):
    pipeline.generate(repo)
    assert "No programme record gives the status ongoing yet." in page(repo, "en", "funding.md")


def test_region_page_lists_the_organizations_seated_there(programmes):
    org = programmes / "data/organizations/itmo-university.yml"
    org.write_text(org.read_text().replace("city: {en: St. Petersburg, ru: Санкт-Петербург, fi: Pietari}\n",
                                           "city: {en: St. Petersburg, ru: Санкт-Петербург, fi: Pietari}\n"
                                           "region: st-petersburg\n"))
    pipeline.generate(programmes)
    text = body(page(programmes, "en", "topics/regions/st-petersburg.md"))
    assert '<h2 id="list-organizations">Organizations (1)<a class="headerlink"' in text
    assert '<li><a href="../../../organizations/itmo-university/">ITMO University</a></li>' in text
    assert '<h2 id="list-programmes">Programmes (1)<a class="headerlink"' in text
    assert '<li><strong>Region:</strong> <a href="../../topics/regions/st-petersburg/">St. Petersburg</a></li>' \
        in page(programmes, "en", "organizations/itmo-university.md")


def test_statistics_note_instead_of_a_not_given_bar(programmes):
    pipeline.generate(programmes)
    text = page(programmes, "en", "statistics.md")
    section = text.split("{ #programmes }", 1)[1].split("\n## ", 1)[0]
    assert '<figcaption class="portal-chart__note">Projects whose sources name no funding programme: 1 of 2.</figcaption>' in section
    assert "Not given" not in text
    labels = re.findall(r'<span class="portal-chart__label">([^<]+)</span>', section)
    assert labels == ["South-East Finland – Russia CBC 2014–2020"]
    assert "Проектов, источники которых не называют программу финансирования: 1 из 2." \
        in page(programmes, "ru", "statistics.md")


def test_programme_json_ld_and_open_data(programmes):
    pipeline.generate(programmes)
    ld = front(page(programmes, "en", f"programmes/{BSR}.md"))["jsonld"]
    assert ld["@type"] == "FundingScheme" and ld["url"] == "https://interreg-baltic.eu/"
    assert ld["areaServed"] == [{"@type": "Country", "name": "Finland"},
                                {"@type": "AdministrativeArea", "name": "St. Petersburg"}]
    project_ld = front(page(programmes, "en", "projects/startup-connect.md"))["jsonld"]
    programme_page = "https://baltic-circular.github.io/portal/programmes/south-east-finland-russia-cbc-2014-2020/"
    assert project_ld["funder"][0] == {"@type": "FundingScheme", "@id": programme_page, "url": programme_page,
                                       "name": "South-East Finland – Russia CBC 2014–2020"}
    rows = {r["id"]: r for r in json.loads(page(programmes, "en", "data/programmes.fi.json"))}
    assert rows[BSR]["programme_type_name"] == "Ylikansallinen yhteistyö"
    assert rows[BSR]["managing_body_name"] == "Cursor" and rows[BSR]["follows"] == [SEFR]
    projects = {r["id"]: r for r in json.loads(page(programmes, "en", "data/projects.ru.json"))}
    assert projects["startup-connect"]["programme_name"] == "Россия – Юго-Восточная Финляндия 2014–2020"
    package = json.loads(page(programmes, "en", "data/datapackage.json"))
    assert "programmes-fi-csv" in [r["name"] for r in package["resources"]]


def test_catalogue_filter_of_programmes_is_labelled_by_titles(programmes):
    pipeline.generate(programmes)
    text = page(programmes, "en", "projects/index.md")
    # The filter's first control (catalogue-page.html.j2 writes the controls into the page).
    select = re.search(r'<label for="portal-filter-(\w+)">([^<]+)</label><select[^>]*>(.*?)</select>', text)
    assert select.group(1, 2) == ("programmes", "Funding programmes")
    options = re.findall(r'<option value="([^"]*)" data-label="([^"]*)">', select.group(3))
    assert [(v, html.unescape(label)) for v, label in options] == [(SEFR, "South-East Finland – Russia CBC 2014–2020")]
    filters = front(page(programmes, "en", "projects/startup-connect.md"))["portal"]["search"]["filters"]
    assert filters["programmes"] == [SEFR] and filters["programme-periods"] == ["2014-2020"]
    assert (programmes / "docs/en/programmes/index.md").exists()


def test_city_the_map_cannot_place_is_a_warning_with_file_and_line(programmes):
    org = programmes / "data/organizations/cursor.yml"
    org.write_text(org.read_text().replace("country: fi\n", "country: fi\ncity: {en: Kotkaa}\n"))
    cat = validate(programmes)
    assert not cat.problems
    assert [str(w) for w in places.warnings(cat)] == [
        "data/organizations/cursor.yml:6:12: city: 'Kotkaa' in country 'fi' is not on the map: the base map "
        "has no point for it; run scripts/portal/export/geodata/make_basemap.py (it adds the records' cities "
        "from GeoNames) or check the spelling and the country"]


def test_every_city_of_the_real_records_is_on_the_map():
    from portal_testing import ROOT
    assert [str(w) for w in places.warnings(validate(ROOT))] == []


@pytest.mark.parametrize("city, country, name", [
    ("St. Petersburg", "ru", "Saint Petersburg"), ("Sillamäe", "ee", "Sillamäe"),
    ("Ivangorod", "ru", "Ivangorod"), ("Lappeenranta", "fi", "Lappeenranta"), ("Kiel", "de", "Kiel"),
    ("Gdańsk", "pl", "Gdańsk"), ("Riga", "lv", "Riga"), ("Stockholm", "se", "Stockholm")])
def test_gazetteer_places_the_partner_cities_around_the_sea(city, country, name):
    point = places.locate(city, country)
    assert point is not None and point["name"] == name
    assert places.inside(point, places.widest())
