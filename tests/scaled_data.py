"""Extra records for the scaled fixture (make_scaled_repo): spread like real growth, so benchmarks
and size tests see many organizations, topics, years and text lengths, not one record copied N times.

What is generated for `extra` records (deterministic: the same `extra` gives the same files):
- the split, by largest remainder: 70 % projects, 20 % organizations, 8 % events, 2 % playbooks
  (10,000 extra: 7,000 / 2,000 / 800 / 200; the real catalogue has about 1 organization per 3
  records, a tenth of them events, a few playbook entries);
- every vocabulary value drawn from the repository's own data/vocabularies/ (programmes only for
  projects that start within the programme's period, regions with their country);
- years 1995–2026, more records in later years (weight grows linearly with the year);
- the same record text for the same slug at every `extra` (one generator per record);
- partners, organizers and example organizations drawn from the generated organizations with a
  Zipf–Mandelbrot weight 1/(rank + 3): at 10,000 extra the busiest organization is in about a
  thousand projects, the median one in a few (the fixture's own organizations when none are
  generated);
- text in en, ru and fi of the lengths the real records have (summaries 190–420 characters,
  project descriptions 500–1,900 in up to four paragraphs, …), sentences of words drawn from a
  fixed word list per language. Names are "Example project 12" and the like, every source and
  website an example.org address: nothing here states a fact about a real organization.

Records only point at other generated records (never at the fixture's startup-connect), so the
fixture's own record pages stay the same size whatever `extra` is.
"""
from __future__ import annotations

import datetime
import json
import json.encoder
import random
from itertools import accumulate
from pathlib import Path

import yaml

SHARES = (("project", 0.70), ("organization", 0.20), ("event", 0.08), ("playbook", 0.02))
FOLDERS = {"project": "projects", "organization": "organizations", "event": "events",
           "playbook": "playbooks"}
YEARS = (1995, 2026)
ZIPF_OFFSET = 3  # weight of the organization of rank r: 1 / (r + ZIPF_OFFSET)
SENTENCES = 3000  # sentences per language that texts are drawn from

WORDS = {
    "en": """circular economy waste recycling material resource recovery energy efficiency water
        cleantech cluster cooperation border region city municipality company firm small medium
        enterprise university research pilot project platform network partner export market
        investment funding model service product repair reuse sharing lifecycle design supply chain
        industrial symbiosis park heat biogas sludge plastic packaging textile wood forest soil
        emission climate carbon footprint monitoring data digital tool training workshop seminar
        study visit survey report guide method standard practice procurement public private local
        regional sustainable green innovation technology startup accelerator mentor expert
        consultant investor bank loan grant programme measure result output target group citizen
        household school student teacher building renovation district heating transport logistics
        port shipping fuel battery solar wind storage grid smart metering construction demolition
        food organic nutrient phosphorus agriculture fishery baltic sea coast river lake quality
        ecosystem biodiversity policy strategy roadmap indicator assessment feasibility
        demonstration scale growth value job skill knowledge exchange""".split(),
    "ru": """циркулярная экономика отходы переработка материал ресурс восстановление энергия
        эффективность вода чистые технологии кластер сотрудничество граница регион город
        муниципалитет компания предприятие малый средний бизнес университет исследование пилот
        проект платформа сеть партнёр экспорт рынок инвестиции финансирование модель услуга
        продукт ремонт повторное использование совместное жизненный цикл дизайн цепочка поставок
        промышленный симбиоз парк тепло биогаз осадок пластик упаковка текстиль древесина лес
        почва выбросы климат углеродный след мониторинг данные цифровой инструмент обучение
        семинар практикум визит опрос отчёт руководство метод стандарт практика закупки
        государственный частный местный региональный устойчивый зелёный инновации технология
        стартап акселератор наставник эксперт консультант инвестор банк кредит грант программа
        мера результат целевая группа житель домохозяйство школа студент учитель здание
        реконструкция теплоснабжение транспорт логистика порт судоходство топливо аккумулятор
        солнечный ветровой хранение сеть учёт строительство снос пища органический фосфор
        сельское хозяйство рыболовство балтийское море побережье река озеро качество экосистема
        биоразнообразие политика стратегия дорожная карта показатель оценка обоснование
        демонстрация масштаб рост ценность рабочее место навыки знания обмен""".split(),
    "fi": """kiertotalous jäte kierrätys materiaali resurssi talteenotto energia tehokkuus vesi
        cleantech klusteri yhteistyö raja alue kaupunki kunta yritys pieni keskisuuri
        pk-yritys yliopisto tutkimus pilotti hanke alusta verkosto kumppani vienti markkina
        investointi rahoitus malli palvelu tuote korjaus uudelleenkäyttö jakaminen elinkaari
        suunnittelu toimitusketju teollinen symbioosi puisto lämpö biokaasu liete muovi pakkaus
        tekstiili puu metsä maaperä päästö ilmasto hiilijalanjälki seuranta tieto digitaalinen
        työkalu koulutus työpaja seminaari opintomatka kysely raportti opas menetelmä standardi
        käytäntö hankinta julkinen yksityinen paikallinen alueellinen kestävä vihreä innovaatio
        teknologia startup kiihdyttämö mentori asiantuntija konsultti sijoittaja pankki laina
        avustus ohjelma toimenpide tulos kohderyhmä asukas kotitalous koulu opiskelija opettaja
        rakennus korjaus kaukolämpö liikenne logistiikka satama merenkulku polttoaine akku
        aurinko tuuli varastointi sähköverkko mittaus rakentaminen purku ruoka orgaaninen
        ravinne fosfori maatalous kalastus itämeri rannikko joki järvi laatu ekosysteemi
        monimuotoisuus politiikka strategia tiekartta indikaattori arviointi
        toteutettavuus demonstraatio mittakaava kasvu arvo työpaikka osaaminen tieto vaihto""".split(),
}

NAMES = {  # record kind -> language -> "Example project {n}"
    "project": {"en": "Example project {n}", "ru": "Пример проекта {n}", "fi": "Esimerkkihanke {n}"},
    "organization": {"en": "Example organization {n}", "ru": "Пример организации {n}",
                     "fi": "Esimerkkiorganisaatio {n}"},
    "event": {"en": "Example event {n}", "ru": "Пример мероприятия {n}", "fi": "Esimerkkitapahtuma {n}"},
    "playbook": {"en": "Example playbook entry {n}", "ru": "Пример практики {n}",
                 "fi": "Esimerkkikäytäntö {n}"},
    "speaker": {"en": "Example speaker {n}", "ru": "Докладчик {n}", "fi": "Esimerkkipuhuja {n}"},
    "venue": {"en": "Example venue {n}", "ru": "Площадка {n}", "fi": "Esimerkkipaikka {n}"},
}


def split(extra: int) -> dict[str, int]:
    """How many records of each kind: SHARES of extra, rounded by largest remainder (sums to extra)."""
    exact = [(kind, extra * share) for kind, share in SHARES]
    counts = {kind: int(x) for kind, x in exact}
    rest = extra - sum(counts.values())
    for kind, x in sorted(exact, key=lambda kx: -(kx[1] - int(kx[1])))[:rest]:
        counts[kind] += 1
    return counts


class Writer:
    """Draws the extra records; one random generator seeded by `extra`."""

    def __init__(self, repo: Path, extra: int):
        self.repo = repo
        # One generator for the word pools, then two per record (write_all): its structure and its
        # text. A record's text, and an organization's whole record, is then the same whatever
        # `extra` is: "example-organization-00000" at 100 and at 10,000 extra differ only in what
        # links to it, so page sizes compare like for like.
        self.rng = self.trng = random.Random("scaled-fixture")
        vocab_dir = repo / "data/vocabularies"
        self.vocab = {p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader)["terms"]
                      for p in vocab_dir.glob("*.yml")}
        self.ids = {name: [t["id"] for t in terms] for name, terms in self.vocab.items()}
        years = range(YEARS[0], YEARS[1] + 1)
        self.years, self.year_weights = list(years), list(accumulate(y - YEARS[0] + 1 for y in years))
        self.counts = split(extra)
        self.slugs = {kind: [f"example-{kind}-{i:05d}" for i in range(n)] for kind, n in self.counts.items()}
        # Organizations by rank: the first is the busiest.
        self.orgs = self.slugs["organization"] or sorted(p.stem for p in (repo / "data/organizations").glob("*.yml"))
        self.org_weights = list(accumulate(1 / (r + ZIPF_OFFSET) for r in range(len(self.orgs))))
        # Sentences of 6–16 words from each language's word list, drawn once per fixture.
        self.sentences = {lang: [self.sentence(words) for _ in range(SENTENCES)] for lang, words in WORDS.items()}
        self.sentence_length = {lang: sum(map(len, pool)) / len(pool) + 1 for lang, pool in self.sentences.items()}

    def sentence(self, words: list[str]) -> str:
        text = " ".join(self.rng.choices(words, k=self.rng.randint(6, 16)))
        return text[0].upper() + text[1:] + "."

    # -- drawing ---------------------------------------------------------------------------------
    def text(self, low: int, high: int, paragraphs: int = 1) -> dict[str, str]:
        """About the same length of text in each language, in paragraphs, of sentences drawn from
        each language's pool (drawing whole sentences keeps 10,000 records to seconds)."""
        target = self.trng.randint(low, high) / paragraphs
        out = {}
        for lang, pool in self.sentences.items():
            k = max(1, round(target / self.sentence_length[lang]))
            out[lang] = "\n\n".join(" ".join(self.trng.choices(pool, k=k)) for _ in range(paragraphs))
        return out

    def title(self, kind: str, n: int, words: tuple[int, int] = (0, 6)) -> dict[str, str]:
        k = self.trng.randint(*words)
        out = {}
        for lang, name in NAMES[kind].items():
            tail = " ".join(self.trng.choices(WORDS[lang], k=k))
            out[lang] = name.format(n=n) + (f": {tail}" if tail else "")
        return out

    def items(self, low: int, high: int) -> list[dict[str, str]]:
        return [self.text(40, 150) for _ in range(self.rng.randint(low, high))]

    def some(self, name: str, low: int, high: int) -> list:
        ids = self.ids.get(name, [])
        return self.rng.sample(ids, min(len(ids), self.rng.randint(low, high)))

    def year(self) -> int:
        return self.rng.choices(self.years, cum_weights=self.year_weights)[0]

    def date(self, year: int) -> datetime.date:
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def orgs_zipf(self, k: int) -> list[str]:
        """k different organizations, the busy ones far more often (1/(rank + ZIPF_OFFSET))."""
        k = min(k, len(self.orgs))
        chosen: list[str] = []
        while len(chosen) < k:
            org = self.rng.choices(self.orgs, cum_weights=self.org_weights)[0]
            if org not in chosen:
                chosen.append(org)
        return chosen

    def sources(self, kind: str, n: int) -> list[dict]:
        out = []
        for j in range(self.rng.randint(1, 3)):
            source = {"title": f"Example source {n}.{j + 1}",
                      "url": f"https://example.org/{FOLDERS[kind]}/{n}/source-{j + 1}",
                      "retrieved": self.date(2026).isoformat()}
            if j == 0 and self.rng.random() < 0.3:
                source["covers"] = ["name" if kind == "organization" else "title"]
            out.append(source)
        return out

    def region_and_country(self) -> tuple[list, list]:
        regions = self.some("regions", 0, 2) if self.rng.random() < 0.8 else []
        by_id = {t["id"]: t for t in self.vocab.get("regions", [])}
        countries = {by_id[r]["country"] for r in regions if by_id[r].get("country")}
        countries.update(self.some("countries", 0 if countries else 1, 2))
        order = self.ids.get("countries", [])
        return regions, sorted(countries, key=order.index)

    # -- records ---------------------------------------------------------------------------------
    def project(self, n: int, slug: str) -> dict:
        rng = self.rng
        start = self.year()
        rec = {"slug": slug, "title": self.title("project", n)}
        if rng.random() < 0.6:
            rec["acronym"] = f"EXP{n}"
        rec["summary"] = self.text(190, 420)
        if rng.random() < 0.9:
            rec["description"] = self.text(500, 1900, rng.randint(1, 4))
        programmes = [t for t in self.vocab.get("programmes", []) if _covers(t.get("period"), start)]
        if programmes and rng.random() < 0.8:
            rec["programme"] = rng.choice(programmes)["id"]
        periods = [p for p in self.ids.get("programme-periods", []) if _covers(p, start)]
        if periods and rng.random() < 0.6:
            rec["programme_period"] = rng.choice(periods)
        end = start + rng.randint(1, 4)
        if rng.random() < 0.7:
            first = self.date(start)
            last = max(first, self.date(end))
            rec["start"], rec["end"] = first.isoformat()[:7], last.isoformat()
        if "statuses" in self.ids and rng.random() < 0.7:
            status = "closed" if end < YEARS[1] else \
                "planned" if start == YEARS[1] and rng.random() < 0.5 else "ongoing"
            rec["status"] = status if status in self.ids["statuses"] else rng.choice(self.ids["statuses"])
        size = rng.choices(range(1, 8), weights=(30, 25, 18, 12, 8, 4, 3))[0]
        partners = self.orgs_zipf(size)
        if partners:
            rec["partners"] = [{"organization": org, "role": "lead-partner" if i == 0 else "partner"}
                               for i, org in enumerate(partners)]
        if n > 0 and rng.random() < 0.1:  # an initiative within an earlier project: no loops
            rec["part_of"] = self.slugs["project"][rng.randrange(n)]
        for key, chance in (("target_groups", 0.2), ("activities", 0.3), ("outputs", 0.25), ("results", 0.15)):
            if rng.random() < chance:
                rec[key] = self.items(1, 8)
        rec["themes"] = self.some("themes", 1, 3)
        if rng.random() < 0.6:
            rec["sdgs"] = sorted(self.some("sdgs", 1, 4))
        rec["regions"], rec["countries"] = self.region_and_country()
        if rng.random() < 0.2:
            rec["website"] = f"https://example.org/projects/{n}"
        rec["sources"] = self.sources("project", n)
        return rec

    def organization(self, n: int, slug: str) -> dict:
        rng = self.rng
        rec = {"slug": slug, "name": self.title("organization", n, (0, 4))}
        if rng.random() < 0.4:
            rec["short_name"] = f"EXO{n}"
        rec["type"] = rng.choice(self.ids["organization-types"])
        if rng.random() < 0.85:
            rec["country"] = rng.choice(self.ids["countries"])
            cities = [t["label"] for t in self.vocab.get("regions", []) if t.get("country") == rec["country"]]
            if cities and rng.random() < 0.6:
                rec["city"] = dict(rng.choice(cities))
        rec["description"] = self.text(100, 600)
        if n > 0 and rng.random() < 0.04:  # a unit of an earlier organization: no loops
            rec["parent"] = self.slugs["organization"][rng.randrange(n)]
        if n > 0 and rng.random() < 0.04:
            rec["member_of"] = [self.slugs["organization"][rng.randrange(n)]]
        rec["aliases"] = [f"Example organisation {n}", f"EX-ORG-{n}"][: rng.randint(1, 2)]
        if rng.random() < 0.3:
            rec["website"] = f"https://example.org/organizations/{n}"
        rec["sources"] = self.sources("organization", n)
        return rec

    def event(self, n: int, slug: str) -> dict:
        rng = self.rng
        day = self.date(self.year())
        rec = {"slug": slug, "title": self.title("event", n, (2, 10)), "summary": self.text(300, 620),
               "date": day.isoformat()}
        if rng.random() < 0.2:
            rec["end_date"] = (day + datetime.timedelta(days=rng.randint(1, 2))).isoformat()
        if rng.random() < 0.7:
            rec["place"] = {lang: name.format(n=n) for lang, name in NAMES["venue"].items()}
        rec["regions"], rec["countries"] = self.region_and_country()
        rec["format"] = rng.choice(self.ids["event-formats"])
        if rng.random() < 0.75:
            rec["organizers"] = self.orgs_zipf(rng.randint(1, 2))
        if n > 0 and rng.random() < 0.1:
            rec["part_of"] = self.slugs["event"][rng.randrange(n)]
        if rng.random() < 0.4:
            rec["presented"] = self.items(2, 8)
        if rng.random() < 0.25:
            rec["speakers"] = [{"name": {lang: name.format(n=f"{n}.{j + 1}")
                                         for lang, name in NAMES["speaker"].items()},
                                "organization": org}
                               for j, org in enumerate(self.orgs_zipf(rng.randint(1, 3)))]
        projects = self.slugs["project"]
        if projects and rng.random() < 0.35:
            rec["related_projects"] = sorted(rng.sample(projects, min(len(projects), rng.randint(1, 3))))
        if rng.random() < 0.3:
            rec["related_organizations"] = self.orgs_zipf(rng.randint(1, 3))
        rec["themes"] = self.some("themes", 1, 3)
        if rng.random() < 0.3:
            rec["sdgs"] = sorted(self.some("sdgs", 1, 4))
        rec["sources"] = self.sources("event", n)
        return rec

    def playbook(self, n: int, slug: str) -> dict:
        rng = self.rng
        rec = {"slug": slug, "title": self.title("playbook", n, (2, 8)), "summary": self.text(240, 400)}
        if self.ids.get("business-models") and rng.random() < 0.7:
            rec["business_model"] = rng.choice(self.ids["business-models"])
        rec.update(problem=self.text(175, 640), solution=self.text(370, 800),
                   revenue_model=self.text(185, 310), benefits=self.text(180, 580),
                   steps=self.items(5, 7), risks=self.items(3, 4),
                   themes=self.some("themes", 1, 4), sdgs=sorted(self.some("sdgs", 2, 5)))
        projects = self.slugs["project"]
        if projects and rng.random() < 0.6:
            rec["example_projects"] = sorted(rng.sample(projects, min(len(projects), rng.randint(2, 3))))
        if rng.random() < 0.6:
            rec["example_organizations"] = self.orgs_zipf(rng.randint(1, 5))
        rec["sources"] = self.sources("playbook", n)
        return rec

    def write_all(self) -> None:
        for kind in FOLDERS:
            make = getattr(self, kind)
            folder = self.repo / "data" / FOLDERS[kind]
            for n, slug in enumerate(self.slugs[kind]):
                self.rng, self.trng = random.Random(f"{slug}/structure"), random.Random(f"{slug}/text")
                record = {k: v for k, v in make(n, slug).items() if v not in ([], None)}
                (folder / f"{slug}.yml").write_text(
                    f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n{block_yaml(record)}\n",
                    encoding="utf-8")


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_quoted = json.encoder.encode_basestring  # "…" with JSON escapes (= YAML's), non-ASCII kept


def block_yaml(value: dict, indent: str = "") -> str:
    """A record as block YAML, the way editors write it: plain keys, nested mappings indented,
    lists of values in brackets. Strings are double-quoted JSON strings (JSON's escapes are YAML's);
    PyYAML's representer would take most of the fixture's time."""
    lines = []
    for key, v in value.items():
        if isinstance(v, dict):
            lines += [f"{indent}{key}:", block_yaml(v, indent + "  ")]
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(f"{indent}{key}:")
            for item in v:
                lines.append(f"{indent}  - " + block_yaml(item, indent + "    ")[len(indent) + 4:])
        else:
            lines.append(f"{indent}{key}: {_scalar(v)}")
    return "\n".join(lines)


def _scalar(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return _quoted(value)


def _covers(period, year: int) -> bool:
    """A period id such as '2014-2020' covers the year (no period: any year)."""
    if not period:
        return True
    try:
        first, last = (int(x) for x in str(period).split("-"))
    except ValueError:
        return False
    return first <= year <= last


def write_extra_records(repo: Path, extra: int) -> dict[str, int]:
    """Write `extra` generated records into repo/data/; returns how many of each kind."""
    writer = Writer(repo, extra)
    writer.write_all()
    return writer.counts
