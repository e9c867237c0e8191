"""The back office: program administrators set their program's endorsement chain; nominations
are read-only there; other programs' chains are out of reach."""

import pytest
from django.urls import reverse

from talent_exchange.nominations.models import EndorsementStep
from tests.factories import CycleFactory, NominationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_admin_sets_the_chain(world, client_for):
    client = client_for(world.users["admin"])
    other = ProgramFactory(name="Someone else's")
    add = reverse("admin:nominations_endorsementstep_add")
    page = client.get(add).content.decode()
    assert "Bay Exchange" in page and "Someone else&#x27;s" not in page
    response = client.post(
        add, {"program": world.program.pk, "order": 1, "title": "Supervisor", "kind": "supervisor"}
    )
    assert response.status_code == 302
    assert list(EndorsementStep.objects.values_list("program", "order", "title")) == [
        (world.program.pk, 1, "Supervisor")
    ]
    client.post(add, {"program": other.pk, "order": 1, "title": "Sneaky"})
    assert not EndorsementStep.objects.filter(program=other).exists()


def test_auditor_reads_the_chain_but_cannot_change_it(world, client_for):
    step = EndorsementStep.objects.create(program=world.program, order=1, title="Supervisor")
    client = client_for(world.users["auditor"])
    change = reverse("admin:nominations_endorsementstep_change", args=[step.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"program": world.program.pk, "order": 1, "title": "Changed"})
    assert EndorsementStep.objects.get().title == "Supervisor"
    assert client.get(reverse("admin:nominations_endorsementstep_add")).status_code == 403


def test_admin_sees_nominations_read_only(world, client_for):
    ours = NominationFactory(cycle=world.cycle, person=world.person_a)
    NominationFactory(cycle=CycleFactory(program=ProgramFactory(name="Someone else's")))
    client = client_for(world.users["admin"])

    listing = client.get(reverse("admin:nominations_nomination_changelist"))
    assert list(listing.context["cl"].result_list) == [ours]
    page = client.get(reverse("admin:nominations_nomination_change", args=[ours.pk]))
    content = page.content.decode()
    assert str(ours.person) in content  # shown, as text
    assert 'name="status"' not in content and 'name="person"' not in content
