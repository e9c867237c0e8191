"""The one search path of the talent file, used by the people list and the talent search.

On PostgreSQL ``Person.search_vector`` is a stored, weighted full-text vector:

- **A**: first and last name, in the ``simple`` configuration (names are not stemmed);
- **B**: the position title (English and French), the classification or level and the work
  e-mail (``simple``: codes such as "EX-02" are not words of a language);
- **C**: the names of the person's skills and designations (English and French);
- **D**: the three assignments the person would take (English and French).

The talent file is bilingual and a profile does not say which language it is written in, so
the text fields are stored stemmed by both configurations in the one vector (one column,
one GIN index), and a search word is looked up three ways at once: as a prefix in
``simple`` (names, codes, the start of a word being typed), and as a prefix of its English
and of its French stem ("managing" finds "Management", "gestionnaires" finds "Gestion").
The assignments one would take are searched alone by restricting the same lookup to weight D
(``would_take``). Typos are forgiven on names only, by pg_trgm's trigram indexes.

The vector is derived data: ``refresh_search_vectors`` recomputes it in one statement for any
set of people, called when a person is saved, their skills or designations change, or a skill
or designation is renamed (signals wired in ``apps.py``), and after bulk writes
(``seed_scale``). The GIN indexes behind it are made by migration 0002 on PostgreSQL only; on
SQLite the column stays empty and the functions below fall back to substring matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Greatest, Replace

QS = TypeVar("QS", bound=QuerySet[Any])

NAMES = "simple"  # names and codes: not stemmed
LANGUAGES = ("english", "french")  # the product's two languages: text fields are stemmed by both
CONFIG = NAMES  # kept for callers of the first version
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8
WOULD_TAKE_WEIGHT = "D"
# Matches are ranked best first up to this many; a broader search comes by name.
RANKED_AT_MOST = 2_000


def search_words(text: str) -> list[str]:
    """The words of a search box, without punctuation (it has meaning in tsquery syntax)."""
    return _WORD.findall(text.lower())[:MAX_WORDS]


def _word_query(word: str, weights: str = "") -> SearchQuery:
    """``word`` as a prefix of a name or code, or of its English or French stem. ``weights``
    restricts the match to parts of the vector ("D": the assignments one would take)."""
    raw = f"{word}:*{weights}"
    query = SearchQuery(raw, search_type="raw", config=NAMES)
    for config in LANGUAGES:
        query |= SearchQuery(raw, search_type="raw", config=config)
    return query


def _all_words(words: list[str], weights: str = "") -> SearchQuery:
    query = _word_query(words[0], weights)
    for word in words[1:]:
        query &= _word_query(word, weights)
    return query


def search(queryset: QS, text: str) -> QS:
    """People matching every word of ``text`` (name, position, level, e-mail, skill,
    designation, an assignment they would take), best first on PostgreSQL."""
    words = search_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return postgres_search(queryset, words)
    return _substring_search(queryset, words)


def would_take(queryset: QS, text: str) -> QS:
    """People one of whose three assignments they would take matches every word of ``text``."""
    words = search_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(search_vector=_all_words(words, WOULD_TAKE_WEIGHT))
    condition = Q()
    for word in words:
        condition &= (
            Q(would_take_1__icontains=word)
            | Q(would_take_2__icontains=word)
            | Q(would_take_3__icontains=word)
        )
    return queryset.filter(condition)


def postgres_search(queryset: QS, words: list[str]) -> QS:
    """Every word must match (``_word_query``) somewhere in the vector, best first (by name
    when more than ``RANKED_AT_MOST`` match: ranking them all costs more than it tells). Only when
    nothing matches so does a word count as a likely typo of a first or last name (pg_trgm's
    ``%``: trigram similarity of at least ``pg_trgm.similarity_threshold``, 0.3 by default —
    "smoth" finds "Smith"): a search for an exact name must not bring every similar name
    along."""
    query = _all_words(words)
    exact = queryset.filter(search_vector=query)
    found = exact.order_by()[: RANKED_AT_MOST + 1].count()  # one query, however many match
    if found > RANKED_AT_MOST:
        # A broad search ("budgeting": a third of the file): ranking every match costs more
        # than it tells (they all match the same way); by name, which an index walks.
        return exact.order_by("last_name", "first_name", "pk")
    if found:
        return exact.annotate(relevance=SearchRank(F("search_vector"), query)).order_by(
            "-relevance", "last_name", "first_name", "pk"
        )
    condition = Q()
    for word in words:
        condition &= (
            Q(search_vector=_word_query(word))
            | Q(first_name__trigram_similar=word)
            | Q(last_name__trigram_similar=word)
        )
    joined = " ".join(words)
    return (
        queryset.filter(condition)
        .annotate(
            relevance=Greatest(
                TrigramWordSimilarity(joined, "last_name"),
                TrigramWordSimilarity(joined, "first_name"),
            )
        )
        .order_by("-relevance", "last_name", "first_name", "pk")
    )


def _substring_search(queryset: QS, words: list[str]) -> QS:
    """The SQLite fallback (the demo): the same fields, by substring, every word."""
    Person = apps.get_model("people", "Person")
    condition = Q()
    for word in words:
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(position_title__icontains=word)
            | Q(classification__icontains=word)
            | Q(work_email__icontains=word)
            | Q(would_take_1__icontains=word)
            | Q(would_take_2__icontains=word)
            | Q(would_take_3__icontains=word)
            | Q(
                pk__in=Person.skills.through.objects.filter(skill__name__icontains=word).values(
                    "person_id"
                )
            )
            | Q(
                pk__in=Person.designations.through.objects.filter(
                    designation__name__icontains=word
                ).values("person_id")
            )
        )
    return queryset.filter(condition)


def _names_of(through: Any, field: str) -> Coalesce:
    from django.contrib.postgres.aggregates import StringAgg

    rows = through.objects.filter(person_id=OuterRef("pk")).order_by().values("person_id")
    names = Subquery(
        rows.annotate(names=StringAgg(f"{field}__name", delimiter=" ")).values("names")[:1]
    )
    return Coalesce(names, Value(""), output_field=TextField())


def _vector() -> CombinedExpression:
    Person = apps.get_model("people", "Person")
    tags = (
        _names_of(Person.skills.through, "skill"),
        _names_of(Person.designations.through, "designation"),
    )
    jobs = ("would_take_1", "would_take_2", "would_take_3")
    # "EX-02" would be parsed as "ex" and the signed number "-02", which the search word
    # "02" does not match: a level's hyphens are read as spaces.
    level = Replace("classification", Value("-"), Value(" "))
    vector = SearchVector("first_name", "last_name", weight="A", config=NAMES) + SearchVector(
        level, "work_email", weight="B", config=NAMES
    )
    for config in LANGUAGES:
        vector = (
            vector
            + SearchVector("position_title", weight="B", config=config)
            + SearchVector(*tags, weight="C", config=config)
            + SearchVector(*jobs, weight=WOULD_TAKE_WEIGHT, config=config)
        )
    return vector


def refresh_search_vectors(person_ids: Iterable[int] | None = None) -> None:
    """Recompute the search vector of these people (all of them with None), in one UPDATE.
    A no-op except on PostgreSQL. Derived data, so it leaves no history rows."""
    if connection.vendor != "postgresql":
        return
    Person = apps.get_model("people", "Person")
    people = Person.objects.all()
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return
        people = people.filter(pk__in=ids)
    people.update(search_vector=_vector())


def on_person_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_search_vectors([instance.pk])


def on_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """A person's skills or designations changed (either side of the relation)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # skill.people changed: the people are in pk_set (None on clear)
        if pk_set is None:
            return
        refresh_search_vectors(pk_set)
    else:
        refresh_search_vectors([instance.pk])


on_skills_changed = on_tags_changed  # the first version's name


def on_tag_saved(sender, instance, raw: bool = False, created: bool = False, **kwargs) -> None:
    """A skill or designation renamed: the people who have it."""
    if raw or created:
        return
    Person = apps.get_model("people", "Person")
    field = "skill_id" if sender._meta.model_name == "skill" else "designation_id"
    through = Person.skills.through if field == "skill_id" else Person.designations.through
    refresh_search_vectors(
        through.objects.filter(**{field: instance.pk}).values_list("person_id", flat=True)
    )


on_skill_saved = on_tag_saved  # the first version's name
