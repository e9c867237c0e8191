"""The scale dataset: valid by the product's own rules, and the same for the same seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Sum

from talent_exchange.accounts.models import Role, RoleGrant
from talent_exchange.nominations.models import Endorsement, Nomination, NominationStatus
from talent_exchange.nonprod.scale import PROGRAM_NAME, ScaleSize, seed_scale
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.people.models import Person, Skill
from talent_exchange.preferences.models import HostRanking, ParticipantRanking

SMALL = ScaleSize(people=400, organizations=12, participants=60, rankings_per_participant=8)


def _fingerprint() -> tuple:
    return (
        tuple(Person.objects.order_by("work_email").values_list("work_email", "position_title")),
        tuple(
            ParticipantRanking.objects.order_by(
                "nomination__person__work_email", "rank"
            ).values_list("nomination__person__work_email", "opportunity__title", "rank")
        ),
        tuple(
            HostRanking.objects.order_by("nomination__person__work_email", "rank").values_list(
                "nomination__person__work_email", "rank"
            )
        ),
    )


@pytest.mark.django_db
def test_scale_dataset_keeps_the_products_rules():
    summary = seed_scale(SMALL, stdout=io.StringIO())
    assert summary.people == Person.objects.count() == 400
    assert summary.nominations == Nomination.objects.count() == 60
    assert Opportunity.objects.aggregate(places=Sum("capacity"))["places"] == 60
    assert not Nomination.objects.exclude(status=NominationStatus.ENDORSED).exists()
    assert Endorsement.objects.count() == 3 * 60
    # Nobody ranks (or is ranked by) their own organisation's opportunities.
    assert not ParticipantRanking.objects.filter(
        opportunity__host_organization=F("nomination__home_organization")
    ).exists()
    # A host ranks only candidates who ranked it.
    ranked = set(ParticipantRanking.objects.values_list("opportunity_id", "nomination_id"))
    assert set(HostRanking.objects.values_list("opportunity_id", "nomination_id")) <= ranked
    assert summary.participant_rankings == len(ranked) > 60 * 4
    # Ranks are 1..n without gaps for every nominee.
    for row in ParticipantRanking.objects.values("nomination").annotate(n=Count("id")):
        ranks = sorted(
            ParticipantRanking.objects.filter(nomination=row["nomination"]).values_list(
                "rank", flat=True
            )
        )
        assert ranks == list(range(1, row["n"] + 1))
    # Every nominee can sign in as a participant.
    assert (
        RoleGrant.objects.filter(role=Role.PARTICIPANT, user__person__nominations__isnull=False)
        .distinct()
        .count()
        == 60
    )
    # Personnel rows carry history, so the audit trail is measured at size too.
    assert Person.history.count() >= 400
    assert ParticipantRanking.history.filter(history_type="+").count() == len(ranked)
    assert HostRanking.history.count() == HostRanking.objects.count() == summary.host_rankings
    # Rows written in bulk (COPY on PostgreSQL) leave the ids' sequences ahead of them.
    nomination = Nomination.objects.order_by("pk").first()
    unranked = Opportunity.objects.exclude(participant_rankings__nomination=nomination).first()
    added = ParticipantRanking.objects.create(nomination=nomination, opportunity=unranked, rank=99)
    assert added.pk > max(
        ParticipantRanking.objects.exclude(pk=added.pk).values_list("pk", flat=True)
    )
    person = Person.objects.order_by("pk").first()
    assert 6 <= person.skills.count() <= 18
    person.skills.add(Skill.objects.exclude(people=person).first())


@pytest.mark.django_db(transaction=False)
def test_the_same_seed_gives_the_same_dataset():
    with transaction.atomic():
        seed_scale(SMALL, stdout=io.StringIO())
        first = _fingerprint()
        transaction.set_rollback(True)
    seed_scale(SMALL, stdout=io.StringIO())
    assert _fingerprint() == first
    assert len(first[1]) > 0


def _seed_small() -> None:
    args = ["--people", "300", "--organizations", "10", "--participants", "40"]
    call_command("seed_scale", *args, stdout=io.StringIO())


@pytest.mark.django_db
def test_seeding_twice_is_refused_and_writes_nothing():
    _seed_small()
    people = Person.objects.count()
    with pytest.raises(CommandError, match=PROGRAM_NAME):
        _seed_small()
    assert Person.objects.count() == people
