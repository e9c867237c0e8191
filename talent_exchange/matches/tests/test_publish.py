"""Publishing a run, offers, answers, and the second round."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.matches import services
from talent_exchange.matches.models import MatchRun, Offer, OfferStatus, RunStatus
from talent_exchange.matches.tasks import send_offer_mail
from talent_exchange.nominations.tests.factories import NominationFactory

from .factories import finished_run, offer, small_market

pytestmark = pytest.mark.django_db


def run_of(m, world, mode="stable", round_number=1):
    return services.start_run(
        m.cycle,
        actor=world.users["admin"],
        mode=mode,
        balance_tolerance=None,
        round_number=round_number,
    )


def pairs(run):
    return {(a["participant"], a["slot"]) for a in run.result["assignments"]}


def test_publishing_makes_offers_and_tells_everyone(
    world, client_for, django_capture_on_commit_callbacks
):
    m = small_market(world)
    run = run_of(m, world)
    assert pairs(run) == {
        (f"n{m.ada.pk}", f"o{m.at_b.pk}"),
        (f"n{m.cy.pk}", f"o{m.at_a.pk}"),
        (f"n{m.bo.pk}", f"o{m.at_county.pk}"),
    }
    respond_by = timezone.localdate() + datetime.timedelta(days=10)
    client = client_for(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matches:publish", args=[run.pk]), {"respond_by": respond_by}
        )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.published_at and run.published_by == world.users["admin"]
    offers = Offer.objects.filter(run=run)
    assert {(o.nomination_id, o.opportunity_id) for o in offers} == {
        (m.ada.pk, m.at_b.pk),
        (m.cy.pk, m.at_a.pk),
        (m.bo.pk, m.at_county.pk),
    }
    assert {o.respond_by for o in offers} == {respond_by}
    to = {address: message for message in mail.outbox for address in message.to}
    assert "Parks at B" in to["participant@example.org"].subject  # Ada, matched to B
    assert m.cy.person.work_email in to and m.bo.person.work_email in to
    # Host coordinators of A and B, and B's coach.
    assert "Cy" in to["coord_a@example.org"].body
    assert str(m.ada.person) in to["coord_b@example.org"].body
    assert to[m.at_b.coach.work_email].subject.startswith("You may coach")
    assert len(mail.outbox) == 3 + 2 + 1
    # a retried task sends nothing twice: every message has its key
    with django_capture_on_commit_callbacks(execute=True):
        assert send_offer_mail.call(run.pk) == 0
    assert len(mail.outbox) == 3 + 2 + 1


def test_one_published_run_per_round_with_a_clear_message(world):
    m = small_market(world)
    first, second = run_of(m, world), run_of(m, world, mode="optimal")
    services.publish_run(first, actor=world.users["admin"])
    with pytest.raises(ActionRefused) as refusal:
        services.publish_run(second, actor=world.users["admin"])
    assert f"Run #{first.pk} of this round was already published" in refusal.value.message
    assert Offer.objects.filter(run=second).count() == 0
    # The next round may be published.
    third = run_of(m, world, round_number=2)
    services.publish_run(third, actor=world.users["admin"])


def test_only_a_finished_run_is_published(world):
    m = small_market(world)
    run = MatchRun.objects.create(
        cycle=m.cycle, mode="stable", started_by=world.users["admin"], status=RunStatus.FAILED
    )
    with pytest.raises(ActionRefused, match="Only a finished run"):
        services.publish_run(run, actor=world.users["admin"])


def test_a_participant_accepts_their_offer(world, client_for):
    m = small_market(world)
    run = run_of(m, world)
    services.publish_run(run, actor=world.users["admin"])
    mine = Offer.objects.get(nomination=m.ada)
    client = client_for(world.users["participant"])
    page = client.get(reverse("matches:offer", args=[mine.pk])).content.decode()
    assert "Accept the offer" in page
    client.post(reverse("matches:offer", args=[mine.pk]), {"answer": "accept"})
    mine.refresh_from_db()
    assert mine.status == OfferStatus.ACCEPTED and mine.responded_at
    assert mine.history.first().history_user == world.users["participant"]
    # Someone else's offer is out of sight.
    other = Offer.objects.get(nomination=m.bo)
    assert client.get(reverse("matches:offer", args=[other.pk])).status_code == 404
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "Parks at B" in dashboard and "Accepted" in dashboard
    # Accepting starts the placement, with its draft agreement, in the same transaction.
    from talent_exchange.placements.models import Placement

    placement = Placement.objects.get(offer=mine)
    assert placement.person == m.ada.person
    assert placement.host_organization == mine.opportunity.host_organization
    assert not Placement.objects.filter(offer=other).exists()


def test_declining_needs_a_reason(world, client_for):
    m = small_market(world)
    services.publish_run(run_of(m, world), actor=world.users["admin"])
    mine = Offer.objects.get(nomination=m.ada)
    client = client_for(world.users["participant"])
    response = client.post(
        reverse("matches:offer", args=[mine.pk]), {"answer": "decline", "reason": ""}
    )
    assert response.status_code == 200 and "usa-error-message" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == OfferStatus.OFFERED
    client.post(
        reverse("matches:offer", args=[mine.pk]), {"answer": "decline", "reason": "Moving away"}
    )
    mine.refresh_from_db()
    assert mine.status == OfferStatus.DECLINED and mine.decline_reason == "Moving away"


def test_no_answer_after_the_deadline(world):
    m = small_market(world)
    run = finished_run(m.cycle, world.users["admin"], result={})
    late = offer(run, m.ada, m.at_b, respond_by=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ActionRefused, match="has passed"):
        services.accept_offer(late, actor=world.users["participant"])
    assert services.expire_offers() == 1
    late.refresh_from_db()
    assert late.status == OfferStatus.EXPIRED


def test_the_last_place_goes_to_one(world):
    """Capacity counts accepted offers of every round."""
    m = small_market(world)
    admin = world.users["admin"]
    round1 = finished_run(m.cycle, admin, result={})
    round2 = finished_run(m.cycle, admin, result={}, round=2)
    offer(round1, m.cy, m.at_a, status=OfferStatus.ACCEPTED)
    late_comer = NominationFactory(cycle=m.cycle, person=world.person_a.__class__.objects.create(
        first_name="Lee", last_name="Late", work_email="lee@example.org",
        organization=world.city_b, user=world.users["nobody"],
    ))  # fmt: skip
    second = offer(round2, late_comer, m.at_a)
    with pytest.raises(ActionRefused, match="last place"):
        services.accept_offer(second, actor=world.users["nobody"])


def test_the_second_round_fills_the_declined_places(world, client_for):
    m = small_market(world)
    admin = world.users["admin"]
    services.publish_run(run_of(m, world), actor=admin)
    services.accept_offer(Offer.objects.get(nomination=m.ada), actor=world.users["participant"])
    for nomination in (m.bo, m.cy):
        declined = Offer.objects.get(nomination=nomination)
        declined.status = OfferStatus.DECLINED
        declined.decline_reason = "Not this one"
        declined.save()
    client = client_for(admin)
    client.post(
        reverse("matches:runs", args=[m.cycle.pk]),
        {"mode": "stable", "balance_tolerance": "", "round": 2},
    )
    second = MatchRun.objects.get(round=2)
    assert second.status == RunStatus.SUCCEEDED
    # Ada accepted: she and B's only place are out; nobody gets a place they declined.
    assert [p["id"] for p in second.market["participants"]] == [f"n{m.bo.pk}", f"n{m.cy.pk}"]
    assert pairs(second) == {
        (f"n{m.bo.pk}", f"o{m.at_a.pk}"),
        (f"n{m.cy.pk}", f"o{m.at_county.pk}"),
    }
    services.publish_run(second, actor=admin)
    assert Offer.objects.filter(run=second).count() == 2


def test_a_later_round_waits_for_the_earlier_one_to_be_published(world, client_for):
    m = small_market(world)
    response = client_for(world.users["admin"]).post(
        reverse("matches:runs", args=[m.cycle.pk]),
        {"mode": "stable", "balance_tolerance": "", "round": 2},
    )
    assert response.status_code == 200
    assert "publish a run of round 1 first" in response.content.decode()
    assert not MatchRun.objects.exists()


def test_publishing_writes_offers_and_their_history_in_bulk(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = small_market(world)
    admin = world.users["admin"]
    run = services.start_run(m.cycle, actor=admin, mode="stable", balance_tolerance=None)
    with CaptureQueriesContext(connection) as queries:
        services.publish_run(run, actor=admin)
    offers = Offer.objects.filter(run=run)
    assert offers.count() > 1
    # One statement each (on PostgreSQL both in one: offers and their history rows).
    statements = [q["sql"] for q in queries]
    assert sum('INSERT INTO "matches_offer"' in sql for sql in statements) == 1
    assert sum('INSERT INTO "matches_historicaloffer"' in sql for sql in statements) == 1
    history = Offer.history.filter(run_id=run.pk, history_type="+")
    assert history.count() == offers.count()
    assert set(history.values_list("history_user", flat=True)) == {admin.pk}
    assert set(history.values_list("history_change_reason", flat=True)) == {
        f"published with run #{run.pk}"
    }
