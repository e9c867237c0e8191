import pytest

from talent_exchange.placements.demo import seed_placements
from talent_exchange.placements.models import Placement
from talent_exchange.placements.reminders import send_reminders

pytestmark = pytest.mark.django_db


def test_demo_placements_are_seeded_once(seeded_demo, settings, tmp_path):
    settings.DEMO_MAIL_DIR = tmp_path / "mail"
    seed_placements()  # the demo already did (seed_demo wires it in): nothing new
    assert Placement.objects.count() == 2
    assert seed_placements() == 0
    assert Placement.objects.count() == 2
    ellis = Placement.objects.get(person__last_name="Ellis")
    assert ellis.title == "Assistant to the City Manager"
    assert ellis.status == "closed"
    assert ellis.cycle.state == "closed"
    assert ellis.agreement.is_frozen
    assert ellis.outcomes.get(months_after=6).promoted is True
    tran = Placement.objects.get(person__last_name="Tran")
    assert tran.status == "returned"
    assert tran.end_date < tran.planned_end_date
    # The demo's 6-month outcome for Kevin Tran is due: the reminder run has work to show.
    assert send_reminders(tran.outcomes.get(months_after=6).due_on) >= 1
