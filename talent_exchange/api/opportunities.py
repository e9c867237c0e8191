"""Opportunities of a cycle: the approved ones for everybody in the program; drafts and
returned ones for their host's coordinators and the program's administrators (``visible_to``)."""

from django.db.models import Q
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from talent_exchange.opportunities.models import Opportunity, OpportunityStatus, Workplace
from talent_exchange.people.models import AssignmentType
from talent_exchange.programs.models import Cycle

from .access import get_visible, require
from .pagination import Pages
from .schemas import OpportunityOut, Problem

router = Router()


class OpportunityFilters(Schema):
    type: AssignmentType | None = None
    organization: int | None = None
    skill: str | None = None
    location: str | None = None
    remote: bool | None = None
    status: OpportunityStatus | None = None
    q: str | None = None


def filter_opportunities(queryset, filters: OpportunityFilters):
    if filters.type:
        queryset = queryset.filter(assignment_type=filters.type)
    if filters.organization:
        queryset = queryset.filter(host_organization_id=filters.organization)
    if filters.skill:
        skill = Q(name__iexact=filters.skill)
        queryset = queryset.filter(
            Q(skills_required__in=_skills(skill)) | Q(skills_developed__in=_skills(skill))
        ).distinct()
    if filters.location:
        queryset = queryset.filter(location__icontains=filters.location)
    if filters.remote is not None:
        remote = Q(workplace=Workplace.REMOTE)
        queryset = queryset.filter(remote if filters.remote else ~remote)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.q:
        queryset = queryset.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
        )
    return queryset


def _with_card(queryset):
    """Everything a row shows, in a fixed number of queries."""
    return queryset.select_related("host_organization", "coach").prefetch_related(
        "skills_required", "skills_developed"
    )


def _skills(condition: Q):
    from talent_exchange.people.models import Skill

    return Skill.objects.filter(condition).values("pk")


@router.get(
    "/cycles/{cycle_id}/opportunities",
    response={200: list[OpportunityOut], 404: Problem, 403: Problem},
    summary="Opportunities of a cycle",
)
@paginate(Pages)
def list_opportunities(request, cycle_id: int, filters: Query[OpportunityFilters]):
    """The cycle's opportunities you may see, filtered by type, host organisation, skill
    (required or developed, by name), location, remote, status and free text."""
    cycle = get_visible(Cycle.objects, request.user, cycle_id, "cycle")
    require(request.user, "programs.view_cycle", cycle)
    require(request.user, "opportunities.list_opportunities")
    queryset = _with_card(Opportunity.objects.visible_to(request.user).filter(cycle=cycle))
    return filter_opportunities(queryset, filters).order_by(
        "host_organization__name", "title", "pk"
    )


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, 404: Problem, 403: Problem},
    summary="One opportunity",
)
def get_opportunity(request, opportunity_id: int):
    opportunity = get_visible(
        _with_card(Opportunity.objects), request.user, opportunity_id, "opportunity"
    )
    require(request.user, "opportunities.view_opportunity", opportunity)
    return opportunity
