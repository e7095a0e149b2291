"""The drafter (graphapi/draft/), on its own, with the fictional world of tests/drafting/world.yaml as the
graph: quotes, speakers, reported speech, dates, the draft seed file, and its quality on the fixture
articles (tests/draft_scoring.py). The held-out articles are scored in tests/draft/test_draft_held_out.py."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from draft_scoring import DEV, WORLD, reported, score, world

from graphapi.draft import Article, Gazetteer, draft_article
from graphapi.draft.dates import written
from graphapi.draft.quotes import quotations
from graphapi.draft.seedfile import dump, write
from graphapi.seed.drafts import drafted
from graphapi.seed.files import read_one
from graphapi.seed.loader import validate_files


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return world()


def speakers(article: str, gazetteer: Gazetteer, direct: bool = True) -> list[tuple[str, str]]:
    draft = draft_article(Article.parse(article), gazetteer)
    return [(s.quote, s.speaker) for s in draft.statements if s.direct is direct]


def test_the_development_articles_meet_the_targets(gazetteer: Gazetteer) -> None:
    scores = score(DEV, gazetteer)["all"]
    assert scores.recall >= 0.9, scores.misses
    assert scores.precision >= 0.9, scores.wrong
    found, total, missed = reported(DEV, gazetteer)
    assert found / total >= 0.9, missed


def test_quotation_marks_pair_within_a_paragraph() -> None:
    text = 'He said "one" and “two,” then\n\n"three\n\nfour" and ”five“.\n'
    assert [text[q.start : q.end] for q in quotations(text)] == ["one", "two"]


def test_each_attribution_form(gazetteer: Gazetteer) -> None:
    article = (
        "Title\nMERIDIA, June 12, 2025 (Wirewatch) - Talks ended.\n\n"
        '"We are ready," Alma Reyes said. "Are they?"\n\n'
        '"Not yet," said Viktor Halloran.\n\n'
        'The trade minister told reporters the duties would stay. "We will not move," she said.\n\n'
        'According to Piet Vandermeer, the offer was "final."\n\n'
        '"Nobody wins," said Jana Holm, an economist in Meridia.\n'
    )
    assert speakers(article, gazetteer) == [
        ("We are ready", "person:alma-reyes"),
        ("Are they?", "person:alma-reyes"),
        ("Not yet", "person:viktor-halloran"),
        ("We will not move", "person:nadia-okafor"),
        ("final.", "person:piet-vandermeer"),
        ("Nobody wins", "person:jana-holm"),
    ]
    assert speakers(article, gazetteer, direct=False) == [("the duties would stay", "person:nadia-okafor")]


def test_a_title_is_whoever_held_the_office_on_the_source_date(gazetteer: Gazetteer) -> None:
    body = '"We will act," the prime minister said.\n'
    in_2023 = speakers(f"T\nMERIDIA, Oct. 9, 2023 (Wirewatch) - Talks.\n\n{body}", gazetteer)
    in_2025 = speakers(f"T\nMERIDIA, Oct. 9, 2025 (Wirewatch) - Talks.\n\n{body}", gazetteer)
    assert in_2023 == [("We will act", "person:tomas-brandt")]
    assert in_2025 == [("We will act", "person:alma-reyes")]
    draft = draft_article(
        Article.parse(f"T\nMERIDIA, Oct. 9, 2025 (Wirewatch) - Talks.\n\n{body}"), gazetteer
    )
    assert draft.statements[0].role == "office:xf-prime-minister"
    assert draft.statements[0].draft is not None and draft.statements[0].draft.rule.endswith("/title")


def test_a_quote_nobody_is_said_to_have_said_is_left_out(gazetteer: Gazetteer) -> None:
    article = 'T\nThe so-called "steel war" goes on. Officials said "nothing" about it.\n'
    assert speakers(article, gazetteer) == []


def test_the_article_date_from_its_dateline_or_bounds() -> None:
    dated = written("MERIDIA, May 20 (Wirewatch) - Talks set for June 3, 2025.\n")
    assert dated.day is not None and dated.day.day == dt.date(2025, 5, 20) and not dated.day.year_stated
    bounded = written("They met on March 3, 2025. They will meet again on July 1, 2025.\n")
    assert bounded.day is None
    assert bounded.earliest is not None and bounded.earliest.day == dt.date(2025, 3, 3)
    assert bounded.latest is not None and bounded.latest.day == dt.date(2025, 7, 1)


def test_a_day_of_the_week_is_the_latest_such_day_by_the_source_date(gazetteer: Gazetteer) -> None:
    article = 'T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\nReyes said on Monday that "all is well."\n'
    statement = draft_article(Article.parse(article), gazetteer).statements[0]
    assert statement.said_on is not None and statement.said_on.on == "2025-06-09"
    assert statement.said_on.as_written == "on Monday"


def test_the_draft_file_validates_and_a_load_refuses_it_until_accepted(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    shutil.copy(WORLD, tmp_path / WORLD.name)
    shutil.copy(WORLD.with_suffix(".txt"), tmp_path / "world.txt")
    draft = draft_article(Article.read(DEV[0]), gazetteer)
    out = tmp_path / "draft.yaml"
    text = write(draft, out)
    assert text.read_text(encoding="utf-8") == draft.text
    checked = validate_files([tmp_path / WORLD.name, out])
    assert len(checked.files) == 2
    document = read_one(out)
    refused = drafted([document])
    records = len(document.records.statements) + len(document.records.persons) + 1
    assert len(refused) == records
    assert all(p.field == "draft" and "is still a draft" in p.message for p in refused)
    assert refused[0].record == f"source ({draft.source.id})"
    # accepting: the curator removes the marks
    accepted = "\n".join(
        line for line in out.read_text().splitlines() if not line.strip().startswith("draft:")
    )
    out.write_text(accepted + "\n", encoding="utf-8")
    assert drafted([read_one(out)]) == []
    validate_files([tmp_path / WORLD.name, out])


def test_the_draft_says_what_each_record_rests_on(gazetteer: Gazetteer) -> None:
    draft = draft_article(Article.read(next(p for p in DEV if p.stem == "dairy-farmers")), gazetteer)
    document = yaml.safe_load(dump(draft, "x.txt"))
    assert document["source"]["draft"]["rule"] in ("dateline", "dates-past-and-upcoming", "no-date")
    for section in ("statements", "persons"):
        for record in document.get(section, []):
            assert set(record["draft"]) >= {"rule", "confidence"}
            assert 0 < record["draft"]["confidence"] <= 1
            assert "start" not in record and "end" not in record
    new = [p for p in document["persons"] if p["name"] == "Marta Kovacs"]
    assert new and new[0]["draft"]["note"] == "role as written: head of the Sylvanian Dairy Union"


def test_a_day_written_relative_to_the_source_is_read_against_its_date(gazetteer: Gazetteer) -> None:
    article = 'T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\nReyes said yesterday that "all is well."\n'
    statement = draft_article(Article.parse(article), gazetteer).statements[0]
    assert statement.said_on is not None and statement.said_on.on == "2025-06-11"
    assert statement.said_on.as_written == "yesterday"


def test_a_misspelt_name_is_the_graph_s_person(gazetteer: Gazetteer) -> None:
    article = 'T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\n"We wait," said Nadia Okafer.\n'
    assert speakers(article, gazetteer) == [("We wait", "person:nadia-okafor")]


def test_a_statement_is_about_what_its_sentence_names(gazetteer: Gazetteer) -> None:
    article = (
        'T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\n"The dairy duties stay," Reyes said of Sylvania.\n'
    )
    [statement] = draft_article(Article.parse(article), gazetteer).statements
    assert statement.about == ["measure:xf-dairy-duties", "country:XS"]


def test_reported_speech_before_its_speaker(gazetteer: Gazetteer) -> None:
    article = (
        "T\nMERIDIA, June 12, 2025 (Wirewatch) - The talks will resume in July, the prime minister said.\n\n"
        "Sylvania has not replied, said Nadia Okafor.\n"
    )
    assert speakers(article, gazetteer, direct=False) == [
        ("The talks will resume in July", "person:alma-reyes"),
        ("Sylvania has not replied", "person:nadia-okafor"),
    ]


def test_a_quote_of_several_paragraphs_keeps_its_speaker(gazetteer: Gazetteer) -> None:
    article = (
        "T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\n"
        '"We will not move," Reyes said. "Not this week, not next week.\n\n'
        '"And not after the summit either," she went on.\n'
    )
    assert speakers(article, gazetteer) == [
        ("We will not move", "person:alma-reyes"),
        ("Not this week, not next week.", "person:alma-reyes"),
        ("And not after the summit either", "person:alma-reyes"),
    ]


def test_nothing_is_fetched_while_drafting(gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    """No model, no data: a fresh pipeline is built and an article drafted with the network refused."""
    import socket

    from graphapi.draft import nlp

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the drafter tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    nlp._pipeline.cache_clear()
    article = 'T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\n"We wait," Reyes said yesterday.\n'
    [statement] = draft_article(Article.parse(article), gazetteer).statements
    assert statement.speaker == "person:alma-reyes" and statement.said_on is not None


def test_a_new_person_is_later_named_by_surname(gazetteer: Gazetteer) -> None:
    article = (
        'T\nMERIDIA, June 12, 2025 (Wirewatch) - Talks.\n\n"We wait," said Jana Holm.\n\n'
        '"We still wait," Holm said.\n'
    )
    assert speakers(article, gazetteer) == [
        ("We wait", "person:jana-holm"),
        ("We still wait", "person:jana-holm"),
    ]
