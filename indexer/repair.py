"""Punctuation lost in transcoding, put back before anything reads the text.

Scraped and archived news often reaches us with its typographic marks flattened by a lossy conversion
(a quarter of Dai 2017's articles; Reuters-21578 has the first kind too):

- an apostrophe written as a double quote inside a word: ``don"t``, ``Brazil"s`` -> ``don't``, ``Brazil's``;
- a typographic mark (a curly quote or apostrophe, a dash, a bullet) and the space after it written as
  ``"?``, glued to the next word: ``DeVos"?nomination``, ``noticed,"?she told``, ``determine "?at least``.
  Which mark it was is read from where it stands: after sentence punctuation it closes a quotation; after
  a word it closes the quotation open in the paragraph, else it is a possessive apostrophe; after a
  space it is a dash (an opening quote stands before a word, with no space to lose).

- a paragraph break flattened to a run of spaces: three or more spaces after the end of a sentence and
  before the start of the next (``the CDC.     Public health experts``) become a break between paragraphs
  (the spaces first, then a blank line). Runs of spaces inside a line (a table's columns) stay.

Left alone: a ``"?`` followed by a space or the end (``Is it "fake news"? Yes``), and text without
straight double quotes. Every repair keeps the text's length, so offsets into the repaired text are
offsets into what was read.
"""

from __future__ import annotations

import re

_LOST_BREAK = re.compile(r'(?<=[.!?"\')\]:\u201d]) {3,}(?=[A-Z"\u201c(\u2014-])')
_APOSTROPHE = re.compile(r'(?<=[A-Za-z])"(?=(?:s|t|d|m|ll|re|ve)\b)')
_QUOTE_OR_BREAK = re.compile(r'"|\n')
_CLOSING_AFTER = frozenset('.,!?;:)]')


def repair_punctuation(text: str) -> str:
    """`text` with flattened paragraph breaks, apostrophes and glued ``"?`` marks restored (same length)."""
    text = _LOST_BREAK.sub(lambda m: " " * (len(m.group()) - 2) + "\n\n", text)
    if '"' not in text:
        return text
    chars = list(_APOSTROPHE.sub("'", text))
    quote_open = False
    for m in _QUOTE_OR_BREAK.finditer("".join(chars)):
        i = m.start()
        if chars[i] == "\n":
            quote_open = False
        elif not _glued_mark(chars, i):
            quote_open = not quote_open
        else:
            chars[i], chars[i + 1] = _lost_mark(chars[i - 1] if i else "\n", quote_open), " "
            quote_open = quote_open and chars[i] != '"'
    return "".join(chars)


def _glued_mark(chars: list[str], i: int) -> bool:
    """A ``"?`` standing for a mark and a lost space: the next word follows at once."""
    return i + 2 < len(chars) and chars[i + 1] == "?" and not chars[i + 2].isspace()


def _lost_mark(before: str, quote_open: bool) -> str:
    if before in _CLOSING_AFTER:
        return '"'
    if before.isalnum():
        return '"' if quote_open else "'"
    return "\u2014"
