"""The round trip at the scale of the demo: each program of the demo, exported, imported into
an empty database and exported again, gives the same file (apart from its header's time)."""

import io

import pytest

from talent_exchange.accounts.models import User
from talent_exchange.programs.models import Program
from talent_exchange.reports import history

from .roundtrip import empty_database, export_text, without_header

pytestmark = pytest.mark.django_db


def test_every_demo_program_survives_the_round_trip(seeded_demo):
    auditor = (
        User.objects.filter(role_grants__role="auditor").first()
        or User.objects.filter(is_superuser=True).first()
    )
    assert auditor is not None
    firsts = {p.name: export_text(p, auditor) for p in Program.objects.order_by("pk")}
    everything = "".join(firsts.values())
    # the demo's learning, development and money records are in the files too
    for section in ("placements", "learning_sessions", "invitations", "development_plans"):
        assert f'"section":"{section}"' in everything, section
    for section in ("invoices", "postings", "backfill_plans", "fee_schedules"):
        assert f'"section":"{section}"' in everything, section
    from talent_exchange.matches.models import ResultBlock

    blocks = ResultBlock.objects.count()
    empty_database()
    for name, first in firsts.items():
        result = history.import_history(io.StringIO(first), None, dry_run=False, keep_rows=False)
        assert result.ok, (name, result.errors[:5])
        second = export_text(Program.objects.get(name=name), auditor)
        assert without_header(second) == without_header(first), name
    # a run's result rows (derived, not in the file) are stored again from its result
    assert ResultBlock.objects.count() == blocks
