"""Privacy operations: disclosure accounting, a person's own data, the retention purge."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

from talent_exchange.accounts.roles import roles_of

from .models import RecordView, RetentionPurge

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.people.models import Person
    from talent_exchange.placements.models import Placement

# Never in an export: secrets and file contents.
_SECRET_SUFFIXES = ("_token", "_password", "_secret", "_hash", "password", "content")
REMOVED = "[removed under the retention schedule]"


# --- disclosure accounting ------------------------------------------------------------------


def record_view(viewer: User, person: Person, what: str) -> RecordView | None:
    """Note that ``viewer`` saw ``person``'s record (nothing when they look at their own)."""
    roles = roles_of(viewer)
    if roles.person_id == person.pk:
        return None
    return RecordView.objects.create(
        person=person,
        viewer=viewer,
        viewer_name=(viewer.get_full_name() or viewer.get_username())[:300],
        viewer_roles=", ".join(sorted(_role_names(viewer)))[:300],
        what=what[:100],
    )


def _role_names(user: User) -> set[str]:
    from talent_exchange.accounts.models import RoleGrant

    names = {str(grant.get_role_display()) for grant in RoleGrant.objects.filter(user=user)}
    if user.is_superuser:
        names.add("superuser")
    return names


# --- a person's own data ----------------------------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``: their account, their talent profile and
    every record that refers to it (nominations, placements and their parts, mobility
    history, preferences…), who viewed the profile, and the e-mails sent to them. Secrets
    (tokens, password hashes) are left out."""
    from talent_exchange.accounts.models import RoleGrant
    from talent_exchange.notifications.models import Notification
    from talent_exchange.people.models import Person

    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(timespec="seconds"),
            "last_login": user.last_login.isoformat(timespec="seconds")
            if user.last_login
            else None,
            "roles": _rows(RoleGrant.objects.filter(user=user)),
        },
        "emails_sent_to_you": [
            {"subject": n.subject, "written": n.created_at.isoformat(), "sent": n.sent_at}
            for n in Notification.objects.filter(recipients__contains=user.email).order_by("pk")
            if user.email and user.email in n.recipient_list
        ],
    }
    person = Person.objects.filter(user=user).first()
    if person is None:
        data["talent_profile"] = None
        return data
    data["talent_profile"] = _rows(Person.objects.filter(pk=person.pk))[0]
    data["records_about_you"] = _related(person)
    placements = person.placements.all() if hasattr(person, "placements") else []
    data["placements_in_detail"] = {str(p.pk): _related(p) for p in placements}
    return data


def _related(obj: models.Model) -> dict[str, list[dict[str, Any]]]:
    """Every row that points at ``obj`` (one level), by kind."""
    found: dict[str, list[dict[str, Any]]] = {}
    for relation in obj._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        if not isinstance(model, type):
            continue
        if model._meta.app_label in ("admin", "axes", "sessions"):
            continue
        queryset = model._default_manager.filter(**{relation.field.name: obj})
        rows = _rows(queryset)
        if rows:
            found[model._meta.label_lower] = rows
    return found


def _rows(queryset: models.QuerySet[Any]) -> list[dict[str, Any]]:
    rows = []
    for item in serializers.serialize("python", queryset.order_by("pk")):
        fields = {
            name: value
            for name, value in item["fields"].items()
            if not name.lower().endswith(_SECRET_SUFFIXES)
        }
        rows.append({"id": item["pk"], **fields})
    return [_jsonable(row) for row in rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


# --- the retention purge ----------------------------------------------------------------------


def expired_placements(today: datetime.date) -> list[Placement]:
    """Finished placements whose program's retention period has run out since they closed
    (their return date, else their end date), not yet purged."""
    from talent_exchange.placements.models import Placement, Status

    finished = (Status.RETURNED, Status.CLOSED, Status.ENDED_EARLY)
    candidates = (
        Placement.objects.filter(status__in=finished, retention_purge__isnull=True)
        .select_related("program")
        .order_by("pk")
    )
    return [
        p
        for p in candidates
        if (p.returned_on or p.end_date) < _years_before(today, p.program.retention_years)
    ]


def purge_expired(today: datetime.date | None = None) -> int:
    """Remove the free text written about people (reasons, notes, comments, objectives,
    the nomination's rationale) from every expired placement and its parts — in the records
    and in every version of them in the audit trail — keeping every row, date, status and
    number, so counts, durations and outcomes stay as they were and the trail still shows
    who changed what, and when. Returns how many placements were purged."""
    today = today or timezone.localdate()
    purged = 0
    for placement in expired_placements(today):
        with transaction.atomic():
            for obj in _purgeable(placement):
                _scrub(obj)
            RetentionPurge.objects.create(
                placement=placement, retention_years=placement.program.retention_years
            )
        purged += 1
    return purged


def _purgeable(placement: Placement) -> list[models.Model]:
    objects: list[models.Model] = [placement]
    for relation in placement._meta.related_objects:
        if relation.related_model is RetentionPurge:
            continue
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        if relation.one_to_many:
            objects += list(getattr(placement, accessor).all())
        elif relation.one_to_one:
            related = getattr(placement, accessor, None)
            if related is not None:
                objects.append(related)
    offer = getattr(placement, "offer", None)
    if offer is not None and getattr(offer, "nomination", None) is not None:
        objects.append(offer.nomination)
    return objects


def _free_text(model: type[models.Model]) -> list[models.TextField[Any, Any]]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.TextField)]


def _scrub(obj: models.Model) -> None:
    fields = _free_text(type(obj))
    if not fields:
        return
    values = {f.name: ("" if f.blank else REMOVED) for f in fields}
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    history = getattr(type(obj), "history", None)
    if history is not None:
        history.model.objects.filter(id=obj.pk).update(**values)


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
