"""Signing in and out, throttling, password reset by e-mail, security headers."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_and_out(world, client):
    response = _login(client, "coord_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert "City of Alpha" in client.get(reverse("core:dashboard")).content.decode()
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_wrong_password_shows_an_error_next_to_the_form(world, client):
    response = _login(client, "coord_a", "wrong")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_repeated_failures_lock_the_account_out(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "coord_a", "wrong")
    locked = _login(client, "coord_a", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another user from the same address is not locked out
    assert _login(client, "coord_b", PASSWORD).status_code == 302


def test_password_reset_by_email(world, client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://exchange.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "coord_a@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coord_a@example.org"]
    link = re.search(r"https://exchange.example.org(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        set_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302
    client.logout()
    assert _login(client, "coord_a", "a-brand-new-passphrase").status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@else.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_security_headers(world, client_for):
    response = client_for(world.users["coord_a"]).get(reverse("core:dashboard"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_header_shows_the_users_roles(world, client_for):
    page = client_for(world.users["supervisor"]).get(reverse("core:dashboard")).content.decode()
    roles = re.search(r'data-testid="user-roles">([^<]*)<', page).group(1)
    assert roles == "Supervisor"
    page = client_for(world.users["admin"]).get(reverse("core:dashboard")).content.decode()
    roles = re.search(r'data-testid="user-roles">([^<]*)<', page).group(1)
    assert roles == "Program administrator"


def test_sign_in_with_the_email_address_in_any_case(world, client):
    user = world.users["coord_a"]
    response = _login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_sign_in_page_asks_for_an_email_address_or_a_user_name(world, client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "E-mail address or user name" in page
    assert 'name="username"' in page and 'autocomplete="username"' in page


def test_a_wrong_password_with_an_email_address_is_refused(world, client):
    response = _login(client, world.users["coord_a"].email, "wrong")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_that_never_had_a_password_chooses_one_by_email(
    world, client, settings, django_capture_on_commit_callbacks
):
    """Endorsers and nominees made by an import have no password; "Forgot your password?"
    with their e-mail address lets them choose one, and they sign in with the address."""
    from talent_exchange.accounts.tests.factories import UserFactory

    settings.SITE_URL = "https://exchange.example.org"
    endorser = UserFactory(username="endorser-7f3a", email="Dana.Endorser@example.org")
    endorser.set_unusable_password()
    endorser.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "dana.endorser@EXAMPLE.org"})
    assert [m.to for m in mail.outbox] == [["Dana.Endorser@example.org"]]
    body = mail.outbox[0].body
    assert "endorser-7f3a" not in body  # nobody needs to know a user name
    assert "Dana.Endorser@example.org" in body
    link = re.search(r"https://exchange.example.org(/accounts/reset/\S+)", body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    chosen = "a-first-passphrase-of-mine"
    client.post(set_url, {"new_password1": chosen, "new_password2": chosen})
    endorser.refresh_from_db()
    assert endorser.has_usable_password()
    assert _login(client, "dana.endorser@example.org", chosen).status_code == 302
    # the link worked once
    assert "already been used" in client.get(set_url).content.decode()


def test_an_inactive_account_gets_no_reset_link(world, client):
    user = world.users["nobody"]
    user.is_active = False
    user.save()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert mail.outbox == []


def test_nobody_signs_up_on_the_site(world, client):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("account_signup")
    assert client.get("/accounts/signup/").status_code in (302, 404)
