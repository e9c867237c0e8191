from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from talent_exchange.notifications.models import Notification
from talent_exchange.placements import services
from talent_exchange.placements.reminders import send_reminders

from .conftest import sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the reminders as the scheduled command does, committing: the e-mails leave only
    after the commit (the test's own transaction never commits)."""

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(today)

    return run


def test_unsigned_agreements_remind_each_missing_party_once(world, placement, committed):
    services.sign_agreement(placement, world.users["coord_a"], "home")
    assert committed(date(2027, 1, 10)) == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [world.users["coord_b"].email, world.users["participant"].email]
    assert committed(date(2027, 1, 10)) == 0
    assert len(mail.outbox) == 2


def test_running_the_command_twice_sends_each_reminder_once(
    world, placement, django_capture_on_commit_callbacks
):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    # 10 March: the 1 March check-in is late; the mid-point evaluations (17 March) are due
    # within a week.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=date(2027, 3, 10))
    first = sorted((m.subject, tuple(m.to)) for m in mail.outbox)
    subjects = [s for s, _to in first]
    assert sum("check-in overdue" in s for s in subjects) == 1
    assert sum("Due soon: Mid-point evaluation" in s for s in subjects) == 3
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=date(2027, 3, 10))
    assert sorted((m.subject, tuple(m.to)) for m in mail.outbox) == first
    # After the due date, each evaluation still pending gets one "overdue" reminder.
    evaluation = placement.evaluations.get(stage="midpoint", respondent="participant")
    services.submit_evaluation(evaluation, world.users["participant"], rating=4, comments="OK")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", today=date(2027, 3, 20))
    late = [m for m in mail.outbox[len(first) :] if m.subject.startswith("Overdue")]
    assert len(late) == 2  # coach and home supervisor; the participant has answered
    assert Notification.objects.filter(key__startswith="placements:evaluation:").count() == 5


def test_outcomes_due_remind_the_home_coordinator(world, placement, committed):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    placement = services.record_return(placement, world.users["admin"], date(2027, 5, 1), "Analyst")
    placement.evaluations.update(submitted_at=timezone.now())  # nothing else pending
    placement.checkins.update(held_on=date(2027, 3, 1))
    assert committed(date(2027, 11, 2)) == 1
    assert mail.outbox[0].to == [world.users["coord_a"].email]
    assert "6-month outcome" in mail.outbox[0].subject
    assert committed(date(2027, 11, 3)) == 0
