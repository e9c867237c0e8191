"""Two-factor sign-in: required for operators, program administrators and auditors (sent to
set-up until they have one), optional for everyone else; codes computed here with pyotp,
independently of allauth; an operator resets a person's factors with a reason kept in the
audit trail."""

from __future__ import annotations

import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from talent_exchange.accounts.models import FactorReset
from talent_exchange.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _sign_in(client: Client, login: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": login, "password": password})


def _sign_out(client: Client) -> None:
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def _enrol(client: Client) -> tuple[pyotp.TOTP, list[str]]:
    """Set up an authenticator app the way a person does: read the secret the page shows,
    type the app's code. Returns the app and the recovery codes shown afterwards."""
    page = client.get(reverse("mfa_activate_totp"))
    # changing one's sign-in asks for the password again first
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    again = client.post(page["Location"], {"password": PASSWORD})
    assert again["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown to type into an app without a camera
    app = pyotp.TOTP(secret)
    done = client.post(reverse("mfa_activate_totp"), {"code": app.now()})
    assert done.status_code == 302
    codes_page = client.get(done["Location"])
    codes = re.findall(r"\b[0-9]{8}\b", codes_page.content.decode())
    assert len(set(codes)) == 10
    return app, sorted(set(codes))


def test_an_administrator_without_a_factor_is_sent_to_set_one_up_then_signs_in_with_it(world):
    client = Client()
    admin = world.users["admin"]
    signed_in = _sign_in(client, admin.email)
    assert signed_in.status_code == 302
    # every page sends them to the set-up until they have a factor
    for page in (reverse("core:dashboard"), reverse("programs:list"), reverse("audit:log")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_index")
    set_up = client.get(reverse("mfa_index"), follow=True)
    assert "Your role needs a second factor" in set_up.content.decode()
    # the API says so too, instead of answering
    assert client.get("/api/nominations").status_code == 403

    app, recovery_codes = _enrol(client)
    assert Authenticator.objects.filter(user=admin, type="totp").exists()
    assert client.get(reverse("core:dashboard")).status_code == 200

    # signing in again asks for the app's code after the password
    _sign_out(client)
    response = _sign_in(client, admin.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    assert client.get(reverse("core:dashboard")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    code = app.now()
    done = client.post(reverse("mfa_authenticate"), {"code": code})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get(reverse("core:dashboard")).status_code == 200

    # the same code does not open a second sign-in (replay)
    _sign_out(client)
    _sign_in(client, admin.username)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session

    # a recovery code works once ...
    recovery = recovery_codes[0]
    client.post(reverse("mfa_authenticate"), {"code": recovery})
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get(reverse("core:dashboard")).status_code == 200
    # ... and not twice
    _sign_out(client)
    _sign_in(client, admin.username)
    refused = client.post(reverse("mfa_authenticate"), {"code": recovery})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    # another one still does
    client.post(reverse("mfa_authenticate"), {"code": recovery_codes[1]})
    assert client.session["_auth_user_id"] == str(admin.pk)


@pytest.mark.parametrize("who", ["auditor", "operator"])
def test_auditors_and_operators_must_have_a_factor_too(world, who):
    user = world.users["auditor"] if who == "auditor" else UserFactory(is_superuser=True)
    client = Client()
    _sign_in(client, user.username)
    assert client.get(reverse("core:dashboard"))["Location"] == reverse("mfa_index")
    # the back office too
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("role", ["coord_a", "participant", "supervisor", "panelist", "board"])
def test_a_second_factor_is_optional_for_everyone_else(world, role):
    client = Client()
    _sign_in(client, role)
    assert client.get(reverse("core:dashboard")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200  # they may add one
    _enrol(client)
    _sign_out(client)
    assert _sign_in(client, role)["Location"] == reverse("mfa_authenticate")


def test_the_rule_can_be_turned_off_for_a_deployment(world, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()
    _sign_in(client, "admin")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_admins_own_password_form_is_not_a_way_around(world):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_operator_resets_a_persons_factors_with_a_reason_kept_in_the_audit_trail(world):
    admin = world.users["admin"]
    client = Client()
    _sign_in(client, admin.username)
    _enrol(client)
    _sign_out(client)

    operator = UserFactory(username="operator", is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=operator, type="totp", data={"secret": pyotp.random_base32()})
    url = reverse("accounts:reset_factors", args=[admin.pk])
    # an auditor (who reads everything) cannot reset anyone's factors
    auditor = Client()
    auditor.force_login(world.users["auditor"])
    assert auditor.get(url).status_code == 403
    assert auditor.post(url, {"reason": "asked"}).status_code == 403

    staff = Client()
    staff.force_login(operator)
    page = staff.get(url).content.decode()
    assert "TOTP" in page and "Recovery codes" in page
    # a reason is required
    assert "There is a problem" in staff.post(url, {"reason": ""}).content.decode()
    assert Authenticator.objects.filter(user=admin).count() == 2
    reason = "Lost phone; identity checked by video call with their director (ticket 4411)."
    assert staff.post(url, {"reason": reason}).status_code == 302
    assert not Authenticator.objects.filter(user=admin).exists()
    reset = FactorReset.objects.get(user=admin)
    assert (reset.reset_by, reset.reason) == (operator, reason)
    history = reset.history.get()
    assert history.history_user == operator and history.history_change_reason == reason
    # the audit trail shows it to the auditor
    trail = auditor.get(reverse("audit:log"), {"kind": "factorreset"}).content.decode()
    assert "ticket 4411" in trail or str(admin) in trail

    # the administrator is sent to set up a factor again at the next sign-in
    _sign_in(client, admin.username)
    assert client.get(reverse("core:dashboard"))["Location"] == reverse("mfa_index")


def test_guessing_codes_is_stopped_after_five_wrong_ones(world):
    admin = world.users["admin"]
    secret = pyotp.random_base32()
    Authenticator.objects.create(user=admin, type="totp", data={"secret": secret})
    client = Client()
    _sign_in(client, admin.username)
    for guess in ("111111", "222222", "333333", "444444", "555555"):
        client.post(reverse("mfa_authenticate"), {"code": guess})
    # even the right code is refused for a while
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert "_auth_user_id" not in client.session
    # and someone guessing passwords for the account does not lock its owner out (axes'
    # per-address rule, not allauth's per-account one)
    other = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(10):
        _sign_in(other, "coord_a", "wrong-password")
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.7"), "coord_a").status_code == 302
