"""Who may read the history of what: the one scoping rule for the audit trail, its CSV
export and the Django admin's history pages; and who made a change about to be saved
(``attribute_to``, the services' one hook into the trail).

The history of an object is visible to a user exactly when the object itself is visible to
them through its model's ``visible_to(user)`` QuerySet method. Auditors and the superuser read
all history. A deleted object has no live row to scope by, so its history (every version,
the deletion included) is shown only to auditors and the superuser. Fields holding secrets
(an endorsement link's token, anything named like a password or a key) are never shown, to
anyone.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from talent_exchange.accounts.roles import roles_of

# A field whose name says it holds a secret: an e-mailed link's token, a password, a key.
_SECRET_NAMES = frozenset({"token", "password", "secret"})
_SECRET_SUFFIXES = ("_token", "_password", "_secret", "_hash")


def is_secret_field(name: str) -> bool:
    """True for fields the audit trail must never show (their value opens something)."""
    return name in _SECRET_NAMES or name.endswith(_SECRET_SUFFIXES)


def sees_all_history(user) -> bool:
    roles = roles_of(user)
    return roles.is_superuser or roles.is_auditor


def visible_history(model: Any, user: Any) -> QuerySet[Any]:
    """The historical rows of ``model`` this user may read.

    One subquery (``id IN (SELECT pk FROM visible objects)``), so the cost does not grow
    with the number of visible objects and a page stays a fixed number of queries. A model
    without ``visible_to`` shows its history to auditors and the superuser only.
    """
    history = model.history.all()
    if sees_all_history(user):
        return history
    live = model._default_manager.all()
    if not hasattr(live, "visible_to"):
        return history.none()
    pk = model._meta.pk.attname
    return history.filter(**{f"{pk}__in": live.visible_to(user).values("pk")})


M = TypeVar("M", bound=Model)


def attribute_to(instance: M, actor: Any, *, reason: str | None = None) -> M:
    """The next history row of ``instance`` names ``actor`` (and ``reason``, when given, as
    its change reason); returns the instance. django-simple-history takes the user from the
    request; services also run from tasks and commands, so they name the actor here."""
    # simple-history reads these attributes; they are not fields, so the model types lack them.
    setattr(instance, "_history_user", actor)  # noqa: B010
    if reason is not None:
        setattr(instance, "_change_reason", reason)  # noqa: B010
    return instance
