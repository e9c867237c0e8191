"""Granting and revoking roles, and inviting people by e-mail to take one.

Each role is granted in its scope (a program, an organisation, a cycle; see
``models.ROLE_SCOPE``) by someone who answers for that scope (``rules.may_grant``), with a
reason kept on the grant and in its history. A person is named by their e-mail address or user
name; an address nobody has yet becomes a new account, e-mailed a one-time link to choose a
password (``welcome_path``). An address that belongs to someone of another organisation is
linked only when the granter confirms it is the right person.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.notifications.services import absolute_url, notify

from .models import ROLE_SCOPE, Role, RoleGrant, User
from .roles import forget_roles

if TYPE_CHECKING:
    from talent_exchange.organizations.models import Organization
    from talent_exchange.programs.models import Cycle, Program

# What a history row's change reason holds (simple-history's column).
_CHANGE_REASON_LENGTH = 100


class NeedsConfirmation(ActionRefused):
    """The person named already belongs to another organisation: the granter must confirm
    that this is the person they mean before the role is linked to their account."""

    def __init__(self, message: str, account: User):
        super().__init__(message)
        self.account = account


@dataclass(frozen=True)
class Granted:
    grant: RoleGrant
    invited: bool  # a new account was opened and e-mailed a link to choose a password


def grant_role(
    role: str,
    person: str | User,
    *,
    actor: User,
    reason: str,
    program: Program | None = None,
    organization: Organization | None = None,
    cycle: Cycle | None = None,
    confirmed: bool = False,
    first_name: str = "",
    last_name: str = "",
) -> Granted:
    """Give ``role`` in its scope to ``person`` (an account, or the e-mail address or user
    name of one; an unknown address is invited: a new account, e-mailed a link to choose a
    password). Refused when the role does not belong in this scope, when ``actor`` does not
    answer for the scope, when the person already holds it there, and (``NeedsConfirmation``)
    when they belong to another organisation and ``confirmed`` is not set."""
    target = _target(role, program=program, organization=organization, cycle=cycle)
    require(actor, "accounts.grant_role", target, _out_of_scope(target))
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say why this role is given: the reason is kept in the history."))
    with transaction.atomic():
        account = person if isinstance(person, User) else find_account(person)
        invited = False
        if account is None:
            address = _valid_address(person if isinstance(person, str) else "")
            account = _open_account(address, first_name=first_name, last_name=last_name)
            invited = True
        else:
            account = get_user_model().objects.select_for_update().get(pk=account.pk)
            if not account.is_active:
                raise ActionRefused(
                    _("The account of %(person)s is closed; a platform operator can reopen it.")
                    % {"person": account}
                )
            _refuse_duplicate(account, target)
            elsewhere = other_organization(account, target)
            if elsewhere is not None and not confirmed:
                raise NeedsConfirmation(
                    _(
                        "%(email)s belongs to %(person)s of %(org)s, another organisation. "
                        "Confirm that this is the person you mean, or give another address."
                    )
                    % {"email": account.email, "person": account, "org": elsewhere},
                    account,
                )
        _record(target, account, actor=actor, reason=reason)
        _mail_grant(target, actor=actor, invited=invited)
    return Granted(target, invited)


def appoint_program_creator(program: Program, *, actor: User, reason: str) -> RoleGrant:
    """Make whoever created ``program`` its first administrator. Nobody administers a new
    program yet, so nobody could grant this through ``grant_role``: the right to create the
    program (``programs.add_program``, checked by ``programs.services.create_program``) is
    the right to run it. A platform operator needs no such role. The grant is written as
    ``grant_role`` writes one (granter, reason, history); no e-mail, the creator is on the
    page."""
    require(
        actor,
        "programs.add_program",
        None,
        _("Only a platform operator or a program administrator can create a program."),
    )
    grant = RoleGrant(role=Role.PROGRAM_ADMIN, program=program)
    with transaction.atomic():
        _record(grant, actor, actor=actor, reason=reason)
    return grant


def _record(target: RoleGrant, account: User, *, actor: User, reason: str) -> None:
    """Write the grant: who holds it, who gave it and why, in its history too."""
    target.user = account
    target.granted_by = actor
    target.reason = reason
    attribute_to(target, actor, reason=reason[:_CHANGE_REASON_LENGTH])
    target.save()
    forget_roles(account)


def revoke_role(grant: RoleGrant, *, actor: User, reason: str) -> RoleGrant:
    """Take a role back, with the reason kept on the grant and in its history. A program
    keeps at least one administrator (a platform operator can still take the last one)."""
    require(actor, "accounts.revoke_rolegrant", grant, _out_of_scope(grant))
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say why this role is taken back: the reason is kept."))
    with transaction.atomic():
        locked: RoleGrant = (
            RoleGrant.objects.select_for_update(of=("self",))  # (the scope joins are outer)
            .select_related("user", "program", "organization", "cycle")
            .get(pk=grant.pk)
        )
        if locked.revoked_at is not None:
            raise ActionRefused(
                _("This role was already taken back on %(date)s; nothing was changed.")
                % {"date": timezone.localtime(locked.revoked_at).date().isoformat()}
            )
        if (
            locked.role == Role.PROGRAM_ADMIN
            and not actor.is_superuser
            and not RoleGrant.objects.active()
            .filter(role=Role.PROGRAM_ADMIN, program_id=locked.program_id)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ActionRefused(
                _(
                    "%(person)s is the last administrator of %(program)s: give the role to "
                    "someone else first."
                )
                % {"person": locked.user, "program": locked.program}
            )
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revoke_reason = reason
        attribute_to(locked, actor, reason=reason[:_CHANGE_REASON_LENGTH])
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        forget_roles(locked.user)
    return locked


# -- finding the person ------------------------------------------------------------------------


def find_account(text: str) -> User | None:
    """The account with this e-mail address or user name (either case), if any."""
    text = text.strip()
    if not text:
        return None
    users = get_user_model().objects.alias(email_lower=Lower("email"), name_lower=Lower("username"))
    lowered = text.lower()
    matches = list(users.filter(Q(email_lower=lowered) | Q(name_lower=lowered))[:2])
    if len(matches) == 2:  # someone's user name is another's address: the address wins
        return next(u for u in matches if u.email.lower() == lowered)
    return matches[0] if matches else None


def other_organization(account: User, target: RoleGrant) -> Organization | None:
    """The organisation ``account`` belongs to (their talent profile's, or one they
    coordinate or supervise in) when none of theirs is where the role is granted; else None.
    Someone who belongs nowhere yet is nobody else's."""
    theirs = _organizations_of(account)
    if not theirs or theirs & _target_organizations(target):
        return None
    organization = apps.get_model("organizations", "Organization")
    found: Organization = organization.objects.filter(pk__in=theirs).order_by("name").first()
    return found


def _organizations_of(account: User) -> set[int]:
    ids = set(
        RoleGrant.objects.for_user(account)
        .filter(role__in=[Role.COORDINATOR, Role.SUPERVISOR])
        .values_list("organization_id", flat=True)
    )
    person = apps.get_model("people", "Person")
    ids.update(person.objects.filter(user=account).values_list("organization_id", flat=True))
    return ids


def _target_organizations(target: RoleGrant) -> set[int]:
    if target.organization_id is not None:
        return {target.organization_id}
    program_id = target.program_id or (target.cycle.program_id if target.cycle else None)
    if program_id is None:
        return set()
    program = apps.get_model("programs", "Program")
    return set(program.organization_ids_by_program([program_id]).get(program_id, set()))


def _valid_address(text: str) -> str:
    address = text.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ActionRefused(
            _(
                "“%(text)s” is neither the e-mail address nor the user name of anyone here. "
                "To invite someone, enter their e-mail address (name@example.org)."
            )
            % {"text": address}
        ) from None
    return address


def _open_account(address: str, *, first_name: str, last_name: str) -> User:
    """A new account for an invited address, linked to the talent profile with that work
    e-mail if there is one without an account. Its password is random and unknown: the
    invitation carries the link to choose one."""
    user_model = get_user_model()
    person_model = apps.get_model("people", "Person")
    profile = (
        person_model.objects.select_for_update()
        .filter(user__isnull=True)
        .alias(email_lower=Lower("work_email"))
        .filter(email_lower=address.lower())
        .first()
    )
    username = address.lower()
    if user_model.objects.filter(username__iexact=username).exists():
        username = f"{username}-{secrets.token_hex(3)}"
    account: User = user_model(
        username=username,
        email=address,
        first_name=first_name.strip() or (profile.first_name if profile else ""),
        last_name=last_name.strip() or (profile.last_name if profile else ""),
    )
    account.set_password(secrets.token_urlsafe(32))
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # the same address, invited at this moment by someone else
        raise ActionRefused(
            _("An account for %(email)s was opened at this moment; send the form again.")
            % {"email": address}
        ) from None
    if profile is not None:
        profile.user = account
        profile.save(update_fields=["user"])
    return account


# -- the rules' words --------------------------------------------------------------------------


def _target(role: str, **scope: Any) -> RoleGrant:
    """The grant about to be made, checked against the role's scope."""
    if role not in Role.values or role == Role.PARTICIPANT:
        raise ActionRefused(_("“%(role)s” is not a role that can be given here.") % {"role": role})
    needed = ROLE_SCOPE[Role(role)]
    given = {name for name, value in scope.items() if value is not None}
    wanted = needed or None  # "program", "organization", "cycle", or None: everywhere
    if (wanted is None and given) or (wanted is not None and given != {wanted}):
        raise ActionRefused(_scope_needed(Role(role)))
    return RoleGrant(role=role, **{k: v for k, v in scope.items() if v is not None})


def _scope_needed(role: Role) -> str:
    scope = ROLE_SCOPE[role]
    if scope == "program":
        return _("A %(role)s is appointed for a program.") % {"role": role.label}
    if scope == "organization":
        return _("Choose the organisation of the %(role)s.") % {"role": role.label}
    if scope == "cycle":
        return _("Choose the cycle whose panels the panelist sits on.")
    return _("An %(role)s holds the role everywhere, not in one program.") % {"role": role.label}


def _refuse_duplicate(account: User, target: RoleGrant) -> None:
    if (
        RoleGrant.objects.active()
        .filter(
            user=account,
            role=target.role,
            program_id=target.program_id,
            organization_id=target.organization_id,
            cycle_id=target.cycle_id,
        )
        .exists()
    ):
        values = {"person": account, "role": target.get_role_display()}
        scope = scope_label(target)
        raise ActionRefused(
            _("%(person)s is already %(role)s of %(scope)s; nothing was changed.")
            % {**values, "scope": scope}
            if scope
            else _("%(person)s is already %(role)s; nothing was changed.") % values
        )


def scope_label(grant: RoleGrant) -> str:
    """Where the role is held, in words ("" for the roles held everywhere)."""
    return str(grant.program or grant.organization or grant.cycle or "")


def _out_of_scope(grant: RoleGrant) -> str:
    scope = ROLE_SCOPE.get(Role(grant.role)) if grant.role in Role.values else None
    if scope == "organization":
        return _(
            "You can give or take back the roles of %(org)s only as its coordinator or as an "
            "administrator of a program it takes part in."
        ) % {"org": grant.organization}
    if scope in ("program", "cycle"):
        return _("Only an administrator of %(program)s can give or take back its roles.") % {
            "program": grant.program or (grant.cycle.program if grant.cycle else "")
        }
    return _("Only a platform operator gives or takes back this role.")


# -- mail --------------------------------------------------------------------------------------


def welcome_path(account: User, next_path: str = "") -> str:
    """The page where ``account`` chooses a password (a one-time link, valid for
    ``PASSWORD_RESET_TIMEOUT``), then goes on signed in to ``next_path``."""
    path = reverse(
        "accounts:welcome",
        args=[
            urlsafe_base64_encode(force_bytes(account.pk)),
            default_token_generator.make_token(account),
        ],
    )
    # The slashes stay as they are, so that a secret in the next page's path (an endorsement
    # link) is still redacted from logs like the page's own (core/log_filters.py).
    return f"{path}?next={quote(next_path, safe='/')}" if next_path else path


def needs_password(account: Any) -> bool:
    """Whether this person has never chosen a password here (they have not signed in yet)."""
    return bool(account is not None and account.pk and account.last_login is None)


def sign_in_link(account: Any, path: str) -> str:
    """The link an e-mail asking ``account`` to act gives them: straight to the page (the
    sign-in page sends them on to it) once they have signed in before; otherwise through the
    page where they choose a password, which then sends them on, signed in."""
    if needs_password(account):
        return absolute_url(welcome_path(account, path))
    return absolute_url(path)


def link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def _mail_grant(grant: RoleGrant, *, actor: User, invited: bool) -> None:
    """Tell the person their role, with the link to their dashboard (through choosing a
    password when they have none yet)."""
    dashboard = reverse("core:dashboard")
    notify(
        "accounts/role_granted",
        [grant.user],
        {
            "grant": grant,
            "actor": actor,
            "scope": scope_label(grant),
            "invited": invited or needs_password(grant.user),
            "link": sign_in_link(grant.user, dashboard),
            "link_days": link_days(),
        },
        key=f"accounts:grant:{grant.pk}",
    )
