"""Every URL pattern that names an object, and which kind of object each of its parameters
addresses. Derived from the class views' ``model`` where there is one; the rest is a short
reviewed map. A new pattern with an id that is in neither fails the sweep until it is added."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.urls import get_resolver
from django.views.generic.detail import SingleObjectMixin

from talent_exchange.accounts.models import User
from talent_exchange.core.permissions import declared_permission
from talent_exchange.development.models import ReviewSession
from talent_exchange.finance.models import BackfillPlan, BudgetLine, Invoice
from talent_exchange.interviews.models import Panel, PanelAssignment
from talent_exchange.learning.models import CalendarFeed, Circle, Material, Post, Session, Thread
from talent_exchange.matches.models import MatchRun, Offer, PairConstraint
from talent_exchange.nominations.models import (
    ConflictOfInterest,
    Endorsement,
    Nomination,
    NominationImport,
)
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.placements.models import CheckIn, Evaluation, Objective, Outcome, Placement
from talent_exchange.programs.models import Cycle, Program
from talent_exchange.reports.models import Export, HistoryImport

# Parameters named after a kind, on every pattern.
BY_NAME: dict[str, type[Model]] = {
    "cycle_pk": Cycle,
    "cycle_id": Cycle,
    "program_pk": Program,
    "org_pk": Organization,
    "nomination_id": Nomination,
    "opportunity_id": Opportunity,
    "run_id": MatchRun,
}

# ``pk`` (and ``item``, ``conflict_pk``) of function views: the kind each addresses.
BY_PATTERN: dict[str, dict[str, type[Model]]] = {
    "programs:cycle": {"pk": Cycle},
    "programs:invite_list": {"pk": Program},
    "people:add_mobility": {"pk": Person},
    "privacy:record_views": {"pk": Person},
    "opportunities:detail": {"pk": Opportunity},
    "opportunities:edit": {"pk": Opportunity},
    "opportunities:submit": {"pk": Opportunity},
    "opportunities:withdraw": {"pk": Opportunity},
    "opportunities:review": {"pk": Opportunity},
    "nominations:import_status": {"pk": NominationImport},
    "nominations:detail": {"pk": Nomination},
    "nominations:confirm": {"pk": Nomination},
    "nominations:withdraw": {"pk": Nomination},
    "nominations:declare_conflict": {"pk": Nomination},
    "nominations:remove_conflict": {"pk": Nomination, "conflict_pk": ConflictOfInterest},
    "preferences:cycle": {"pk": Cycle},
    "preferences:participant": {"pk": Nomination},
    "preferences:host": {"pk": Opportunity},
    "interviews:cycle": {"pk": Cycle},
    "interviews:panel_create": {"pk": Cycle},
    "interviews:scores": {"pk": Cycle},
    "interviews:panel": {"pk": Panel},
    "interviews:panel_edit": {"pk": Panel},
    "interviews:panel_assign": {"pk": Panel},
    "interviews:schedule_many": {"pk": Panel},
    "matches:offer_next": {"pk": Opportunity},
    "interviews:panel_ics": {"pk": Panel},
    "interviews:schedule": {"pk": PanelAssignment},
    "interviews:remove": {"pk": PanelAssignment},
    "interviews:score": {"pk": PanelAssignment},
    "interviews:slot_ics": {"pk": PanelAssignment},
    "matches:constraint_delete": {"pk": PairConstraint},
    "matches:run": {"pk": MatchRun},
    "matches:run_progress": {"pk": MatchRun},
    "matches:run_snapshot": {"pk": MatchRun},
    "matches:run_result": {"pk": MatchRun},
    "matches:run_again": {"pk": MatchRun},
    "matches:publish": {"pk": MatchRun},
    "matches:offer": {"pk": Offer},
    "placements:detail": {"pk": Placement},
    "placements:edit_agreement": {"pk": Placement},
    "placements:sign": {"pk": Placement},
    "placements:attest": {"pk": Placement},
    "placements:supervisors": {"pk": Placement},
    "placements:pdf": {"pk": Placement},
    "placements:add_objective": {"pk": Placement},
    "placements:review_objective": {"pk": Placement, "item": Objective},
    "placements:checkin": {"pk": Placement, "item": CheckIn},
    "placements:evaluation": {"pk": Placement, "item": Evaluation},
    "placements:outcome": {"pk": Placement, "item": Outcome},
    "placements:transition": {"pk": Placement},
    "accounts:reset_factors": {"pk": User},
    "reports:export": {"pk": Export},
    "reports:export_file": {"pk": Export},
    "reports:export_again": {"pk": Export},
    "reports:upload_detail": {"pk": HistoryImport},
    "reports:upload_commit": {"pk": HistoryImport},
    "development:session_decide": {"pk": ReviewSession, "person_pk": Person},
    "finance:program": {"pk": Program},
    "finance:add_funding": {"pk": Program},
    "finance:budget": {"pk": Program},
    "finance:add_budget_line": {"pk": Program},
    "finance:cost_defaults": {"pk": Program},
    "finance:program_ledger": {"pk": Program},
    "finance:uninvoiced": {"pk": Program},
    "finance:export_csv": {"pk": Program},
    "finance:export_xlsx": {"pk": Program},
    "finance:add_expense": {"pk": BudgetLine},
    "finance:fees": {"pk": Cycle},
    "finance:generate_fees": {"pk": Cycle},
    "finance:invoice": {"pk": Invoice},
    "finance:invoice_pdf": {"pk": Invoice},
    "finance:issue": {"pk": Invoice},
    "finance:payment": {"pk": Invoice},
    "finance:credit": {"pk": Invoice},
    "finance:close": {"pk": Invoice},
    "finance:ledger": {"pk": Organization},
    "finance:billing": {"pk": Organization},
    "finance:org_export_csv": {"pk": Organization},
    "finance:org_export_xlsx": {"pk": Organization},
    "finance:arrangement": {"pk": Placement},
    "finance:generate_costs": {"pk": Placement},
    "finance:backfill": {"pk": Nomination},
    "finance:add_link": {"pk": BackfillPlan},
    "learning:cycle_calendar": {"pk": Cycle},
    "learning:cycle_forum": {"pk": Cycle},
    "learning:program_calendar": {"pk": Program},
    "learning:program_forum": {"pk": Program},
    "learning:series_create": {"pk": Program},
    "learning:session_create": {"pk": Program},
    "learning:completion_rule": {"pk": Program},
    "learning:circles": {"pk": Program},
    "learning:thread_create": {"pk": Program},
    "learning:circle": {"pk": Circle},
    "learning:circle_session_create": {"pk": Circle},
    "learning:session": {"pk": Session},
    "learning:session_edit": {"pk": Session},
    "learning:session_cancel": {"pk": Session},
    "learning:session_reinstate": {"pk": Session},
    "learning:session_invite": {"pk": Session},
    "learning:rsvp": {"pk": Session},
    "learning:attendance": {"pk": Session},
    "learning:feedback": {"pk": Session},
    "learning:session_material": {"pk": Session},
    "learning:session_ics": {"pk": Session},
    "learning:thread": {"pk": Thread},
    "learning:thread_material": {"pk": Thread},
    "learning:post_hide": {"pk": Post},
    "learning:post_restore": {"pk": Post},
    "learning:material": {"pk": Material},
}

# A parameter that names a row inside the primary object: (kind's attribute to the parent).
CHILD_OF = {"item": "placement", "conflict_pk": "nomination"}

# Parameters that are not ids: the values to try.
OTHER_VALUES = {
    ("placements:transition", "action"): ["activate", "extend", "end_early", "return", "close"],
    ("reports:download", "key"): ["reports.participants", "reports.outcomes", "reports.lessons"],
    ("development:plan_transition", "action"): ["submit", "approve", "request_revision"],
    ("development:compliance_export", "fmt"): ["csv", "xlsx"],
    ("finance:close", "action"): ["waive", "write-off"],
}

# Objects addressed by a secret rather than an id (the lookup field).
BY_SECRET = {
    ("nominations:endorse", "token"): (Endorsement, "token"),
    ("learning:feed", "token"): (CalendarFeed, "token"),
}

# The API declares ``api.use_api`` on every pattern; what each endpoint then asks.
API_PERMISSIONS: dict[str, list[tuple[str, Callable | None]]] = {
    "api:list_opportunities": [
        ("programs.view_cycle", lambda o: o["cycle_id"]),
        ("opportunities.list_opportunities", None),
    ],
    "api:get_opportunity": [("opportunities.view_opportunity", lambda o: o["opportunity_id"])],
    "api:get_nomination": [("nominations.view_nomination", lambda o: o["nomination_id"])],
    "api:get_participant_ranking": [
        ("preferences.view_participant_ranking", lambda o: o["nomination_id"])
    ],
    "api:get_host_ranking": [("preferences.view_host_ranking", lambda o: o["opportunity_id"])],
    "api:list_match_runs": [("matches.list_runs", lambda o: o["cycle_id"])],
    "api:get_match_run": [("matches.view_matchrun", lambda o: o["run_id"])],
    "api:match_run_assignments": [("matches.view_matchrun", lambda o: o["run_id"])],
    "api:match_run_unmatched": [("matches.view_matchrun", lambda o: o["run_id"])],
    "api:get_market": [("matches.export_market", lambda o: o["cycle_id"])],
    "api:market_participants": [("matches.export_market", lambda o: o["cycle_id"])],
    "api:market_slots": [("matches.export_market", lambda o: o["cycle_id"])],
}

# API routes that also take a write: what the write asks (other routes answer a write 405).
API_WRITE_PERMISSIONS: dict[str, list[tuple[str, Callable | None]]] = {
    "api:get_participant_ranking": [
        ("preferences.rank_opportunities", lambda o: o["nomination_id"])
    ],
}

# Function views whose permission is asked of another object than the one in the URL.
PERMISSION_OBJECT: dict[str, Callable] = {
    "matches:run_again": lambda o: o["pk"].cycle,
}

# Patterns with an id the sweep leaves out, and why (reviewed).
NOT_SWEPT = {
    "accounts:password_reset_confirm": "public: the token in the link is the credential",
    "accounts:welcome": "public: the token in the link is the credential (set a password)",
    "nonprod:message": "the demo mailbox; not installed in production (test_settings.py)",
    # django-allauth (accounts/allauth_urls.py): a person's own security keys, looked up
    # among request.user's only; and the single sign-on steps, whose parameter names a
    # configured provider (OIDC_PROVIDERS), not a row
    "mfa_edit_webauthn": "allauth: one's own security keys only (request.user's)",
    "mfa_remove_webauthn": "allauth: one's own security keys only (request.user's)",
    "openid_connect_login": "public sign-in step; provider_id names a configured provider",
    "openid_connect_callback": "public sign-in step; provider_id names a configured provider",
}


@dataclass(frozen=True)
class IdPattern:
    route: str
    name: str
    callback: Callable
    kinds: dict  # parameter -> model, or (model, lookup field) for secrets
    others: dict  # parameter -> values to try

    @property
    def primary(self) -> str:
        ids = [k for k in self.kinds if k not in CHILD_OF]
        return "pk" if "pk" in ids else ids[0]

    def checks(self, objects: dict, method: str = "get") -> list[tuple[str, object]] | None:
        """The permissions the rules must grant for this request: [(perm, object)]; None
        when the route takes no such method at all."""
        if self.name.startswith("api:"):
            table = API_PERMISSIONS if method == "get" else API_WRITE_PERMISSIONS
            if self.name not in table:
                return None
            return [(perm, fn(objects) if fn else None) for perm, fn in table[self.name]]
        perm = declared_permission(self.callback)
        perms = [perm] if isinstance(perm, str) else list(perm)
        view_class = getattr(self.callback, "view_class", None)
        if self.name in PERMISSION_OBJECT:
            obj = PERMISSION_OBJECT[self.name](objects)
        elif view_class is not None and "pk" not in self.kinds:
            obj = None  # a class list view asks about the kind; the URL object scopes rows
        else:
            obj = objects[self.primary]
        return [(p, obj) for p in perms]


def _params(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


def _is_detail(view_class) -> bool:
    """A class view about one object (its ``pk``), not a list that happens to have a model."""
    return view_class is not None and issubclass(view_class, SingleObjectMixin)


def _fetched_by(callback, param: str):
    """The kind ``core.permissions.permission_for_object`` fetches for ``param``, read from
    the guard it wraps the view in."""
    while callback is not None:
        try:
            names = inspect.getclosurevars(callback).nonlocals
        except (TypeError, ValueError):
            names = {}
        source = names.get("model_or_queryset")
        if source is not None and names.get("kwarg", "pk") == param:
            return source if isinstance(source, type) else source.model
        callback = getattr(callback, "__wrapped__", None)
    return None


def _walk(resolver, prefix="", namespace=""):
    from django.urls import URLPattern, URLResolver

    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def id_patterns() -> tuple[list[IdPattern], list[str]]:
    """Our URL patterns with parameters (the admin's apart), each mapped to its kinds; and
    the names of those no map covers."""
    found, unmapped = [], []
    seen = set()
    for route, name, callback in _walk(get_resolver()):
        params = _params(route)
        if not params or route.startswith("admin/") or name in NOT_SWEPT:
            continue
        if route in seen:  # one route, several methods (the API): sweep it once
            continue
        seen.add(route)
        kinds, others = {}, {}
        view_class = getattr(callback, "view_class", None)
        for param in params:
            if (name, param) in OTHER_VALUES:
                others[param] = OTHER_VALUES[(name, param)]
            elif (name, param) in BY_SECRET:
                kinds[param] = BY_SECRET[(name, param)]
            elif param in BY_NAME:
                kinds[param] = BY_NAME[param]
            elif param in BY_PATTERN.get(name, {}):
                kinds[param] = BY_PATTERN[name][param]
            elif param == "pk" and _is_detail(view_class):
                kinds[param] = view_class.model
            elif (fetched := _fetched_by(callback, param)) is not None:
                kinds[param] = fetched
            else:
                unmapped.append(f"{name} ({route}): {param}")
        if name.startswith("api:") and name not in API_PERMISSIONS:
            unmapped.append(f"{name} ({route}): no entry in API_PERMISSIONS")
        found.append(IdPattern(route, name, callback, kinds, others))
    return found, unmapped
