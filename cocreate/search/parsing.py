"""What a person typed, reduced to words and phrases that no engine can misread.

Only letters and digits survive (any script, so æ, ø and å do), lowercased.
Text in double quotes is a phrase; an unclosed quote runs to the end. Every
other character, including each engine's operators (``&``, ``|``, ``!``,
``:*``, ``NEAR``, ``-``, ``(``), is a separator, so no input can raise a
syntax error. All terms must match; the last word, if typed outside quotes,
also matches as a prefix ("leveran" finds "leverandør") for active search.
"""
import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")
MAX_LENGTH = 200
MAX_TERMS = 8


@dataclass(frozen=True)
class Term:
    words: tuple  # one word, or the words of a phrase in order
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple

    def __bool__(self):
        return bool(self.terms)

    @property
    def words(self):
        return [(word, term.prefix and index == len(term.words) - 1)
                for term in self.terms for index, word in enumerate(term.words)]


def _words(text):
    return tuple(word.lower() for word in WORD.findall(text))


def parse(text):
    text = (text or "")[:MAX_LENGTH]
    terms = []
    for index, part in enumerate(text.split('"')):
        words = _words(part)
        if index % 2:  # inside quotes
            if words:
                terms.append(Term(words))
        else:
            terms.extend(Term((word,)) for word in words)
    terms = terms[:MAX_TERMS]
    last_quoted = text.count('"') % 2 == 1 or text.rstrip().endswith('"')
    if terms and len(terms[-1].words) == 1 and not last_quoted:
        terms[-1] = Term(terms[-1].words, prefix=True)
    return ParsedQuery(tuple(terms))
