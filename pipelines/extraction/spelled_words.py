"""The number words of each language, by grammatical role; ``spelled.py`` holds the grammar.

Roles: ``units`` (0-9), ``teens`` (10-19), ``tens`` (20-90), ``hundred``, ``scales`` (powers of a
thousand and the Indian lakh and crore), ``dozens``, ``articles`` (one only before a multiplier or as
a numerator), connectors (``and``, ``point`` for decimals, ``over`` for ratios, ``of`` between a
fraction and its scale), ``ordinals`` (a denominator: unit, teen, tens or round ordinals, with the
compound-only ones such as "first" that are a denominator only inside "twenty-first") and ``parts``
(half, quarter, tiers: denominators that never take a compound prefix). Plurals and unaccented
spellings are derived, not listed.
"""

from __future__ import annotations

ENGLISH = {
    "units": {"zero": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
              "six": 6, "seven": 7, "eight": 8, "nine": 9},
    "teens": {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
              "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19},
    "tens": {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
             "eighty": 80, "ninety": 90},
    "hundred": {"hundred": 100},
    "scales": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
               "trillion": 1e12, "trillions": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7},
    "dozens": {"dozen": 12, "dozens": 12, "doz": 12, "dozs": 12, "dz": 12, "dzs": 12},
    "articles": {"a": 1, "an": 1},
    "and": ["and"],
    "point": ["point"],
    "over": ["over", "out of"],
    "of": ["of"],
    "ordinals": {
        "unit": {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9},
        "teen": {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                 "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19},
        "tens": {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                 "seventieth": 70, "eightieth": 80, "ninetieth": 90},
        "round": {"hundredth": 100, "thousandth": 1e3, "millionth": 1e6, "billionth": 1e9, "trillionth": 1e12},
    },
    # "a first", "one second": an ordinal or a duration, a denominator only in "twenty-first".
    "compound_only": ["first", "second"],
    "parts": {"half": 2, "halves": 2, "quarter": 4, "quarters": 4},
    "singular_parts": ["half", "quarter"],
    # A lone "one" after these is a pronoun ("the one you chose"), not a number.
    "pronoun_after": ["the", "this", "that", "which", "each", "every", "any", "another", "no"],
    "flags": {
        # "ninety-five hundred" and "3 hundred": English multiplies hundred by up to 99, digits too.
        "hundred_max": 99, "digits_times_hundred": True, "bare_hundred": [], "bare_scales": [],
        # "one hundred thirty fifths" is 100/35: a compound ordinal takes the longest prefix it can.
        "longest_denominator": True,
        # "one fifth", "two fifths": the numerator agrees with the ordinal's number.
        "agreement": True,
    },
}

FRENCH = {
    "units": {"zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
              "sept": 7, "huit": 8, "neuf": 9},
    "teens": {"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
              "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19},
    "tens": {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
             "soixante-dix": 70, "septante": 70, "quatre-vingt": 80, "quatre-vingts": 80, "huitante": 80,
             "octante": 80, "quatre-vingt-dix": 90, "nonante": 90},
    "hundred": {"cent": 100, "cents": 100},
    "scales": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
               "billion": 1e12, "billions": 1e12, "billiard": 1e15, "billiards": 1e15,
               "trillion": 1e18, "trillions": 1e18},
    "dozens": {"douzaine": 12, "douzaines": 12},
    "articles": {},  # "un" and "une" are units; alone they are articles (see ARTICLES)
    "and": ["et"],
    "point": ["virgule"],
    "over": ["sur"],
    "of": ["de"],
    "ordinals": {
        "unit": {"unième": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6,
                 "septième": 7, "huitième": 8, "neuvième": 9},
        "teen": {"dixième": 10, "onzième": 11, "douzième": 12, "treizième": 13, "quatorzième": 14,
                 "quinzième": 15, "seizième": 16, "dix-septième": 17, "dix-huitième": 18, "dix-neuvième": 19},
        "tens": {"vingtième": 20, "trentième": 30, "quarantième": 40, "cinquantième": 50, "soixantième": 60,
                 "soixante-dixième": 70, "quatre-vingtième": 80, "quatre-vingt-dixième": 90},
        "round": {"centième": 100, "millième": 1e3, "millionième": 1e6, "milliardième": 1e9,
                  "billionième": 1e12, "trillionième": 1e18},
    },
    # "un deuxième" is an ordinal; French says "un demi".
    "compound_only": ["unième", "deuxième"],
    "parts": {"demi": 2, "demie": 2, "demis": 2, "demies": 2, "tiers": 3, "quart": 4, "quarts": 4},
    "singular_parts": ["demi", "demie", "tiers", "quart"],
    "pronoun_after": [],
    "flags": {
        # Only a unit multiplies "cent" ("trois cents"); "45 cents" is money. "cent" and "mille" stand
        # alone for one hundred and one thousand; "cents" needs its multiplier.
        "hundred_max": 9, "digits_times_hundred": False, "bare_hundred": ["cent"], "bare_scales": ["mille"],
        # French hyphenates compound ordinals ("trente-cinquième"): "cent trente cinquièmes" is 130/5.
        "longest_denominator": False,
        "agreement": False,
    },
}

LANGUAGES = {"en": ENGLISH, "fr": FRENCH}

# Words that alone are articles, not quantities.
ARTICLES = {"un", "une", "a", "an"}


def plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def unaccented(word: str) -> str:
    """"cinquième" as often typed, "cinquieme"."""
    return word.replace("è", "e").replace("é", "e")
