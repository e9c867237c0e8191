from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.placements import services
from talent_exchange.placements.models import (
    AgreementTemplate,
    Placement,
    PlacementTransition,
    Signature,
    Status,
)
from tests.factories import CycleFactory, OrganizationFactory

from .conftest import sign_all
from .factories import accepted_offer, placement_in

pytestmark = pytest.mark.django_db
START = date(2027, 2, 1)


def test_an_accepted_offer_becomes_one_placement(world, placement):
    offer = placement.offer
    assert services.start_placement(offer, world.users["admin"]) == placement
    assert Placement.objects.filter(offer=offer).count() == 1
    assert placement.start_date == START
    assert placement.end_date == date(2027, 4, 30)
    assert placement.coach == world.person_b
    assert placement.home_supervisor.user == world.users["supervisor"]
    agreement = placement.agreement
    assert agreement.return_position == world.person_a.position_title
    assert agreement.salary_home_percent + agreement.salary_host_percent == 100
    assert "return" in agreement.return_rights.lower()
    assert agreement.conflict_statement == ""  # a public host needs no attestation


def test_only_accepted_offers_start_placements(world, coach_user):
    offer = accepted_offer(
        cycle=world.cycle, person=world.person_a, host=world.city_b, actor=world.users["admin"]
    )
    offer.status = "offered"
    with pytest.raises(ActionRefused):
        services.start_placement(offer, world.users["admin"])


def test_the_programs_template_is_used(world, coach_user):
    AgreementTemplate.objects.create(
        program=world.program,
        return_rights_text="Return to the same post, guaranteed.",
        re_entry_text="Re-entry.",
        appraisal_text="Appraisal.",
        awards_text="Awards.",
        conflict_text="Conflicts.",
        return_service_months=18,
        salary_home_percent=60,
        expenses_home_percent=50,
    )
    agreement = placement_in(world).agreement
    assert agreement.return_rights == "Return to the same post, guaranteed."
    assert (agreement.salary_home_percent, agreement.salary_host_percent) == (60, 40)
    assert agreement.return_service_months == 18


def test_three_signatures_freeze_the_agreement(world, placement):
    services.sign_agreement(
        placement,
        world.users["participant"],
        "participant",
        ip_address="192.0.2.7",
        user_agent="Firefox",
    )
    signature = Signature.objects.get()
    assert (signature.ip_address, signature.user_agent) == ("192.0.2.7", "Firefox")
    assert signature.history.count() == 1  # in the audit trail
    assert signature.history.first().history_user == world.users["participant"]
    services.sign_agreement(placement, world.users["coord_a"], "home")
    assert not placement.agreement.__class__.objects.get().is_frozen
    services.sign_agreement(placement, world.users["coord_b"], "host")
    placement.agreement.refresh_from_db()
    assert placement.agreement.is_frozen
    with pytest.raises(ActionRefused, match="can no longer change"):
        services.update_terms(placement, world.users["admin"], return_service_months=6)


@pytest.mark.parametrize(
    ("user", "party"),
    [("coord_b", "home"), ("coord_a", "host"), ("admin", "participant"), ("auditor", "host")],
)
def test_nobody_signs_for_a_party_they_do_not_represent(world, placement, user, party):
    with pytest.raises(PermissionDenied):
        services.sign_agreement(placement, world.users[user], party)
    assert not Signature.objects.exists()


def test_a_party_signs_once(world, placement):
    services.sign_agreement(placement, world.users["coord_a"], "home")
    with pytest.raises(ActionRefused, match="already signed"):
        services.sign_agreement(placement, world.users["coord_a"], "home")


def test_changing_signed_terms_voids_the_signatures(world, placement):
    services.sign_agreement(placement, world.users["participant"], "participant")
    services.sign_agreement(placement, world.users["coord_a"], "home")
    agreement = services.update_terms(placement, world.users["coord_b"], return_service_months=24)
    assert agreement.version == 2
    assert Signature.objects.count() == 2  # kept, for the audit trail, but no longer current
    assert services.current_signatures(agreement) == {}
    # Changing terms again before anyone re-signs keeps the version.
    agreement = services.update_terms(placement, world.users["coord_b"], return_service_months=12)
    assert agreement.version == 2


def test_shares_must_add_up_to_100(world, placement):
    with pytest.raises(ActionRefused, match="100%"):
        services.update_terms(placement, world.users["admin"], salary_home_percent=70)
    services.update_terms(
        placement, world.users["admin"], salary_home_percent=70, salary_host_percent=30
    )


def test_the_database_refuses_shares_that_do_not_add_up(placement):
    agreement = placement.agreement
    agreement.expenses_home_percent = 10
    agreement.expenses_host_percent = 10
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_an_external_host_needs_the_conflict_attestation(world, coach_user):
    company = OrganizationFactory(name="Acme Analytics", kind="private_company", sector="external")
    placement = placement_in(world, host=company, coach=None)
    agreement = placement.agreement
    assert agreement.needs_conflict_attestation
    assert agreement.conflict_statement  # the template's attestation text
    with pytest.raises(ActionRefused, match="attestation"):
        services.update_terms(placement, world.users["admin"], conflict_statement="")
    with pytest.raises(ActionRefused, match="conflict of interest"):
        services.sign_agreement(placement, world.users["participant"], "participant")
    # Each party attests for themselves: the coordinator cannot tick it for the participant.
    with pytest.raises(PermissionDenied):
        services.attest_no_conflict(placement, world.users["coord_a"])
    with pytest.raises(ValueError, match="Not agreement terms"):
        services.update_terms(placement, world.users["coord_a"], conflict_attested=True)
    services.attest_no_conflict(placement, world.users["participant"])
    services.sign_agreement(placement, world.users["participant"], "participant")


def test_activation_needs_every_signature_and_the_start_date(world, placement):
    admin = world.users["admin"]
    with pytest.raises(ActionRefused, match="Still to sign: Participant"):
        services.activate_placement(placement, admin, today=START)
    sign_all(placement, world)
    with pytest.raises(ActionRefused, match="before its start date"):
        services.activate_placement(placement, admin, today=date(2027, 1, 31))
    placement = services.activate_placement(placement, admin, today=START)
    assert placement.status == Status.ACTIVE
    assert [c.due_on for c in placement.checkins.all()] == [
        date(2027, 3, 1),
        date(2027, 4, 1),
    ]
    assert placement.evaluations.count() == 6
    assert placement.evaluations.get(stage="midpoint", respondent="participant").due_on == date(
        2027, 3, 17
    )
    transition = PlacementTransition.objects.get()
    assert (transition.from_state, transition.to_state, transition.actor) == (
        "agreement",
        "active",
        admin,
    )


def test_transitions_are_immutable(world, placement):
    sign_all(placement, world)
    services.activate_placement(placement, world.users["admin"], today=START)
    transition = PlacementTransition.objects.get()
    transition.note = "changed"
    with pytest.raises(ValidationError):
        transition.save()
    with pytest.raises(ValidationError):
        transition.delete()


@pytest.fixture
def active(world, placement):
    sign_all(placement, world)
    return services.activate_placement(placement, world.users["admin"], today=START)


def test_illegal_transitions_are_refused_with_a_message(world, active):
    with pytest.raises(ActionRefused, match=r"cannot become “Closed”\. It can become: Extended"):
        services.close_placement(active, world.users["admin"])
    with pytest.raises(ActionRefused, match="cannot become “Active”"):
        services.activate_placement(active, world.users["admin"], today=START)


def test_extension_stays_within_the_programs_longest_assignment(world, active):
    world.program.max_assignment_months = 4
    world.program.save()
    with pytest.raises(ActionRefused, match="at most 4 months"):
        services.extend_placement(active, world.users["coord_a"], date(2027, 6, 30))
    with pytest.raises(ActionRefused, match="later than"):
        services.extend_placement(active, world.users["coord_a"], date(2027, 4, 1))
    with pytest.raises(PermissionDenied):
        services.extend_placement(active, world.users["coord_a"], date(2027, 6, 30), override=True)
    placement = services.extend_placement(active, world.users["coord_a"], date(2027, 5, 31))
    assert (placement.status, placement.end_date) == ("extended", date(2027, 5, 31))
    assert placement.checkins.count() == 3  # a check-in for the extra month
    assert placement.evaluations.get(stage="final", respondent="participant").due_on == date(
        2027, 5, 31
    )
    placement = services.extend_placement(
        placement, world.users["admin"], date(2027, 7, 31), override=True
    )
    assert placement.end_date == date(2027, 7, 31)


def test_an_early_end_needs_a_reason_and_drops_later_check_ins(world, active):
    with pytest.raises(ActionRefused, match="reason is required"):
        services.end_placement_early(active, world.users["admin"], date(2027, 3, 15), "  ")
    placement = services.end_placement_early(
        active, world.users["admin"], date(2027, 3, 15), "Host reorganised."
    )
    assert placement.status == "ended_early"
    assert [c.due_on for c in placement.checkins.all()] == [date(2027, 3, 1)]
    assert placement.transitions.last().note == "Host reorganised."


def test_return_schedules_the_outcomes(world, active):
    placement = services.record_return(
        active, world.users["coord_a"], date(2027, 5, 2), "Management Analyst II"
    )
    assert placement.returned_to_position == "Management Analyst II"
    assert [(o.months_after, o.due_on) for o in placement.outcomes.all()] == [
        (6, date(2027, 11, 2)),
        (12, date(2028, 5, 2)),
        (24, date(2029, 5, 2)),
    ]
    with pytest.raises(PermissionDenied):
        services.close_placement(placement, world.users["coord_a"])
    assert services.close_placement(placement, world.users["admin"]).status == "closed"


def _another_cycle(world):
    return CycleFactory(program=world.program, name="2027 summer")


def test_two_running_placements_of_one_person_cannot_overlap(world, active):
    second = placement_in(
        world, title="Budget Analyst", start=date(2027, 4, 1), cycle=_another_cycle(world)
    )
    sign_all(second, world)
    with pytest.raises(ActionRefused, match="cannot overlap"):
        services.activate_placement(second, world.users["admin"], today=date(2027, 4, 1))
    # Once the first has ended early, the second may start.
    services.end_placement_early(active, world.users["admin"], date(2027, 3, 31), "Moved on.")
    second = services.activate_placement(second, world.users["admin"], today=date(2027, 4, 1))
    assert second.status == "active"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The exclusion constraint exists on PostgreSQL only (SQLite has no GiST indexes); "
    "run with DATABASE_URL=postgres://… to check it.",
)
def test_the_database_refuses_overlapping_running_placements(world, active):
    later = _another_cycle(world)
    second = placement_in(world, title="Budget Analyst", start=date(2027, 4, 1), cycle=later)
    second.status = Status.ACTIVE  # bypasses the service's check…
    copy = Placement(
        **{
            f.attname: getattr(second, f.attname)
            for f in Placement._meta.concrete_fields
            if f.attname not in ("id", "offer_id")
        },
        offer=accepted_offer(
            cycle=CycleFactory(program=world.program, name="2027 autumn"),
            person=world.person_a,
            host=world.city_b,
            actor=world.users["admin"],
            title="Another",
        ),
    )
    with (
        pytest.raises(IntegrityError, match="placement_no_overlapping_running"),
        transaction.atomic(),
    ):
        Placement.objects.bulk_create([copy])  # …and the database still says no
    # A placement that is not running may overlap (it is only an agreement).
    copy.status = Status.AGREEMENT
    Placement.objects.bulk_create([copy])


def test_an_objective_is_reviewed_only_once_the_assignment_started(world, placement):
    """The page offered the review link only after the start while the service accepted a
    review at any time; both now ask the workflow (``review_objective``)."""
    participant = world.users["participant"]
    objective = services.add_objective(placement, participant, "Lead the budget", "Adopted")
    with pytest.raises(ActionRefused, match="once the assignment has started"):
        services.review_objective(objective, participant, "met", "The council adopted it.")
    objective.refresh_from_db()
    assert objective.reviewed_at is None
