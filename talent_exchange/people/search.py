"""People search on PostgreSQL: a stored, weighted full-text vector and trigram name matching.

``Person.search_vector`` holds, with weights, the names (A), the position and e-mail (B) and the
skills' names (C), in the ``simple`` configuration (names are not stemmed, and the product is
bilingual). It is derived data: ``refresh_search_vectors`` recomputes it in one statement for
any set of people, called when a person is saved or their skills change (signals wired in
``apps.py``) and after bulk writes (``seed_scale``). The GIN indexes behind it are made by
migration 0002 on PostgreSQL only; on SQLite the column stays empty and
``PersonQuerySet.search`` falls back to substring matches.
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
from django.db.models.functions import Coalesce, Greatest

QS = TypeVar("QS", bound=QuerySet[Any])

CONFIG = "simple"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def search_words(text: str) -> list[str]:
    """The words of a search box, without punctuation (it has meaning in tsquery syntax)."""
    return _WORD.findall(text.lower())[:MAX_WORDS]


def _prefix_query(word: str) -> SearchQuery:
    return SearchQuery(f"{word}:*", search_type="raw", config=CONFIG)


def postgres_search(queryset: QS, words: list[str]) -> QS:
    """Every word must match as a prefix of a word in the vector (names, position, e-mail,
    skills), best first. Only when nothing matches so does a word count as a likely typo of
    a first or last name (pg_trgm's ``%``: trigram similarity of at least
    ``pg_trgm.similarity_threshold``, 0.3 by default — "smoth" finds "Smith"): a search for
    an exact name must not bring every similar name along."""
    query = _prefix_query(words[0])
    for word in words[1:]:
        query &= _prefix_query(word)
    exact = queryset.filter(search_vector=query)
    if exact.exists():
        return exact.annotate(relevance=SearchRank(F("search_vector"), query)).order_by(
            "-relevance", "last_name", "first_name", "pk"
        )
    condition = Q()
    for word in words:
        condition &= (
            Q(search_vector=_prefix_query(word))
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


def _vector() -> CombinedExpression:
    Person = apps.get_model("people", "Person")
    skills = (
        Person.skills.through.objects.filter(person_id=OuterRef("pk"))
        .order_by()
        .values("person_id")
    )
    from django.contrib.postgres.aggregates import StringAgg

    skill_names = Subquery(
        skills.annotate(names=StringAgg("skill__name", delimiter=" ")).values("names")[:1]
    )
    return (
        SearchVector("first_name", "last_name", weight="A", config=CONFIG)
        + SearchVector("position_title", "work_email", weight="B", config=CONFIG)
        + SearchVector(
            Coalesce(skill_names, Value(""), output_field=TextField()), weight="C", config=CONFIG
        )
    )


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


def on_skills_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # skill.person_set changed: the people are in pk_set (None on clear)
        if pk_set is None:
            return
        refresh_search_vectors(pk_set)
    else:
        refresh_search_vectors([instance.pk])


def on_skill_saved(sender, instance, raw: bool = False, created: bool = False, **kwargs) -> None:
    if raw or created:
        return
    Person = apps.get_model("people", "Person")
    refresh_search_vectors(
        Person.skills.through.objects.filter(skill_id=instance.pk).values_list(
            "person_id", flat=True
        )
    )
