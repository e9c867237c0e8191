"""The demo personas: one account per role, the only accounts the persona switcher accepts.

This module imports no models, so templates and the switcher can read the list cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "demo-password-2026"

# Every demo account has an e-mail address under a reserved ``.example`` domain (RFC 2606).
# The switcher checks it as well as the username, so an account that merely happens to be
# called "admin" is never a persona.
DEMO_EMAIL_SUFFIX = ".example"


@dataclass(frozen=True)
class Persona:
    username: str
    role: Promise
    sees: Promise


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin",
        _("Program administrator (Bayshore MTEP)"),
        _("Runs the Bayshore consortium exchange: all 12 agencies, its people and cycles."),
    ),
    Persona(
        "coordinator",
        _("Coordinator, City of Mariposa Bay"),
        _("Mariposa Bay's own employees and nominations, nobody else's."),
    ),
    Persona(
        "coordinator2",
        _("Coordinator, City of Cedar Hollow"),
        _("Cedar Hollow's own employees and nominations, nobody else's."),
    ),
    Persona(
        "supervisor",
        _("Supervisor, City of Mariposa Bay"),
        _("Their own profile and the profiles of the employees they supervise."),
    ),
    Persona(
        "participant",
        _("Participant, City of Mariposa Bay"),
        _("Their own talent profile, preferences and assignment."),
    ),
    Persona(
        "panelist",
        _("Panelist, Bayshore MTEP 2027 Spring Exchange"),
        _("The candidates of the panels of one cycle."),
    ),
    Persona(
        "board",
        _("Board reviewer (Alberta mobility program)"),
        _("The executives of the Alberta ministries, for the annual board review."),
    ),
    Persona(
        "auditor",
        _("Auditor"),
        _("Everything, read-only, including the audit trail."),
    ),
    Persona(
        "alberta",
        _("Program administrator (Alberta mobility program)"),
        _("Runs the Alberta executive mobility program: six ministries and their executives."),
    ),
)

PERSONA_USERNAMES: frozenset[str] = frozenset(p.username for p in PERSONAS)


def persona_for(username: str) -> Persona | None:
    return next((p for p in PERSONAS if p.username == username), None)
