"""Ranking services: eligibility, contiguous ranks, deadline and late changes."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.nominations.models import ConflictOfInterest
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.preferences.services import (
    change_host_ranking,
    change_participant_ranking,
    rankable_candidates,
    rankable_opportunities,
)

pytestmark = pytest.mark.django_db
BEFORE = date(2026, 11, 20)
AFTER = date(2026, 12, 6)


def _ranks(nomination):
    return list(
        ParticipantRanking.objects.filter(nomination=nomination)
        .order_by("rank")
        .values_list("opportunity_id", "rank")
    )


def test_a_nominee_ranks_only_other_organisations_approved_opportunities(market):
    m = market
    assert set(rankable_opportunities(m.nom_a)) == {m.opp_b1, m.opp_b2, m.opp_county}
    m.opp_b2.status = "submitted"
    m.opp_b2.save()
    assert set(rankable_opportunities(m.nom_a)) == {m.opp_b1, m.opp_county}
    with pytest.raises(ActionRefused):
        change_participant_ranking(
            m.nom_a, "add", m.opp_a.pk, actor=m.world.users["participant"], today=BEFORE
        )
    assert _ranks(m.nom_a) == []


def test_a_declared_conflict_takes_the_organisation_off_both_lists(market):
    m = market
    ConflictOfInterest.objects.create(
        nomination=m.nom_a, organization=m.opp_b1.host_organization, reason="Spouse works there"
    )
    assert set(rankable_opportunities(m.nom_a)) == {m.opp_county}
    assert set(rankable_opportunities(m.nom_b)) >= {m.opp_a}  # nobody else is affected
    assert m.nom_a not in set(rankable_candidates(m.opp_b1))
    assert m.nom_a in set(rankable_candidates(m.opp_county))
    with pytest.raises(ActionRefused):
        change_participant_ranking(
            m.nom_a, "add", m.opp_b2.pk, actor=m.world.users["participant"], today=BEFORE
        )
    with pytest.raises(ActionRefused):
        change_host_ranking(
            m.opp_b1, "add", m.nom_a.pk, actor=m.world.users["coord_b"], today=BEFORE
        )
    assert _ranks(m.nom_a) == []
    assert not HostRanking.objects.exists()


def test_add_move_remove_keeps_ranks_contiguous(market):
    m, actor = market, market.world.users["participant"]
    for opp in (m.opp_b1, m.opp_b2, m.opp_county):
        change_participant_ranking(m.nom_a, "add", opp.pk, actor=actor, today=BEFORE)
    change_participant_ranking(m.nom_a, "up", m.opp_county.pk, actor=actor, today=BEFORE)
    assert _ranks(m.nom_a) == [(m.opp_b1.pk, 1), (m.opp_county.pk, 2), (m.opp_b2.pk, 3)]
    change_participant_ranking(m.nom_a, "remove", m.opp_b1.pk, actor=actor, today=BEFORE)
    assert _ranks(m.nom_a) == [(m.opp_county.pk, 1), (m.opp_b2.pk, 2)]
    history = ParticipantRanking.history.filter(nomination_id=m.nom_a.pk)
    assert set(history.values_list("history_user__username", flat=True)) == {"participant"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(["add", "up", "down", "remove"]), st.integers(0, 3))))
def test_any_sequence_of_changes_stores_ranks_one_to_n(market, sequence):
    m, actor = market, market.world.users["participant"]
    ParticipantRanking.objects.filter(nomination=m.nom_a).delete()
    choices = [m.opp_b1.pk, m.opp_b2.pk, m.opp_county.pk, m.opp_a.pk]
    for action, index in sequence:
        with contextlib.suppress(ActionRefused):
            change_participant_ranking(m.nom_a, action, choices[index], actor=actor, today=BEFORE)
        stored = _ranks(m.nom_a)
        assert [rank for _opp, rank in stored] == list(range(1, len(stored) + 1))
        opportunities = [opp for opp, _rank in stored]
        assert len(opportunities) == len(set(opportunities))
        assert m.opp_a.pk not in opportunities


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(conflicts=st.sets(st.tuples(st.integers(0, 1), st.integers(0, 2))))
def test_both_lists_leave_out_exactly_the_own_and_conflicted_organisations(market, conflicts):
    """For any declared conflicts: a nominee is offered the approved opportunities of every
    organisation but their own and those they declared, and hosts see the mirror image."""
    m = market
    nominations = [m.nom_a, m.nom_b]
    organizations = [m.world.city_a, m.world.city_b, m.opp_county.host_organization]
    opportunities = [m.opp_a, m.opp_b1, m.opp_b2, m.opp_county]
    ConflictOfInterest.objects.filter(nomination__in=nominations).delete()
    for n, o in conflicts:
        ConflictOfInterest.objects.create(
            nomination=nominations[n], organization=organizations[o], reason="declared"
        )

    def barred(nomination, opportunity) -> bool:
        host = opportunity.host_organization_id
        declared = {organizations[o].pk for n, o in conflicts if nominations[n] == nomination}
        return host == nomination.home_organization_id or host in declared

    for nomination in nominations:
        assert set(rankable_opportunities(nomination)) == {
            o for o in opportunities if not barred(nomination, o)
        }
    for opportunity in opportunities:
        assert set(rankable_candidates(opportunity)) == {
            n for n in nominations if not barred(n, opportunity)
        }


def test_only_an_endorsed_nominee_ranks(market):
    m = market
    m.nom_a.status = "awaiting_endorsement"
    m.nom_a.save()
    with pytest.raises(ActionRefused, match="endorsed"):
        change_participant_ranking(
            m.nom_a, "add", m.opp_b1.pk, actor=m.world.users["participant"], today=BEFORE
        )


def test_someone_else_cannot_change_a_nominees_list(market):
    m = market
    for name in ("coord_a", "coord_b", "panelist", "auditor", "supervisor"):
        with pytest.raises(PermissionDenied):
            change_participant_ranking(
                m.nom_a, "add", m.opp_b1.pk, actor=m.world.users[name], today=BEFORE
            )


def test_after_the_deadline_only_the_administrator_changes_with_a_reason(market):
    m = market
    participant, admin = m.world.users["participant"], m.world.users["admin"]
    change_participant_ranking(m.nom_a, "add", m.opp_b1.pk, actor=participant, today=BEFORE)
    with pytest.raises(ActionRefused, match="closed on 5 Dec 2026"):
        change_participant_ranking(m.nom_a, "add", m.opp_b2.pk, actor=participant, today=AFTER)
    with pytest.raises(ActionRefused, match="late change"):
        change_participant_ranking(m.nom_a, "add", m.opp_b2.pk, actor=admin, today=AFTER)
    change_participant_ranking(
        m.nom_a, "add", m.opp_b2.pk, actor=admin, reason="Mail outage on 5 Dec", today=AFTER
    )
    assert _ranks(m.nom_a) == [(m.opp_b1.pk, 1), (m.opp_b2.pk, 2)]
    late = ParticipantRanking.history.get(opportunity_id=m.opp_b2.pk, history_type="+")
    assert late.history_change_reason == "Mail outage on 5 Dec"
    assert late.history_user == admin


def test_outside_the_ranking_phases_nobody_changes(market):
    m = market
    m.world.cycle.state = "placements"
    m.world.cycle.save()
    for name in ("participant", "admin"):
        with pytest.raises(ActionRefused):
            change_participant_ranking(
                m.nom_a, "add", m.opp_b1.pk, actor=m.world.users[name], reason="x", today=BEFORE
            )


def test_host_ranks_endorsed_candidates_from_other_organisations(market):
    m = market
    coord_b = m.world.users["coord_b"]
    assert set(rankable_candidates(m.opp_b1)) == {m.nom_a}
    assert set(rankable_candidates(m.opp_county)) == {m.nom_a, m.nom_b}
    change_host_ranking(m.opp_b1, "add", m.nom_a.pk, actor=coord_b, today=BEFORE)
    with pytest.raises(ActionRefused):
        change_host_ranking(m.opp_b1, "add", m.nom_b.pk, actor=coord_b, today=BEFORE)
    with pytest.raises(PermissionDenied):
        change_host_ranking(m.opp_b1, "remove", m.nom_a.pk, actor=m.world.users["coord_a"])
    assert list(HostRanking.objects.values_list("nomination_id", "rank")) == [(m.nom_a.pk, 1)]
    # Hosts rank until the interviews phase closes (20 Dec), later than participants.
    change_host_ranking(m.opp_b1, "remove", m.nom_a.pk, actor=coord_b, today=AFTER)
    assert not HostRanking.objects.exists()
