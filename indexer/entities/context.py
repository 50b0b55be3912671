"""`EntityContext`: what the entity steps look names up in, built once per pipeline from its configuration
(the registry, the outlet catalogue and the given names its caller passed down)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from ..names import name_key
from ..outlets import OutletCatalog
from ..registry import Registry
from .judge import EntityJudge, NamePrior, load_judge, load_prior
from .misc import MiscNames, load_misc_names


@dataclass(frozen=True)
class EntityContext:
    """The registry, outlet catalogue and given names of one pipeline, and the lookups made from them.

    Every step of ``presswatch_entities`` is a plain function of a doc and its candidates; those that
    consult the configuration take this context as their first argument."""

    registry: Registry
    catalog: OutletCatalog
    outlet_matcher: PhraseMatcher  # the catalogue's names as they appear in text
    outlet_by_surface: dict[str, str]  # such a name -> the outlet's canonical name
    registry_names: dict[str, str]  # registry names (canonical and aliases) that may be looked up in untrusted text
    places: frozenset[str]  # name keys the registry labels LOC
    given_names: frozenset[str]  # lower case: the shipped list and the user's (`given_names.load_given_names`)
    judge: EntityJudge | None = None  # the trained person / organisation / neither classifier (step 7)
    prior: NamePrior | None = None  # how the stock recogniser labels frequent names (the judge's feature)
    misc: MiscNames = MiscNames(frozenset(), frozenset())  # laws, buildings, events: kind "misc" (step 8)
    known_matcher: PhraseMatcher | None = None  # curated organisation and misc names of two words or more
    curated_orgs: frozenset[str] = frozenset()  # curated organisation names safe to pick out of headlines, as written
    curated_words: frozenset[str] = frozenset()  # one-word curated organisation names, as written ("GOP", "Twitter")
    curated_org_keys: frozenset[str] = frozenset()  # name keys of curated organisation names of several words

    @classmethod
    def build(cls, nlp: Language, registry: Registry, catalog: OutletCatalog,
              given_names: frozenset[str], curated: dict[str, bool]) -> EntityContext:
        outlet_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        outlet_by_surface: dict[str, str] = {}
        patterns = []
        for surface, outlet in catalog.text_names().items():
            outlet_by_surface[surface] = outlet.name
            patterns.append(nlp.make_doc(surface))
        outlet_matcher.add("OUTLET", patterns)
        misc = load_misc_names()
        prior = load_prior()
        return cls(
            registry=registry,
            catalog=catalog,
            outlet_matcher=outlet_matcher,
            outlet_by_surface=outlet_by_surface,
            registry_names={k: r.canonical for k, r in registry.merges.items()},
            places=frozenset(k for k, label in registry.labels.items() if label == "LOC"),
            given_names=given_names,
            judge=load_judge(),
            prior=prior,
            misc=misc,
            known_matcher=known_name_matcher(nlp, list(curated), misc.written),
            curated_orgs=headline_safe_forms(curated, prior),
            curated_words=one_word_forms(curated, given_names, prior),
            curated_org_keys=several_word_keys(curated),
        )


LEADING_ARTICLES = frozenset({"the", "a", "an"})


def several_word_keys(curated: dict[str, bool]) -> frozenset[str]:
    """The name keys of the curated organisation names of several words, none marked ambiguous and none
    opening with an article ("The Republicans" keys as "republicans")."""
    keys = set()
    for form, ambiguous in curated.items():
        words = form.split()
        if not ambiguous and len(words) > 1 and words[0].lower() not in LEADING_ARTICLES:
            keys.add(name_key(form))
    return frozenset(k for k in keys if len(k.split()) > 1)


def known_name_matcher(nlp: Language, organisations: list[str], misc: tuple[str, ...]) -> PhraseMatcher:
    """A matcher of the names of two words or more, as written (match ids "ORG" and "MISC"): a
    recogniser's span inside one of them ("Customs Enforcement" in "Immigration and Customs
    Enforcement") grows to the whole name."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for label, names in (("ORG", organisations), ("MISC", misc)):
        docs = [d for d in (nlp.make_doc(n) for n in sorted(set(names))) if len(d) >= 2]
        if docs:
            matcher.add(label, docs)
    return matcher


ORG_SHARE = 0.5  # the prior's share of organisation labels a curated name needs to be found without the recogniser


def headline_safe_forms(curated: dict[str, bool], prior: NamePrior | None) -> frozenset[str]:
    """The curated organisation names that are an organisation wherever they are written, even in a
    Title Case or ALL-CAPS headline, where common phrases are capitalised too: none the curated file
    calls ambiguous ("No 10"), none opening with an article ("The Left"), and none the stock recogniser
    mostly labels otherwise across the research corpora (`prior`: "The Republicans" is a nationality);
    an acronym only when that recogniser has seen it ("GOP", not "SVP"). One capitalised word ("Total",
    "Senate") is left to the recogniser there."""
    def safe(form: str, ambiguous: bool) -> bool:
        words = form.split()
        if ambiguous or words[0].lower() in LEADING_ARTICLES or (len(words) == 1 and not _is_acronym(form)):
            return False
        return _mostly_organisation(prior, form, unseen=len(words) > 1)
    return frozenset(form for form, ambiguous in curated.items() if safe(form, ambiguous))


def one_word_forms(curated: dict[str, bool], given_names: frozenset[str], prior: NamePrior | None) -> frozenset[str]:
    """The curated organisation names of one word that are that organisation wherever the recogniser
    leaves them untagged ("said on Twitter", "the GOP debate"): not ambiguous, not a given name ("Amal"),
    and an acronym only when the stock recogniser has seen it and mostly as an organisation ("GOP", "BJP";
    not "SVP" or "HTS", which it never saw)."""
    def safe(form: str, ambiguous: bool) -> bool:
        if " " in form or len(form) < 3 or not form[:1].isupper() or ambiguous or form.lower() in given_names:
            return False
        return not _is_acronym(form) or _mostly_organisation(prior, form, unseen=False)
    return frozenset(form for form, ambiguous in curated.items() if safe(form, ambiguous))


def _mostly_organisation(prior: NamePrior | None, form: str, *, unseen: bool) -> bool:
    """Whether the stock recogniser labels the name an organisation at least `ORG_SHARE` of the time in
    the research corpora; `unseen` when it never saw it."""
    shares = prior.shares(form) if prior is not None else None
    return unseen if shares is None else shares["ORG"] >= ORG_SHARE


def _is_acronym(form: str) -> bool:
    letters = form.replace(".", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()
