"""Punctuation flattened in transcoding is put back when an article is read (indexer.repair)."""

from __future__ import annotations

import json

import pytest

from indexer.nlp import make_doc
from indexer.repair import repair_punctuation, restore_paragraph_breaks
from indexer.sources import read_file


@pytest.mark.parametrize(("damaged", "repaired"), [
    ('"I don"t go to bed at 1 a.m.," he said.', '"I don\'t go to bed at 1 a.m.," he said.'),
    ("Brazil\"s output fell; we\"ve seen it, I\"m sure.", "Brazil's output fell; we've seen it, I'm sure."),
    ('"We learned a lot about loyalty,"?the president said.', '"We learned a lot about loyalty," the president said.'),
    ('"It is over."?Before the vote, she left.', '"It is over." Before the vote, she left.'),
    ("The Senate voted on DeVos\"?nomination.", "The Senate voted on DeVos' nomination."),
    ('He called them "Bowling Green terrorists"?in a speech.', 'He called them "Bowling Green terrorists" in a speech.'),
    ('It could determine "?at least for now "?the fate of many.', "It could determine \u2014 at least for now \u2014 the fate of many."),
    # a possessive inside a quotation that closes later is no closing mark
    ('"Taking innocent soldiers"?lives away."?And she left.', '"Taking innocent soldiers\' lives away." And she left.'),
    ('"?We will win," he said.', '" We will win," he said.'),  # a paragraph opening with a quotation
    ("He said: 'no,'\"?Birkhead told them.", "He said: 'no,'\" Birkhead told them."),
    ('TRUMP"S PLAN', "TRUMP'S PLAN"),
])
def test_flattened_marks_are_restored(damaged, repaired):
    assert repair_punctuation(damaged) == repaired
    assert len(repair_punctuation(damaged)) == len(damaged)  # offsets into what was read hold


@pytest.mark.parametrize("clean", [
    'Is it "fake news"? Yes, says the poll.',  # a question mark after a quotation, then a space
    'He said "yes"?',
    '(is it "fake news"?)',
    'Who wrote "Hamlet"?\'',
    '"Good," she said. "Very good."',
    "No quotation marks at all: it's fine.",
])
def test_clean_text_is_left_alone(clean):
    assert repair_punctuation(clean) == clean


def test_the_quote_state_is_per_paragraph():
    # the quotation left open in the first paragraph does not make the second one's mark a closing quote;
    # a single line break (hard-wrapped text) does not end a paragraph
    assert repair_punctuation('He said "this is open\n\nThe teachers"?unions met.').endswith("The teachers' unions met.")
    assert repair_punctuation('He said "it is wrapped across\nlines and ends here"?before').endswith('here" before')


def test_an_article_is_read_repaired(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "Loyalty", "text": '"I"m disappointed,"?the president said.'}) + "\n")
    [article] = list(read_file(path))
    assert article.body == '"I\'m disappointed," the president said.'


@pytest.mark.slow
def test_a_quote_behind_flattened_marks_gets_its_speaker(nlp):
    body = repair_punctuation(
        'George Clooney is ready to be a dad, he told reporters on Monday. "I played a doctor on TV. '
        'I"m the guy,"?he joked. "I didn"t know that we would have kids,"?he said.')
    doc = nlp(make_doc(nlp, "", body))
    quotes = {q.text: q.speaker for q in doc._.quotes if q.kind == "direct"}
    assert quotes == {"I played a doctor on TV. I'm the guy": "George Clooney",
                      "I didn't know that we would have kids": "George Clooney"}


LONG = ("The flu season was worse than usual this winter, officials at the CDC said on Monday in a report.     "
        "Public health experts have been warning about the strain for months, and hospitals are full.   "
        '"We are ready for it," one doctor said. Mr.    Smith agreed, as did the U.S.   Trade office.')


def test_a_paragraph_break_flattened_to_spaces_is_restored():
    repaired = restore_paragraph_breaks(LONG)
    assert [p.strip() for p in repaired.split("\n\n")] == [
        "The flu season was worse than usual this winter, officials at the CDC said on Monday in a report.",
        "Public health experts have been warning about the strain for months, and hospitals are full.",
        '"We are ready for it," one doctor said. Mr.    Smith agreed, as did the U.S.   Trade office.']
    assert len(repaired) == len(LONG)


def test_a_table_s_columns_stay_on_their_line():
    for row in ("Net profit    12.5 mln    vs    11.3 mln", "Name:    John Smith    Age:    42"):
        assert restore_paragraph_breaks(row) == row


def test_only_the_body_gets_paragraph_breaks(tmp_path):
    path = tmp_path / "a.jsonl"
    title = "Flu season.     Hospitals full"
    path.write_text(json.dumps({"title": title, "text": LONG}) + "\n")
    [article] = list(read_file(path))
    assert article.title == title and article.body.count("\n\n") == 2
