"""What a nominee should do next, in one place: read from the state of their nomination, of its
cycle, of their latest offer and of their placement — never from the text of an earlier phase.

The nominee's dashboard shows it; the offers and placements are read by name (``apps``), as
those apps build on nominations and not the other way round.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import Nomination, NominationStatus

BEFORE_PREFERENCES = frozenset({"draft", "nominations", "opportunities"})


def with_progress(nominations: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Annotate each nomination with the status of its latest offer and whether it led to a
    placement (two subqueries, whatever the number of rows)."""
    Offer = apps.get_model("matches", "Offer")
    Placement = apps.get_model("placements", "Placement")
    latest_offer = Offer.objects.filter(nomination=OuterRef("pk")).order_by(
        "-run__created_at", "-pk"
    )
    placement = Placement.objects.filter(
        person_id=OuterRef("person_id"), cycle_id=OuterRef("cycle_id")
    ).order_by("-pk")
    return nominations.annotate(
        latest_offer_status=Subquery(latest_offer.values("status")[:1]),
        placement_id=Subquery(placement.values("pk")[:1]),
    )


def next_step(nomination: Nomination) -> StrOrPromise:
    """The one sentence for this nomination (annotated by ``with_progress``)."""
    status = nomination.status
    if status == NominationStatus.AWAITING_ENDORSEMENT:
        return _("Your endorsers are signing off; nothing to do yet.")
    if status == NominationStatus.DECLINED:
        return _("The nomination was declined; your coordinator can tell you more.")
    if status != NominationStatus.ENDORSED:
        return ""
    if getattr(nomination, "placement_id", None):
        return _("You have a placement: see it on your dashboard and in Placements.")
    offer = getattr(nomination, "latest_offer_status", None)
    if offer == "offered":
        return _("Next: accept or decline your offer before its deadline.")
    if offer == "accepted":
        return _("You accepted your offer. Next: the placement agreement, which you will sign.")
    if offer in ("declined", "expired"):
        return _(
            "Your offer was declined or expired. If a place opens in a second round, you will "
            "receive a new offer; your coordinator can tell you more."
        )
    if not nomination.profile_confirmed_at:
        return _(
            "Next: complete and confirm your talent profile, and declare any conflicts of interest."
        )
    phase = nomination.cycle.state
    if phase in BEFORE_PREFERENCES:
        return _(
            "Your profile is confirmed. Next: rank opportunities when the preferences phase opens."
        )
    if phase == "preferences":
        return _("Next: rank the opportunities you would take, best first.")
    if phase == "interviews":
        return _("Next: your interviews; the invitation gives the time and place.")
    if phase == "matching":
        return _("The administrator is matching participants and opportunities. Next: your offer.")
    return _("No offer came to you in this cycle; your coordinator can tell you more.")
