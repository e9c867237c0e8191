from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from talent_exchange.placements import services
from talent_exchange.placements.models import SentReminder
from talent_exchange.placements.reminders import send_reminders

from .conftest import sign_all

pytestmark = pytest.mark.django_db


def test_unsigned_agreements_remind_each_missing_party_once(world, placement):
    services.sign_agreement(placement, world.users["coord_a"], "home")
    assert send_reminders(date(2027, 1, 10)) == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [world.users["coord_b"].email, world.users["participant"].email]
    assert send_reminders(date(2027, 1, 10)) == 0
    assert len(mail.outbox) == 2


def test_running_the_command_twice_sends_each_reminder_once(world, placement):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    # 10 March: the 1 March check-in is late; the mid-point evaluations (17 March) are due
    # within a week.
    call_command("send_reminders", today=date(2027, 3, 10))
    first = sorted((m.subject, tuple(m.to)) for m in mail.outbox)
    subjects = [s for s, _to in first]
    assert sum("check-in overdue" in s for s in subjects) == 1
    assert sum("Due soon: Mid-point evaluation" in s for s in subjects) == 3
    call_command("send_reminders", today=date(2027, 3, 10))
    assert sorted((m.subject, tuple(m.to)) for m in mail.outbox) == first
    # After the due date, each evaluation still pending gets one "overdue" reminder.
    evaluation = placement.evaluations.get(stage="midpoint", respondent="participant")
    services.submit_evaluation(evaluation, world.users["participant"], rating=4, comments="OK")
    call_command("send_reminders", today=date(2027, 3, 20))
    late = [m for m in mail.outbox[len(first) :] if m.subject.startswith("Overdue")]
    assert len(late) == 2  # coach and home supervisor; the participant has answered
    assert SentReminder.objects.filter(key__startswith="evaluation:").count() == 5


def test_outcomes_due_remind_the_home_coordinator(world, placement):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    placement = services.record_return(placement, world.users["admin"], date(2027, 5, 1), "Analyst")
    placement.evaluations.update(submitted_at=timezone.now())  # nothing else pending
    placement.checkins.update(held_on=date(2027, 3, 1))
    assert send_reminders(date(2027, 11, 2)) == 1
    assert mail.outbox[0].to == [world.users["coord_a"].email]
    assert "6-month outcome" in mail.outbox[0].subject
    assert send_reminders(date(2027, 11, 3)) == 0
