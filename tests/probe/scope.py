"""The oracle the probes compare answers with: what the permission rules (``has_perm``) and
the ``visible_to`` scoping say a user may reach. It asks only the rules and the QuerySets,
never the views, so a view that forgets to scope is caught."""

from __future__ import annotations

from django.db.models import Model

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.accounts.roles import roles_of
from talent_exchange.matches.models import PairConstraint, WeightFormula
from talent_exchange.people.models import MobilityRecord
from talent_exchange.placements.models import (
    Agreement,
    AgreementTemplate,
    CheckIn,
    Evaluation,
    Objective,
    Outcome,
    Signature,
)
from talent_exchange.programs.models import Program

# Rows of kinds without their own ``visible_to`` are in scope with the row they belong to.
# Reviewed: a new kind with personnel data needs a line here or its own ``visible_to``.
SCOPE_PARENT: dict[type[Model], str] = {
    MobilityRecord: "person",
    PairConstraint: "cycle",
    WeightFormula: "cycle",
    AgreementTemplate: "program",
    Agreement: "placement",
    Signature: "agreement.placement",
    Objective: "placement",
    CheckIn: "placement",
    Evaluation: "placement",
    Outcome: "placement",
}

# Kinds every signed-in role may read (vocabularies, accounts' display names): no scope.
UNSCOPED = {"people.Skill", "people.Designation", "accounts.User", "notifications.Notification"}


def follow(obj: Model, path: str) -> Model | None:
    for attr in path.split("."):
        obj = getattr(obj, attr)
        if obj is None:
            return None
    return obj


def has_own_scope(model: type[Model]) -> bool:
    return hasattr(model._default_manager.all(), "visible_to")


def in_scope(user, obj: Model) -> bool:
    """Is ``obj`` among the rows ``user`` may see at all (before any per-action rule)?"""
    model = type(obj)
    if has_own_scope(model):
        return model._default_manager.visible_to(user).filter(pk=obj.pk).exists()
    if model in SCOPE_PARENT:
        parent = follow(obj, SCOPE_PARENT[model])
        return parent is not None and in_scope(user, parent)
    if model is RoleGrant:
        return _grant_in_scope(user, obj)
    if model._meta.label in UNSCOPED:
        return True
    raise AssertionError(f"{model._meta.label} has no visible_to and no reviewed scope parent")


def _grant_in_scope(user, grant: RoleGrant) -> bool:
    """A role grant belongs with what it is scoped to; an unscoped grant (auditor,
    participant) only with those who see everything."""
    roles = roles_of(user)
    if roles.is_superuser or roles.is_auditor:
        return True
    scope = grant.program or grant.cycle or grant.organization
    return scope is not None and in_scope(user, scope)


def program_of(obj: Model) -> Program | None:
    """The program a row belongs to, when it belongs to exactly one."""
    for path in (
        "program",
        "cycle.program",
        "nomination.cycle.program",
        "opportunity.cycle.program",
        "panel.cycle.program",
        "assignment.panel.cycle.program",
        "run.cycle.program",
        "placement.program",
        "agreement.placement.program",
    ):
        try:
            found = follow(obj, path)
        except AttributeError:
            continue
        if isinstance(found, Program):
            return found
    if isinstance(obj, Program):
        return obj
    return None


def everything_reader(user) -> bool:
    roles = roles_of(user)
    return bool(roles.is_superuser or roles.is_auditor)
