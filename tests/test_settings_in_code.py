"""Settings built in code reach the pipeline: the entity recogniser (`Settings.ner`) and the user's
given names (`$home/given_names.txt`), in this process, in the NLP workers and through `--home`.

The environment is set to the opposite of what the code asks for, so a library that still read it
would fail these tests."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.app import PressWatch
from indexer.cli import main
from indexer.config import Settings
from indexer.model import Article, Source

SPORTS_TAIL = "\nThe coach said the team played a good match in the tournament and the season starts soon."
# An invented line-up: "Dravik" is no given name the shipped list knows, and the recogniser misses "Dravik Price".
SOURCE = Source(path="test", format="txt", sha256="0" * 64, bytes=0)
LINE_UP = Article(id="line-up", source=SOURCE, title="SOCCER - LINE-UPS .",
                  body="Teams :\nFrance - 1 - Bernard Lama ; 2 - Dravik Price , 5 - Laurent Blanc" + SPORTS_TAIL)
# tests/test_wire_ner.py's stage race: the shipped (wire) recogniser finds the riders, the stock one misses one.
STAGE = Article(id="stage", source=SOURCE, title="CYCLING - BRENNEMAN TAKES STAGE AND LEAD IN VALDORIA .",
                body="ALMERIA , Spain 1996-09-12\n"
                     "Leading results of the fifth stage of the Tour of Valdoria , 182 km from Murcia to Almeria :\n"
                     "1. Tomas Brenneman ( Netherlands ) Rabotech 4 hours 32 minutes 10 seconds\n"
                     "2. Jorge Ilundain ( Spain ) Banesta same time\n"
                     "3. Piotr Wasilak ( Poland ) Mapei 0:12 behind\n"
                     "Overall standings : 1. Brenneman 18:02:11 2. Ilundain 0:08 behind")


def home_with_given_names(path, *names: str):
    path.mkdir(parents=True, exist_ok=True)
    (path / "given_names.txt").write_text("# mine\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    return path


def in_process(settings: Settings, article: Article) -> dict:
    return PressWatch(settings).enricher.enrich_one(article)


def in_workers(settings: Settings, articles: list[Article]) -> dict[str, dict]:
    app = PressWatch(settings)
    try:
        results = [result for result, _ in app.workers.enrich_pairs((a, None) for a in articles)]
    finally:
        app.close()
    assert all(isinstance(r, dict) for r in results), results
    return {r["id"]: r for r in results}


@pytest.mark.slow
def test_ner_setting_built_in_code_chooses_the_recogniser(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_NER", "wire")
    stock = in_process(Settings(home=tmp_path / "a", ner="stock"), STAGE)
    monkeypatch.setenv("PRESSWATCH_NER", "stock")
    wire = in_process(Settings(home=tmp_path / "b", ner="wire"), STAGE)
    assert "Piotr Wasilak" in wire["persons"]
    assert "Piotr Wasilak" not in stock["persons"]


@pytest.mark.slow
def test_given_names_in_the_home_built_in_code(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_HOME", str(home_with_given_names(tmp_path / "env-home", "someone")))
    plain = in_process(Settings(home=tmp_path / "plain"), LINE_UP)
    assert "Dravik Price" not in plain["persons"]
    mine = in_process(Settings(home=home_with_given_names(tmp_path / "mine", "Dravik")), LINE_UP)
    assert "Dravik Price" in mine["persons"]
    assert {"Bernard Lama", "Laurent Blanc"} <= set(mine["persons"])


@pytest.mark.slow
def test_given_names_in_the_home_from_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_HOME", str(tmp_path / "env-home"))
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": LINE_UP.id, "title": LINE_UP.title, "body": LINE_UP.body}) + "\n")

    def persons(home) -> list[str]:
        result = CliRunner().invoke(main, ["enrich", "--home", str(home), str(feed)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["persons"]

    assert "Dravik Price" not in persons(tmp_path / "plain")
    assert "Dravik Price" in persons(home_with_given_names(tmp_path / "mine", "dravik"))


@pytest.mark.slow
def test_worker_processes_use_the_settings_built_in_code(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_NER", "wire")
    monkeypatch.setenv("PRESSWATCH_HOME", str(tmp_path / "env-home"))
    settings = Settings(home=home_with_given_names(tmp_path / "mine", "dravik"), ner="stock", workers=1)
    documents = in_workers(settings, [LINE_UP, STAGE])
    assert "Dravik Price" in documents["line-up"]["persons"]
    assert "Piotr Wasilak" not in documents["stage"]["persons"]


def test_settings_as_parameters_and_back(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_NER", "wire")
    monkeypatch.setenv("ES_PASSWORD", "from-the-environment")
    code = Settings(home=tmp_path, index="mine", ner="stock", workers=3, batch_size=8, es_username="me",
                    es_password="secret", inbox_override=tmp_path / "drop", follow_symlinks=True)
    parameters = code.parameters()
    assert json.loads(json.dumps(parameters)) == parameters
    assert not {"es_password", "es_api_key", "es_username"} & set(parameters)  # credentials stay in the environment
    back = Settings.from_parameters(parameters)
    assert back.ner == "stock" and back.workers == 3 and back.batch_size == 8 and back.follow_symlinks
    assert back.home == tmp_path and back.inbox == tmp_path / "drop" and back.index == "mine"
    assert back.es_password == "from-the-environment"
    from_env = Settings.from_env(home=tmp_path)
    assert Settings.from_parameters(from_env.parameters()) == from_env


# "Vimbly" is an invented platform: the recogniser leaves it untagged, so only the user's alternate names
# make it an organisation; "Zentral Widget Authority" is found whole in a Title Case headline only when known.
PLATFORM = Article(id="platform", source=SOURCE, title="Lawmakers Clash Over The Zentral Widget Authority",
                   body="The senator said on Vimbly on Thursday that the plan was bad. Her aides agreed.")


def home_with_aliases(path):
    path.mkdir(parents=True, exist_ok=True)
    (path / "aliases.yaml").write_text(
        "organizations:\n  - name: Vimbly\n    aliases: [Vimbly Inc.]\n"
        "  - name: Zentral Widget Authority\n    aliases: [ZWA]\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_alternate_names_in_the_home_reach_the_entity_component(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_HOME", str(home_with_aliases(tmp_path / "env-home")))
    plain = in_process(Settings(home=tmp_path / "plain"), PLATFORM)
    assert plain["organizations"] == []
    mine = in_process(Settings(home=home_with_aliases(tmp_path / "mine")), PLATFORM)
    assert sorted(mine["organizations"]) == ["Vimbly", "Zentral Widget Authority"]
    documents = in_workers(Settings(home=home_with_aliases(tmp_path / "workers"), workers=1), [PLATFORM])
    assert sorted(documents["platform"]["organizations"]) == ["Vimbly", "Zentral Widget Authority"]
