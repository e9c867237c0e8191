"""Nomination pages: the permission matrix (role × object × action), the endorsement page,
the dashboard sections and the list's query count."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent_exchange.nominations import services
from talent_exchange.nominations.models import Endorsement, Nomination
from tests.factories import PersonFactory

from .factories import NominationFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "coord_a",
    "coord_b",
    "supervisor",
    "participant",
    "panelist",
    "board",
    "auditor",
    "nobody",
]


@pytest.fixture
def noms(world, chain):
    """The participant's own nomination (City A, supervisor endorses first) and one of City B."""
    a = services.nominate(
        world.person_a,
        world.cycle,
        actor=world.users["coord_a"],
        endorsers=[chain["supervisor"], chain["head"]],
    )
    b = services.nominate(
        world.person_b,
        world.cycle,
        actor=world.users["coord_b"],
        endorsers=[chain["supervisor_b"], chain["head_b"]],
    )
    return {"a": a, "b": b}


# who sees each nomination's page (404 otherwise)
VIEW = {
    #              city A  city B
    "admin": (True, True),
    "coord_a": (True, False),
    "coord_b": (False, True),
    "supervisor": (True, False),  # endorser of A (and A's supervisor)
    "participant": (True, False),  # the nominee of A
    "panelist": (False, False),
    "board": (False, False),
    "auditor": (True, True),
    "nobody": (False, False),
}


@pytest.mark.parametrize(
    ("role", "which", "allowed"),
    [(r, w, VIEW[r][i]) for r in ROLES for i, w in enumerate("ab")],
)
def test_view_nomination(world, noms, client_for, role, which, allowed):
    nomination = noms[which]
    response = client_for(world.users[role]).get(
        reverse("nominations:detail", args=[nomination.pk])
    )
    if allowed:
        assert response.status_code == 200
        assert nomination.person.full_name in response.content.decode()
    else:
        assert response.status_code == 404
        assert nomination.person.full_name not in response.content.decode()


# (may open the list, may nominate, may withdraw City A's nomination)
WRITE = {
    "admin": (True, False, False),
    "coord_a": (True, True, True),
    "coord_b": (True, True, False),
    "supervisor": (False, False, False),
    "participant": (False, False, False),
    "panelist": (False, False, False),
    "board": (False, False, False),
    "auditor": (True, False, False),
    "nobody": (False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_list_nominate_withdraw(world, noms, client_for, role):
    may_list, may_nominate, may_withdraw = WRITE[role]
    client = client_for(world.users[role])
    listing = client.get(reverse("nominations:list", args=[world.cycle.pk]))
    assert (listing.status_code == 200) == may_list
    if may_list:
        html = listing.content.decode()
        assert ("Ada Alpha" in html) == VIEW[role][0]
        assert ("Bea Beta" in html) == VIEW[role][1]
    assert (
        client.get(reverse("nominations:create", args=[world.cycle.pk])).status_code == 200
    ) == may_nominate
    client.post(reverse("nominations:withdraw", args=[noms["a"].pk]))
    assert (Nomination.objects.get(pk=noms["a"].pk).status == "withdrawn") == may_withdraw


def test_only_the_endorser_may_endorse(
    world, noms, chain, client_for, django_capture_on_commit_callbacks
):
    first = noms["a"].endorsements.get(order=1)
    url = reverse("nominations:endorse", args=[first.token])
    for role in ("admin", "coord_a", "participant", "auditor"):
        assert client_for(world.users[role]).post(url, {"decision": "endorse"}).status_code == 403
    assert Endorsement.objects.get(pk=first.pk).decision == "pending"
    assert (
        client_for(chain["supervisor"])
        .get(reverse("nominations:endorse", args=["no-such-token"]))
        .status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(chain["supervisor"]).post(url, {"decision": "endorse"})
    assert response.status_code == 302
    assert Endorsement.objects.get(pk=first.pk).decision == "endorsed"
    assert mail.outbox[-1].to == [chain["head"].email]


def test_the_endorsement_page_finds_its_endorsement_once(world, noms, chain, client_for):
    first = noms["a"].endorsements.get(order=1)
    client = client_for(chain["supervisor"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("nominations:endorse", args=[first.token]))
    assert response.status_code == 200
    by_token = [q["sql"] for q in queries.captured_queries if first.token in q["sql"]]
    assert len(by_token) == 1, by_token


def test_decline_on_the_page_needs_a_reason(world, noms, chain, client_for):
    first = noms["a"].endorsements.get(order=1)
    client = client_for(chain["supervisor"])
    url = reverse("nominations:endorse", args=[first.token])
    response = client.post(url, {"decision": "decline"})
    assert 'id="reason-error"' in response.content.decode()
    client.post(url, {"decision": "decline", "reason": "Not now"})
    assert Nomination.objects.get(pk=noms["a"].pk).status == "declined"


def test_anonymous_endorsement_link_goes_to_sign_in(noms, client):
    first = noms["a"].endorsements.get(order=1)
    response = client.get(reverse("nominations:endorse", args=[first.token]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_dashboards(world, noms, chain, client_for):
    endorser = client_for(chain["supervisor"]).get(reverse("core:dashboard")).content.decode()
    assert "Nominations waiting for your endorsement" in endorser
    assert noms["a"].endorsements.get(order=1).token in endorser
    coordinator = client_for(world.users["coord_a"]).get(reverse("core:dashboard")).content.decode()
    assert "Nominations awaiting endorsement" in coordinator and "Ada Alpha" in coordinator
    assert "Bea Beta" not in coordinator
    participant = (
        client_for(world.users["participant"]).get(reverse("core:dashboard")).content.decode()
    )
    assert "Your nomination" in participant and "endorsers are signing off" in participant
    city_b = client_for(chain["supervisor_b"]).get(reverse("core:dashboard")).content.decode()
    assert "Bea Beta" in city_b and "Ada Alpha" not in city_b
    head = client_for(chain["head"]).get(reverse("core:dashboard")).content.decode()
    assert "Ada Alpha" not in head  # not the head's turn for A yet


def test_nominee_confirms_and_declares_on_the_page(world, noms, chain, client_for):
    nomination = noms["a"]
    for e in nomination.endorsements.order_by("order"):
        services.endorse(e, actor=e.endorser)
    client = client_for(world.users["participant"])
    client.post(reverse("nominations:confirm", args=[nomination.pk]))
    client.post(
        reverse("nominations:declare_conflict", args=[nomination.pk]),
        {"organization": world.city_b.pk, "reason": "Former employer, left last year"},
    )
    nomination.refresh_from_db()
    assert nomination.profile_confirmed_at is not None
    assert list(nomination.conflicts.values_list("organization", flat=True)) == [world.city_b.pk]
    other = client_for(world.users["coord_b"])
    assert other.post(reverse("nominations:confirm", args=[nomination.pk])).status_code == 404


def test_nominate_page_errors_next_to_fields(world, chain, client_for):
    response = client_for(world.users["coord_a"]).post(
        reverse("nominations:create", args=[world.cycle.pk]),
        {
            "person": world.person_a.pk,
            "endorser_1": "ghost@example.org",
            "endorser_2": chain["head"].email,
        },
    )
    html = response.content.decode()
    assert 'id="endorser_1-error"' in html and "No user of this site has this e-mail" in html
    assert not Nomination.objects.exists()
    # City B's employee is not even offered to City A's coordinator
    assert "Bea Beta" not in html


def test_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    client = client_for(world.users["admin"])
    url = reverse("nominations:list", args=[world.cycle.pk])
    for _ in range(2):
        NominationFactory(cycle=world.cycle, person=PersonFactory(organization=world.city_a))
    with django_assert_max_num_queries(10) as few:  # the rows: page, count, chains
        client.get(url)
    for _ in range(20):
        NominationFactory(cycle=world.cycle, person=PersonFactory(organization=world.city_b))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_cycle_page_links(world, client_for):
    html = (
        client_for(world.users["coord_a"])
        .get(reverse("programs:cycle", args=[world.cycle.pk]))
        .content.decode()
    )
    assert reverse("nominations:list", args=[world.cycle.pk]) in html
    html = (
        client_for(world.users["participant"])
        .get(reverse("programs:cycle", args=[world.cycle.pk]))
        .content.decode()
    )
    assert reverse("nominations:list", args=[world.cycle.pk]) not in html


def test_the_conflict_form_is_offered_while_the_nomination_awaits_endorsement(
    world, noms, client_for
):
    """The service accepts a conflict while the nomination awaits endorsement; the page used
    to offer the form only once it was endorsed. Both now ask the workflow."""
    nomination = noms["a"]
    assert nomination.status == "awaiting_endorsement"
    page = client_for(world.users["participant"]).get(
        reverse("nominations:detail", args=[nomination.pk])
    )
    assert reverse("nominations:declare_conflict", args=[nomination.pk]) in page.content.decode()
    services.withdraw(nomination, actor=world.users["coord_a"])
    page = client_for(world.users["participant"]).get(
        reverse("nominations:detail", args=[nomination.pk])
    )
    assert reverse("nominations:declare_conflict", args=[nomination.pk]) not in (
        page.content.decode()
    )


def test_every_move_of_a_nomination_is_recorded(world, noms, chain):
    nomination = noms["a"]
    for e in nomination.endorsements.order_by("order"):
        services.endorse(e, actor=e.endorser)
    services.withdraw(nomination, actor=world.users["coord_a"])
    moves = list(nomination.transitions.values_list("from_state", "to_state", "actor"))
    assert moves == [
        ("awaiting_endorsement", "endorsed", chain["head"].pk),
        ("endorsed", "withdrawn", world.users["coord_a"].pk),
    ]


@pytest.mark.parametrize(
    "user", ["admin", "coord_a", "coord_b", "supervisor", "participant", "panelist", "board"]
)
def test_visible_to_as_a_union_agrees_with_the_rules_as_one_filter(world, user):
    """visible_to unites indexed look-ups (issue 17); it must give what the rules say."""
    from django.db.models import Q

    from talent_exchange.accounts.roles import roles_of
    from talent_exchange.interviews.models import Panel, PanelAssignment

    theirs = NominationFactory(cycle=world.cycle, person=world.person_a)
    NominationFactory(cycle=world.cycle, person=world.person_b)
    NominationFactory(cycle=world.cycle, person=PersonFactory(supervisor=world.person_a))
    panel = Panel.objects.create(cycle=world.cycle, name="Panel")
    panel.members.add(world.users["panelist"])
    PanelAssignment.objects.create(panel=panel, nomination=theirs)
    for endorsement in Endorsement.objects.filter(nomination=theirs)[:1]:
        endorsement.endorser = world.users["board"]
        endorsement.save()
    account = world.users[user]
    roles = roles_of(account)
    rules = (
        Q(cycle__program_id__in=roles.admin_program_ids)
        | Q(home_organization_id__in=roles.coordinator_org_ids)
        | Q(panel_assignments__panel__members=account)
        | Q(endorsements__endorser=account)
    )
    if roles.person_id:
        rules |= Q(person_id=roles.person_id) | Q(person__supervisor_id=roles.person_id)
    expected = set(Nomination.objects.filter(rules).values_list("pk", flat=True))
    got = list(Nomination.objects.visible_to(account).values_list("pk", flat=True))
    assert len(got) == len(set(got)) and set(got) == expected


def test_the_conflict_form_offers_25_organisations_and_finds_the_others_by_name(
    world, noms, client_for
):
    """At the scale promised a consortium has 500 organisations: the nominee's page offers
    the first 25 by name and a box to find the others (core.filters.offer_organizations);
    any organisation can still be declared."""
    from tests.factories import OrganizationFactory

    nomination = noms["a"]
    extra = [OrganizationFactory(name=f"Aardvark Authority {i:02d}") for i in range(30)]
    client = client_for(world.users["participant"])
    url = reverse("nominations:detail", args=[nomination.pk])
    page = client.get(url).content.decode()
    select = page[page.index('name="organization"') :]
    select = select[: select.index("</select>")]
    assert select.count("<option") == 26  # the empty choice and 25 organisations
    assert 'name="organization_find"' in page
    # The help text saying how to find the others is tied to the select (WCAG 1.3.1).
    start = page.rindex("<select", 0, page.index('name="organization"'))
    assert 'aria-describedby="organization-hint"' in page[start : page.index(">", start)]
    assert 'id="organization-hint"' in page
    assert "Aardvark Authority 29" not in select
    found = client.get(url, {"organization_find": "Authority 29"}).content.decode()
    select = found[found.index('name="organization"') :]
    select = select[: select.index("</select>")]
    assert "Aardvark Authority 29" in select and select.count("<option") == 2
    # one that was never offered on the page is accepted all the same
    client.post(
        reverse("nominations:declare_conflict", args=[nomination.pk]),
        {"organization": extra[-1].pk, "reason": "My sister runs it"},
    )
    assert list(nomination.conflicts.values_list("organization", flat=True)) == [extra[-1].pk]
