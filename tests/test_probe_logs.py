"""Nothing secret reaches a log. The main journeys run through the test client with every
logger at DEBUG — a coordinator nominates, the endorsers follow their e-mailed links (and a
stranger, a signed-out visitor and a guessed token try them too), the nominee sets a
password from the invitation, a coordinator resets a forgotten password and signs in (once
with a wrong password), an administrator invites an organisation whose coordinator accepts —
and what the configured handlers write must hold no token, no password and no e-mail
address of anyone involved."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from talent_exchange.accounts.models import User
from talent_exchange.nominations.models import Endorsement, EndorsementStep, Nomination
from talent_exchange.people.models import Person
from talent_exchange.programs.models import ProgramInvitation
from tests.factories import PersonFactory, UserFactory, grant
from tests.probe.forms import forms_on

pytestmark = pytest.mark.django_db

PASSWORDS = ["correct-horse-battery", "wrong-Password-17", "New-long-passphrase-2027"]
LINK = re.compile(r"(?:https?://[^/\s]+)?/[^\s\"'<>]+")  # a link, with the site or without


def _handlers() -> list[logging.StreamHandler]:
    """The handlers the settings configure (pytest's capture handlers aside)."""
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    return [
        h
        for lg in loggers
        for h in lg.handlers
        if isinstance(h, logging.StreamHandler) and not type(h).__module__.startswith("_pytest")
    ]


@pytest.fixture
def written():
    """Everything the configured handlers write while the test runs, with every logger at
    DEBUG."""
    stream = io.StringIO()
    handlers = _handlers()
    assert handlers, "no log handler is configured"
    streams = [h.setStream(stream) for h in handlers]
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    yield stream
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)
    for h, old in zip(handlers, streams, strict=True):
        h.setStream(old)


def _submit(client: Client, url: str, values: dict, **kwargs):
    """Open the page, fill its (first POST) form as a browser would — hidden fields such as
    the one-time key included — and send it."""
    page = client.get(url)
    form = next(f for f in forms_on(url, page.content.decode()) if f.method == "post")
    data = {n: v[0] for n, v in form.fields.items() if v and n not in values}
    return client.post(form.action, data | values, **kwargs)


def _links(since: int = 0) -> list[str]:
    return [link for m in mail.outbox[since:] for link in LINK.findall(m.body)]


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_journeys_leave_no_token_password_or_address_in_the_logs(
    world, written, django_capture_on_commit_callbacks
):
    delivered = django_capture_on_commit_callbacks  # mail goes out when the step commits
    users = world.users
    program, cycle = world.program, world.cycle
    cycle.state = "nominations"
    cycle.save()
    supervisor = world.person_a.supervisor
    head = PersonFactory(organization=world.city_a, user=UserFactory(username="head"))
    supervisor.supervisor = head
    supervisor.save()
    EndorsementStep.objects.create(program=program, order=1, title="Supervisor", kind="supervisor")
    EndorsementStep.objects.create(program=program, order=2, title="Head", kind="manager")
    nominee = PersonFactory(
        organization=world.city_a, supervisor=supervisor, work_email="nia.nominee@city-a.example"
    )

    # A coordinator nominates; the first endorser is mailed a link with a token.
    coordinator = Client()
    assert (
        coordinator.post(
            reverse("accounts:login"), {"username": "coord_a", "password": PASSWORDS[1]}
        ).status_code
        == 200
    )  # a wrong password first
    coordinator.post(reverse("accounts:login"), {"username": "coord_a", "password": PASSWORDS[0]})
    sent = len(mail.outbox)
    with delivered(execute=True):
        _submit(
            coordinator,
            reverse("nominations:create", args=[cycle.pk]),
            {
                "person": str(nominee.pk),
                "rationale": "High potential",
                "backfill_plan": "Acting deputy",
                "endorser_1": users["supervisor"].email,
                "endorser_2": head.user.email,
            },
        )
    nomination = Nomination.objects.get(person=nominee)
    # (the endorser never signed in: the mail's link chooses a password, then goes on to it)
    first = _path(next(link for link in _links(sent) if "/endorse/" in link)).split("?next=")[-1]

    # The link as a signed-out visitor, a stranger and a guesser would use it.
    assert Client().get(first).status_code == 302
    stranger = Client()
    stranger.force_login(users["coord_b"])
    assert stranger.get(first).status_code in (403, 404)
    assert stranger.post(first, {"decision": "endorse"}).status_code in (403, 404)
    assert stranger.get(first.replace("/endorse/", "/endorse/x")).status_code == 404

    # Each endorser signs from the link; the last one's signature invites the nominee.
    for endorsement in nomination.endorsements.order_by("order"):
        endorser = Client()
        endorser.force_login(endorsement.endorser)
        link = reverse("nominations:endorse", args=[endorsement.token])
        sent = len(mail.outbox)
        with delivered(execute=True):
            endorser.post(link, {"decision": "endorse", "reason": ""})
    nomination.refresh_from_db()
    assert nomination.status == "endorsed", nomination.status
    invitation = _path(next(link for link in _links(sent) if "/welcome/" in link))

    # The nominee sets a password from the invitation.
    newcomer = Client()
    form_page = newcomer.get(invitation, follow=True)
    assert form_page.status_code == 200
    newcomer.post(
        form_page.request["PATH_INFO"],
        {"new_password1": PASSWORDS[2], "new_password2": PASSWORDS[2]},
    )

    # A coordinator who forgot their password resets it and signs in.
    forgetful = Client()
    sent = len(mail.outbox)
    with delivered(execute=True):
        forgetful.post(reverse("accounts:password_reset"), {"email": users["coord_b"].email})
    reset = _path(next(link for link in _links(sent) if "/reset/" in link))
    page = forgetful.get(reset, follow=True)
    forgetful.post(
        page.request["PATH_INFO"],
        {"new_password1": PASSWORDS[2], "new_password2": PASSWORDS[2]},
    )
    assert (
        forgetful.post(
            reverse("accounts:login"), {"username": "coord_b", "password": PASSWORDS[2]}
        ).status_code
        == 302
    )

    # An administrator invites an organisation; its coordinator accepts.
    outsider_coordinator = UserFactory(username="coord_delta", email="dee@delta.example")
    grant(outsider_coordinator, "coordinator", organization=world.outsider_org)
    administrator = Client()
    administrator.force_login(users["admin"])
    with delivered(execute=True):
        _submit(
            administrator,
            reverse("programs:invite", args=[program.pk, world.outsider_org.pk]),
            {"note": "Join us"},
        )
    invitation_row = ProgramInvitation.objects.get(program=program)
    answering = Client()
    answering.force_login(outsider_coordinator)
    with delivered(execute=True):
        answering.post(
            reverse("programs:accept_invitation", args=[invitation_row.pk]), {"note": ""}
        )
    invitation_row.refresh_from_db()
    assert invitation_row.state == "accepted", invitation_row.state

    log = written.getvalue()
    assert "Forbidden" in log or "Not Found" in log, "the journeys logged nothing to check"
    secrets = {
        *Endorsement.objects.values_list("token", flat=True),
        *PASSWORDS,
        *(_path(link).rstrip("/").rsplit("/", 1)[-1] for link in _links() if "/reset/" in link),
        *(m.group(1) for link in _links() if (m := re.search(r"/welcome/[^/]+/([^/?]+)", link))),
        *(e for e in User.objects.values_list("email", flat=True) if e),
        *(e for e in Person.objects.values_list("work_email", flat=True) if e),
    }
    leaked = sorted(s for s in secrets if s in log)
    assert not leaked, f"in the logs: {leaked}\n{log[:3000]}"
