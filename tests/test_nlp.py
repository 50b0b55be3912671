"""The pipeline's own pieces: the POS table that replaces the attribute ruler, and the text layout."""

from indexer.nlp import build_pipeline, compose_text, load_base_model

TEXT = """Officials said that the talks, which began on Monday, would continue. "We have not agreed,"
the minister told reporters, adding that there is no deal yet. It was unclear whether Iran will sign.
The company, whose shares fell, has been fined. I don't think that this is over, she said. Those who
voted were few; that is what they want. But if he does, all of them will go."""


def test_tag_map_gives_the_attribute_rulers_pos():
    reference = load_base_model(exclude=("lemmatizer",))
    nlp = build_pipeline()
    assert "attribute_ruler" not in nlp.pipe_names and "tag_map" in nlp.pipe_names
    expected = [(t.text, t.pos_) for t in reference(TEXT)]
    got = [(t.text, t.pos_) for t in nlp(TEXT)]
    agree = sum(a == b for a, b in zip(expected, got))
    assert agree / len(expected) >= 0.99, [(a, b) for a, b in zip(expected, got) if a != b]


def test_compose_text_puts_the_title_first():
    assert compose_text("Title", "Body") == ("Title\n\nBody", 7)
    assert compose_text("", "Body") == ("Body", 0)


def test_a_long_run_without_spaces_is_tokenised_in_pieces_and_keeps_the_text_exactly(nlp):
    from indexer.nlp import make_doc

    body = 'Olaf Scholz said ' + '"' * 20_000 + ' and left. See ' + "ab/" * 100 + " now."
    doc = make_doc(nlp, "Unclosed", body)
    assert doc.text == "Unclosed\n\n" + body and doc._.body_start == len("Unclosed\n\n")
    assert max(len(t) for t in doc) <= 100  # the runs were cut
    assert [t.text for t in make_doc(nlp, "", "Angela Merkel spoke.")] == ["Angela", "Merkel", "spoke", "."]


def test_the_headline_and_each_paragraph_are_sentences_of_their_own(nlp):
    """The parser keeps to the sentence starts make_doc sets: a headline without a full stop is not the
    subject of the body's first sentence, and a paragraph without one does not run into the next."""
    from indexer.nlp import make_doc

    body = ("\u201cWe expect this will get much worse,\u201d said Sara Lind of the Voting Rights Project\n"
            "Prices rose again in March")
    doc = nlp(make_doc(nlp, "Votes", body))
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == ["Votes", "\u201cWe expect this will get much worse,\u201d said Sara Lind of the Voting Rights Project",
                         "Prices rose again in March"]
    said = next(t for t in doc if t.text == "said")
    assert [t.text for t in said.children if t.dep_ == "nsubj"] == ["Lind"]
    assert find_quote(doc, "We expect").speaker == "Sara Lind"


def find_quote(doc, fragment: str):
    return next(q for q in doc._.quotes if fragment in q.text)
