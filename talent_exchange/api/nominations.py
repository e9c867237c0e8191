"""Nominations: a user sees the ones ``Nomination.objects.visible_to`` gives them (their
programs as administrator, their organisations as coordinator, their own and their
reports' as participant and supervisor, their panel's candidates, the ones they endorse)."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from talent_exchange.nominations.models import Nomination, NominationStatus

from .access import get_visible, require
from .pagination import Pages
from .schemas import NominationDetailOut, NominationOut, Problem

router = Router()


class NominationFilters(Schema):
    cycle: int | None = None
    status: NominationStatus | None = None
    organization: int | None = None


@router.get(
    "/nominations",
    response={200: list[NominationOut], 403: Problem},
    summary="Nominations you may see",
)
@paginate(Pages)
def list_nominations(request, filters: Query[NominationFilters]):
    require(
        request.user,
        "nominations.list_nominations",
        reason=_(
            "Only the program's administrators, the coordinators and auditors list nominations; "
            "open a nomination by its number."
        ),
    )
    queryset = Nomination.objects.visible_to(request.user).select_related(
        "person", "home_organization"
    )
    if filters.cycle:
        queryset = queryset.filter(cycle_id=filters.cycle)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.organization:
        queryset = queryset.filter(home_organization_id=filters.organization)
    # By number: a page is an index walk, where sorting by name would join and sort every
    # visible nomination's person for each page (issue 17).
    return queryset.order_by("pk")


@router.get(
    "/nominations/{nomination_id}",
    response={200: NominationDetailOut, 403: Problem, 404: Problem},
    summary="One nomination, with its endorsements and declared conflicts",
)
def get_nomination(request, nomination_id: int):
    queryset = Nomination.objects.select_related("person", "home_organization").prefetch_related(
        "endorsements__endorser", "conflicts__organization"
    )
    nomination = get_visible(queryset, request.user, nomination_id, "nomination")
    require(request.user, "nominations.view_nomination", nomination)
    return nomination
