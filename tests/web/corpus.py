"""A few hundred corpus-like articles, written by the test: wire-style stories of a small invented
world (people with roles, organisations, places, several outlets, dates over two years), each with
attributed quotes. Deterministic for a seed, so facet counts can be computed from what was written."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

PEOPLE = [
    ("Helga Lindqvist", "Lindqvist", "Finance Minister", "she"),
    ("Rafael Okonkwo", "Okonkwo", "central bank governor", "he"),
    ("Marta Villanueva", "Villanueva", "opposition leader", "she"),
    ("Tomas Brandt", "Brandt", "union chief", "he"),
    ("Priya Raghunathan", "Raghunathan", "health secretary", "she"),
    ("Jonas Ekberg", "Ekberg", "Prime Minister", "he"),
]
ORGS = ["Nordhaven Shipping", "the Baltic Trade Council", "Meridian Bank", "the Harbour Workers Union"]
PLACES = ["Stockholm", "Lagos", "Madrid", "Hamburg", "Chennai"]
OUTLETS = ["Reuters", "BBC News", "The Guardian", "Al Jazeera"]
TOPICS = ["port strike", "interest rates", "hospital funding", "shipping tariffs", "budget talks"]
START = date(2017, 1, 2)


@dataclass
class Story:
    id: str
    title: str
    body: str
    outlet: str
    published_at: str
    speakers: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)

    def record(self) -> dict:
        return {"id": self.id, "title": self.title, "body": self.body, "outlet": self.outlet,
                "published_at": self.published_at, "url": f"https://example.org/news/{self.id}"}


def story(n: int, rng: random.Random) -> Story:
    first, second = rng.sample(PEOPLE, 2)
    org, place, outlet, topic = rng.choice(ORGS), rng.choice(PLACES), rng.choice(OUTLETS), rng.choice(TOPICS)
    day = START + timedelta(days=rng.randrange(0, 700))
    body = (
        f"{place.upper()} ({outlet}) - {first[2].capitalize()} {first[0]} warned on Tuesday that the {topic} "
        f"would hurt {org}, as talks in {place} stalled.\n\n"
        f"\u201cWe cannot accept a deal that leaves workers behind,\u201d {first[1]} said at a news conference "
        f"in {place}.\n\n"
        f"{second[0]}, the {second[2]}, rejected the criticism. \u201cThe numbers simply do not support "
        f"that claim,\u201d {second[1]} told reporters.\n\n"
        f"Officials at {org} declined to comment on the {topic}. Talks are due to resume next week in {place}."
    )
    return Story(f"web-{n:04d}", f"Talks on {topic} stall in {place} as {first[1]} digs in", body, outlet,
                 day.isoformat(), speakers=[first[0], second[0]], persons=[first[0], second[0]])


def stories(count: int = 240, seed: int = 7) -> list[Story]:
    rng = random.Random(seed)
    return [story(n, rng) for n in range(count)]


def write_jsonl(folder: Path, items: list[Story], name: str = "wire.jsonl") -> Path:
    path = folder / name
    path.write_text("".join(json.dumps(s.record(), ensure_ascii=False) + "\n" for s in items), encoding="utf-8")
    return path
