"""Punctuation lost in transcoding, put back before anything reads the text.

Scraped and archived news often reaches us with its typographic marks flattened by a lossy conversion
(a quarter of Dai 2017's articles; Reuters-21578 has the first kind too):

- an apostrophe written as a double quote inside a word: ``don"t``, ``Brazil"s`` -> ``don't``, ``Brazil's``;
- a typographic mark (a curly quote or apostrophe, a dash, a bullet) and the space after it written as
  ``"?``, glued to the next word: ``DeVos"?nomination``, ``noticed,"?she told``, ``determine "?at least``.
  Which mark it was is read from where it stands: after sentence punctuation it closes a quotation;
  after a word it closes the quotation open in the paragraph unless that quotation closes later (then
  it is a possessive apostrophe, as it is when none is open); at a paragraph's start it opens one;
  after a space it is a dash (an opening quote stands before a word, with no space to lose);
- in a body (:func:`restore_paragraph_breaks`), a paragraph break flattened to a run of spaces: three
  or more spaces after the end of a sentence and before the next sentence's capitalised word or
  quotation (``the CDC.     Public health experts``) become a break between paragraphs (the spaces
  first, then a blank line). Lines of columns (a table's short cells) keep their runs of spaces.

Left alone: a ``"?`` that is not glued to a word (``Is it "fake news"? Yes``, ``"Hamlet"?)``). Every
repair keeps the text's length, so offsets into the repaired text are offsets into what was read.
"""

from __future__ import annotations

import re

_APOSTROPHE = re.compile(r'(?<=[A-Za-z])"(?=(?:s|t|d|m|ll|re|ve|S|T|D|M|LL|RE|VE)\b)')
_QUOTE_OR_BREAK = re.compile(r'"|\n[ \t\r]*\n')
_CLOSING_AFTER = frozenset(".,!?;:)]'\u2019\u201d")
_OPENING_AFTER = frozenset(" \t\r\n([{\u2014-")
_GLUED_TO = frozenset('"([$#@&\u201c')  # besides letters and digits: what a glued mark may precede
# the end of a sentence ("said.", "ago?", '"yes."', not "Mr." or "U.S."), runs of spaces, a new sentence
_LOST_BREAK = re.compile(
    r'(?:(?<=[A-Za-z0-9%]{2}[.!?])|(?<=[.!?,]["\u201d\']))(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|vs)\.) {3,}(?=[A-Z][a-z]|["\u201c])'
)
COLUMN_GAP = re.compile(r"\S {3,}(?=\S)")  # a run of spaces between two words: a table's columns, or a lost break
WORDS_PER_COLUMN = 8  # table cells hold 1-4 words (Reuters-21578 at most 3.7 a column); prose 14 and more


def repair_punctuation(text: str) -> str:
    """`text` with flattened apostrophes and glued ``"?`` marks restored (same length)."""
    if '"' not in text:
        return text
    text = _APOSTROPHE.sub("'", text)
    if '"?' not in text:
        return text
    chars = list(text)
    quote_open = False
    for m in _QUOTE_OR_BREAK.finditer(text):
        i = m.start()
        if chars[i] != '"':
            quote_open = False  # a blank line ends a paragraph; one line break does not (hard-wrapped text)
        elif _glued_mark(chars, i):
            mark = _lost_mark(chars, i, quote_open)
            chars[i], chars[i + 1] = mark, " "
            if mark == '"':  # a quotation opened at a paragraph's start, or one closed
                quote_open = _at_paragraph_start(chars, i)
        else:
            quote_open = _opens(chars, i)
    return "".join(chars)


def repair_body(text: str) -> str:
    """An article body's repair: paragraph breaks first (a quotation's state ends with its paragraph),
    then the marks."""
    return repair_punctuation(restore_paragraph_breaks(text))


def restore_paragraph_breaks(text: str) -> str:
    """`text` with paragraph breaks flattened to runs of spaces restored (same length); a body's repair."""
    if "   " not in text:
        return text
    lines = text.split("\n")
    return "\n".join(line if is_column_line(line) else _LOST_BREAK.sub(_as_break, line) for line in lines)


def is_column_line(line: str) -> bool:
    """Columns set apart by runs of spaces ("Net profit    12.5 mln    11.3 mln"), not a paragraph that
    happens to hold runs of spaces (a scraped page's lost line breaks)."""
    gaps = len(COLUMN_GAP.findall(line))
    return gaps >= 2 and len(line.split()) <= WORDS_PER_COLUMN * (gaps + 1)


def _as_break(m: re.Match) -> str:
    return " " * (len(m.group()) - 2) + "\n\n"


def _glued_mark(chars: list[str], i: int) -> bool:
    """A ``"?`` standing for a mark and a lost space: the next word follows at once."""
    if i + 2 >= len(chars) or chars[i + 1] != "?":
        return False
    after = chars[i + 2]
    return after.isalnum() or after in _GLUED_TO


def _at_paragraph_start(chars: list[str], i: int) -> bool:
    j = i - 1
    while j >= 0 and chars[j] in " \t\r":
        j -= 1
    return j < 0 or chars[j] == "\n"


def _opens(chars: list[str], i: int) -> bool:
    """A plain double quote opens a quotation after a space, a bracket or a line's start; else it closes."""
    return i == 0 or chars[i - 1] in _OPENING_AFTER


def _lost_mark(chars: list[str], i: int, quote_open: bool) -> str:
    if _at_paragraph_start(chars, i):
        return '"'  # a paragraph opening with a quotation
    before = chars[i - 1]
    if before in _CLOSING_AFTER:
        return '"'
    if before.isalpha():
        return '"' if quote_open and not _closes_later(chars, i) else "'"
    return "\u2014"


def _closes_later(chars: list[str], i: int) -> bool:
    """The next double quote of the paragraph closes a quotation: the one open is not closed at `i`."""
    for j in range(i + 2, len(chars)):
        if chars[j] == "\n" and "\n" in chars[j + 1 : j + 3]:
            return False
        if chars[j] == '"':
            return not _opens(chars, j)
    return False
