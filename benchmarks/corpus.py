"""A synthetic, seeded corpus of French and English business-news articles for the speed benchmark.

    python benchmarks/corpus.py [--mb 20] [--seed 7]     # writes and prints the cached file

The text imitates what the extractor reads in production: headlines, datelines, prose paragraphs whose
sentences carry figures in every format we meet (thousands separated by spaces, U+00A0, U+202F or
commas; decimal commas and points; percentages, signed changes, percentage points; currencies as words,
symbols and codes; scale words and abbreviations; periods, targets, qualifiers, ranges), figure-free
sentences with years, dates and model names, and some pipe tables. It is built from templates written
for this benchmark, so its claims are plausible but invented. Generation is deterministic for a given
seed and size; the result is cached as JSONL (``{"id", "language", "text"}`` per article) under
``benchmarks/.cache/``. Sizes are in MB of UTF-8 text (10**6 bytes).
"""

from __future__ import annotations

import argparse
import json
import random
import string
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
VERSION = 1  # bump when the templates change, so stale caches are not reused

COMPANIES = ["Tesla", "BYD", "NIO", "XPeng", "Xiaomi", "Li Auto", "Zeekr", "Leapmotor", "Geely", "SAIC Motor",
             "Great Wall Motor", "Volkswagen", "Renault", "Stellantis", "Toyota", "Polestar", "Rivian", "Lucid",
             "Huawei", "Seres", "Changan", "GAC Aion", "Hyundai", "BMW", "Mercedes-Benz"]
PRODUCTS = ["SU7", "SU7 Ultra", "YU7", "Model Y", "Model 3", "Seal", "Dolphin", "Atto 3", "ET5", "ES6", "Onvo L60",
            "Mona M03", "G6", "P7+", "L6", "Zeekr 001", "C10", "R5 E-Tech", "ID.3", "EX30", "Aito M9", "bZ3"]
CITIES_FR = ["Pékin", "Shanghai", "Shenzhen", "Munich", "Paris", "Hangzhou", "Hefei", "Canton", "Francfort"]
CITIES_EN = ["Beijing", "Shanghai", "Shenzhen", "Munich", "Paris", "Hangzhou", "Hefei", "Guangzhou", "Austin"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
ORD_FR = ["premier", "deuxième", "troisième", "quatrième"]
ORD_EN = ["first", "second", "third", "fourth"]
SPACES_FR = [" ", " ", "\u00a0", "\u202f", "\u202f"]  # French thousands separators, by frequency


class Writer:
    """Random slot values for one language; every public method is a template slot."""

    def __init__(self, rng: random.Random, lang: str):
        self.r, self.lang = rng, lang
        self.fr = lang == "fr"

    # -- number formats --
    def _int(self, n: int) -> str:
        if not self.fr:
            return f"{n:,}" if n >= 10000 or self.r.random() < 0.7 else str(n)
        if n < 10000 and self.r.random() < 0.4:
            return str(n)
        return f"{n:,}".replace(",", self.r.choice(SPACES_FR))

    def _dec(self, x: float, places: int = 1) -> str:
        text = f"{x:.{places}f}"
        return text.replace(".", ",") if self.fr else text

    def _pct_sign(self) -> str:
        return self.r.choice(["\u00a0%", " %", "%", " pour cent"]) if self.fr else self.r.choice(["%", "%", " percent", " per cent"])

    # -- slots --
    def entity(self) -> str:
        return self.r.choice(COMPANIES)

    def rival(self) -> str:
        return self.r.choice(COMPANIES)

    def product(self) -> str:
        return self.r.choice(PRODUCTS)

    def city(self) -> str:
        return self.r.choice(CITIES_FR if self.fr else CITIES_EN)

    def year(self) -> str:
        return str(self.r.randint(2019, 2026))

    def date(self) -> str:
        month, day = self.r.randrange(12), self.r.randint(1, 28)
        if self.fr:
            return f"{day} {MONTHS_FR[month]} {self.year()}"
        return f"{MONTHS_EN[month]} {day}, {self.year()}"

    def period(self) -> str:
        y, q = self.year(), self.r.randrange(4)
        if self.fr:
            return self.r.choice([f"au {ORD_FR[q]} trimestre {y}", f"au T{q + 1} {y}", f"au {ORD_FR[q % 2]} semestre {y}",
                                  f"en {MONTHS_FR[self.r.randrange(12)]} {y}", f"sur l'ensemble de l'année {y}",
                                  f"sur l'exercice {y}", "depuis le début de l'année", f"au S{q % 2 + 1} {y}"])
        return self.r.choice([f"in the {ORD_EN[q]} quarter of {y}", f"in Q{q + 1} {y}", f"in H{q % 2 + 1} {y}",
                              f"in {MONTHS_EN[self.r.randrange(12)]} {y}", f"for full-year {y}", f"in fiscal {y}",
                              "so far this year", f"in the {ORD_EN[q % 2]} half of {y}"])

    def qual(self) -> str:
        if self.r.random() < 0.6:
            return ""
        return self.r.choice(["environ ", "près de ", "plus de ", "quelque ", "jusqu'à "] if self.fr
                             else ["about ", "nearly ", "more than ", "over ", "roughly ", "up to "])

    def vol(self) -> str:
        n = self.r.choice([self.r.randint(800, 9999), self.r.randint(10000, 999999)])
        noun = self.r.choice(["véhicules", "unités", "voitures", "exemplaires", "livraisons"] if self.fr
                             else ["vehicles", "units", "cars", "deliveries", "EVs"])
        if self.r.random() < 0.15:  # scale words on volumes
            x = self._dec(self.r.uniform(1, 4), self.r.choice([1, 2]))
            return f"{x} millions {'d’' if noun[0] in 'aeiouéh' else 'de '}{noun}" if self.fr else f"{x} million {noun}"
        if self.r.random() < 0.1:
            return f"{self.r.randint(10, 500)}k {noun}" if not self.fr else f"{self.r.randint(10, 500)} 000 {noun}"
        return f"{self._int(n)} {noun}"

    def num(self) -> str:
        return self._int(self.r.randint(1000, 999999))

    def money(self) -> str:
        r, x = self.r, self.r.uniform(0.3, 180)
        d = self._dec(x, r.choice([1, 1, 2]))
        big = r.random() < 0.6
        if self.fr:
            word = ("milliards" if x >= 2 else "milliard") if big else "millions"
            cur = r.choice(["de yuans", "d'euros", "de dollars", "de dollars de Hong Kong", "de yuans", "de dollars américains"])
            return r.choice([f"{d} {word} {cur}", f"{d} {'Md' if big else 'M'}€", f"{d} {'Md' if big else 'M'} de yuans",
                             f"{d} {word} de ¥", f"{self._int(r.randint(100, 99999))} millions {cur}",
                             f"{d} {word} {r.choice(['CNY', 'EUR', 'USD', 'HKD'])}"])
        word = r.choice(["billion", "bn", "million", "m"]) if big else r.choice(["million", "m"])
        sep = "" if word in ("bn", "m") else " "
        return r.choice([f"${d}{sep}{word}", f"US${d}{sep}{word}", f"€{d}{sep}{word}", f"HK${d}{sep}{word}",
                         f"{d} {word} yuan", f"RMB{d}{sep}{word}", f"CNY {d} {word}", f"{d} billion euros",
                         f"¥{d}{sep}{word}", f"{self._int(r.randint(100, 99999))} million yuan"])

    def price(self) -> str:
        n = self._int(self.r.randrange(99900, 899900, 1000))
        if self.fr:
            return self.r.choice([f"{n} yuans", f"{n} €", f"{n} euros", f"{n} CNY"])
        return self.r.choice([f"{n} yuan", f"${n}", f"€{n}", f"CNY {n}"])

    def pct(self) -> str:
        return self._dec(self.r.uniform(0.5, 60), self.r.choice([0, 1, 1, 2])) + self._pct_sign()

    def change(self) -> str:
        up = self.r.random() < 0.7
        x = self._dec(self.r.uniform(0.5, 250 if up else 60), self.r.choice([0, 1]))
        sign = self._pct_sign()
        if self.fr:
            return self.r.choice([f"{'+' if up else '-'}{x}{sign}", f"en {'hausse' if up else 'baisse'} de {x}{sign}",
                                  f"soit une {'progression' if up else 'chute'} de {x}{sign} sur un an"])
        return self.r.choice([f"{'+' if up else '-'}{x}{sign}", f"{'up' if up else 'down'} {x}{sign} year on year",
                              f"a {'rise' if up else 'fall'} of {x}{sign} from a year earlier"])

    def pp(self) -> str:
        x = self._dec(self.r.uniform(0.1, 6), 1)
        if self.fr:
            return self.r.choice([f"+{x} point", f"{x} points de pourcentage", f"-{x} pts", f"{x} points"])
        return self.r.choice([f"{x} percentage points", f"+{x} pp", f"{x} points", f"-{x} pts"])

    def raised(self) -> str:
        old = self.r.randrange(50000, 900000, 5000)
        new, word = old + self.r.randrange(5000, 200000, 5000), ("de {} à {}" if self.fr else "from {} to {}")
        return word.format(self._int(old), self._int(new))

    def range(self) -> str:
        lo = self.r.randrange(10000, 400000, 500)
        hi = lo + self.r.randrange(1000, 50000, 500)
        if self.fr:
            return f"entre {self._int(lo)} et {self._int(hi)} véhicules"
        return self.r.choice([f"between {self._int(lo)} and {self._int(hi)} vehicles", f"{self._int(lo)} to {self._int(hi)} units"])

    def age(self) -> str:
        return str(self.r.randint(38, 67))


FR = [
    "{entity} a livré {qual}{vol} {period}, {change}.",
    "Les livraisons de {entity} ont atteint {num} {period}, {change} par rapport à l'an dernier.",
    "Le chiffre d'affaires du pôle automobile de {entity} s'est établi à {qual}{money} {period}.",
    "{entity} a publié un chiffre d'affaires de {money} {period}, {change}.",
    "La marge brute de {entity} ressort à {pct} {period}, en amélioration de {pp} sur un an.",
    "La marge brute s'améliore de {pp} pour atteindre {pct}.",
    "{entity} vise désormais {vol} en {year}, contre un objectif initial de {num}.",
    "L'objectif de livraisons pour {year} a été relevé {raised} unités.",
    "Le groupe table sur {range} au trimestre suivant.",
    "La perte nette de {entity} s'est réduite à {money} {period}.",
    "Le résultat d'exploitation atteint {money}, soit une marge de {pct}.",
    "Le prix de vente moyen de la {product} s'élève à {price}, {change}.",
    "La {product} est proposée à partir de {price} en Chine.",
    "Les commandes de la {product} ont dépassé {vol} en {hours} heures.",
    "Les livraisons cumulées de {entity} ont franchi le cap des {num} unités à fin {month} {year}.",
    "Selon les analystes, {entity} pourrait écouler {vol} en {year}, pour un chiffre d'affaires de {money}.",
    "{entity} détient {pct} du marché chinois des véhicules électriques {period}.",
    "Le bénéfice brut de {entity} a bondi de {pct} à {money}.",
    "Les ventes à l'export de {entity} représentent {pct} du total, contre {pct2} un an plus tôt.",
    "Sur les {months} premiers mois de {year}, {entity} a vendu {vol}, {change}.",
]
FR_PROSE = [
    "Le constructeur, fondé en {year}, a inauguré un centre de recherche à {city} le {date}.",
    "Son PDG, âgé de {age} ans, a détaillé la stratégie lors d'une conférence à {city}.",
    "La concurrence reste vive face à {rival}, qui prépare le lancement de la {product}.",
    "Les analystes s'interrogent sur la capacité du groupe à maintenir ce rythme en {year}.",
    "L'usine de {city} devrait monter en cadence d'ici à la fin de l'année.",
    "{entity} n'a pas souhaité commenter ces informations, publiées le {date}.",
    "La guerre des prix engagée par {rival} pèse sur les marges de tout le secteur.",
    "Le marché européen reste une priorité, même si les droits de douane compliquent l'équation.",
    "La {product} et la {product2} partagent la même plateforme technique.",
    "L'expansion à l'international passera d'abord par {city}, selon la direction.",
]
EN = [
    "{entity} delivered {qual}{vol} {period}, {change}.",
    "Deliveries at {entity} reached {num} {period}, {change}.",
    "Revenue from {entity}'s car business came in at {qual}{money} {period}.",
    "{entity} reported revenue of {money} {period}, {change}.",
    "Gross margin at {entity} was {pct} {period}, up {pp} from a year earlier.",
    "Gross margin widened by {pp} to {pct}.",
    "{entity} now targets {vol} in {year}, against an initial goal of {num}.",
    "The {year} delivery target was raised {raised} units.",
    "The group expects {range} next quarter.",
    "{entity}'s net loss narrowed to {money} {period}.",
    "Operating profit reached {money}, a margin of {pct}.",
    "The average selling price of the {product} rose to {price}, {change}.",
    "The {product} starts at {price} in China.",
    "Orders for the {product} topped {vol} within {hours} hours.",
    "Cumulative deliveries at {entity} passed {num} units as of {month} {year}.",
    "Analysts expect {entity} to sell {vol} in {year}, for revenue of {money}.",
    "{entity} held {pct} of China's EV market {period}.",
    "{entity}'s gross profit jumped {pct} to {money}.",
    "Exports made up {pct} of {entity}'s sales, compared with {pct2} a year ago.",
    "In the first {months} months of {year}, {entity} sold {vol}, {change}.",
]
EN_PROSE = [
    "The carmaker, founded in {year}, opened a research centre in {city} on {date}.",
    "Its {age}-year-old chief executive outlined the plan at a conference in {city}.",
    "Competition remains fierce from {rival}, which is preparing to launch the {product}.",
    "Analysts question whether the group can keep up this pace in {year}.",
    "The {city} plant is expected to ramp up by the end of the year.",
    "{entity} declined to comment on the report, published on {date}.",
    "The price war started by {rival} is squeezing margins across the industry.",
    "Europe remains a priority, although tariffs complicate the picture.",
    "The {product} and the {product2} share the same platform.",
    "International expansion will start in {city}, management said.",
]
TITLES = {
    "fr": ["{entity} : les livraisons s'envolent {period}", "{entity} relève son objectif pour {year}",
           "Voitures électriques : {entity} accélère face à {rival}", "Résultats : {entity} publie ses comptes"],
    "en": ["{entity} deliveries surge {period}", "{entity} raises its {year} target",
           "EVs: {entity} speeds up against {rival}", "Earnings: {entity} posts results"],
}
TABLE_HEAD = {"fr": ["Indicateur", "Livraisons", "Chiffre d'affaires (M¥)", "Marge brute", "Prix moyen (¥)"],
              "en": ["Metric", "Deliveries", "Revenue (CNY m)", "Gross margin", "Average price (CNY)"]}

_FIELDS: dict[str, list[str]] = {}


def _fill(template: str, w: Writer) -> str:
    fields = _FIELDS.get(template)
    if fields is None:  # parse each template once: the generator must stay fast
        fields = _FIELDS[template] = sorted({f for _, f, _, _ in string.Formatter().parse(template) if f})
    values = {}
    for f in fields:
        if f in ("pct2", "product2"):  # a second, independent value of the same slot
            values[f] = getattr(w, f[:-1])()
        elif f == "month":
            values[f] = w.r.choice(MONTHS_FR if w.fr else MONTHS_EN)
        elif f in ("hours", "months"):
            values[f] = str(w.r.randint(2, 11))
        else:
            values[f] = getattr(w, f)()
    return template.format(**values)


def _table(w: Writer) -> str:
    quarters = [f"{'T' if w.fr else 'Q'}{q} {y}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
    cols = w.r.sample(quarters, w.r.randint(2, 4))
    head = TABLE_HEAD[w.lang]
    lines = ["| " + " | ".join([head[0]] + cols) + " |", "|" + " --- |" * (len(cols) + 1)]
    for label in w.r.sample(head[1:], w.r.randint(2, 4)):
        if "marg" in label.lower():
            cells = [w._dec(w.r.uniform(5, 30), 1) + " %" if w.fr else w._dec(w.r.uniform(5, 30), 1) + "%" for _ in cols]
        else:
            cells = [w._int(w.r.randint(1000, 900000)) for _ in cols]
        lines.append("| " + " | ".join([label] + cells) + " |")
    return "\n".join(lines)


DENSE_SHARE = 0.55  # sentences that carry figures: a results-release density, a figure every ~70 chars
NEWS_SHARE = 0.05  # about the density of the seed articles: a figure every ~850 characters


def article(rng: random.Random, lang: str, figure_share: float = DENSE_SHARE) -> str:
    w = Writer(rng, lang)
    figures, prose = (FR, FR_PROSE) if w.fr else (EN, EN_PROSE)
    parts = [_fill(rng.choice(TITLES[lang]), w),
             (f"Publié le {w.date()}" if w.fr else f"Published {w.date()}")]
    for _ in range(rng.randint(4, 10)):
        sentences = [_fill(rng.choice(figures if rng.random() < figure_share else prose), w) for _ in range(rng.randint(2, 6))]
        parts.append(" ".join(sentences))
        if rng.random() < 0.08:
            parts.append(_table(w))
    return "\n\n".join(parts)


def generate(mb: float = 20, seed: int = 7, figure_share: float = DENSE_SHARE):
    """Yield (id, language, text) until the text adds up to `mb` MB of UTF-8."""
    rng, target, size, i = random.Random(seed), mb * 1_000_000, 0, 0
    while size < target:
        lang = "fr" if rng.random() < 0.5 else "en"
        text = article(rng, lang, figure_share)
        size += len(text.encode("utf-8"))
        i += 1
        yield f"{lang}-{i:06d}", lang, text


def corpus_path(mb: float, seed: int, figure_share: float = DENSE_SHARE) -> Path:
    share = "" if figure_share == DENSE_SHARE else f"-share{figure_share:g}"
    return CACHE / f"corpus-v{VERSION}-seed{seed}-{mb:g}mb{share}.jsonl"


def load(mb: float = 20, seed: int = 7, figure_share: float = DENSE_SHARE) -> list[dict]:
    """The corpus as a list of {id, language, text}, generated and cached on first use."""
    path = corpus_path(mb, seed, figure_share)
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for id_, lang, text in generate(mb, seed, figure_share):
                out.write(json.dumps({"id": id_, "language": lang, "text": text}, ensure_ascii=False) + "\n")
        tmp.replace(path)  # a half-written cache is never picked up
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", action="store_true", help="print the first French and English articles")
    args = parser.parse_args()
    started = time.perf_counter()
    docs = load(args.mb, args.seed)
    chars = sum(len(d["text"]) for d in docs)
    print(f"{corpus_path(args.mb, args.seed)}: {len(docs)} articles, {chars:,} characters "
          f"({time.perf_counter() - started:.1f}s)")
    if args.sample:
        for lang in ("fr", "en"):
            print("\n" + next(d["text"] for d in docs if d["language"] == lang))


if __name__ == "__main__":
    main()
