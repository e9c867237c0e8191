"""What the API sends and accepts. Field names follow the models; related objects are
small nested references so a client needs no second request to show a row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class Problem(Schema):
    detail: str = Field(description="Why the request was refused, for a person to read.")


class Ref(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    name: str = Field(alias="full_name")
    position_title: str


class OpportunityOut(Schema):
    id: int
    cycle_id: int
    host_organization: Ref
    title: str
    description: str
    assignment_type: str
    duration_months: int
    start_earliest: date
    start_latest: date
    location: str
    workplace: str
    skills_required: list[str]
    skills_developed: list[str]
    capacity: int
    coach: PersonRef | None
    status: str

    @staticmethod
    def resolve_skills_required(obj) -> list[str]:
        return [skill.name for skill in obj.skills_required.all()]

    @staticmethod
    def resolve_skills_developed(obj) -> list[str]:
        return [skill.name for skill in obj.skills_developed.all()]


class OpportunityRef(Schema):
    id: int
    title: str
    host_organization: Ref


class EndorsementOut(Schema):
    order: int
    title: str
    endorser: str
    decision: str
    reason: str
    decided_at: datetime | None

    @staticmethod
    def resolve_endorser(obj) -> str:
        return obj.endorser.get_full_name() or obj.endorser.username


class ConflictOut(Schema):
    organization: Ref
    reason: str


class NominationOut(Schema):
    id: int
    cycle_id: int
    person: PersonRef
    home_organization: Ref
    status: str
    created_at: datetime


class NominationDetailOut(NominationOut):
    rationale: str
    backfill_plan: str
    profile_confirmed_at: datetime | None
    endorsements: list[EndorsementOut]
    conflicts: list[ConflictOut]

    @staticmethod
    def resolve_endorsements(obj) -> list:
        return list(obj.endorsements.all())

    @staticmethod
    def resolve_conflicts(obj) -> list:
        return list(obj.conflicts.all())


class RankedOpportunity(Schema):
    rank: int
    opportunity: OpportunityRef


class ParticipantRankingOut(Schema):
    nomination_id: int
    ranking: list[RankedOpportunity]


class RankingIn(Schema):
    opportunity_ids: list[int] = Field(
        description="The opportunities the participant would accept, first choice first. "
        "Replaces the whole ranking; an empty list clears it."
    )
    reason: str = Field(
        default="",
        description="Why the ranking changes after the deadline (administrators only).",
    )


class RankedCandidate(Schema):
    rank: int
    nomination_id: int
    person: PersonRef


class HostRankingOut(Schema):
    opportunity_id: int
    ranking: list[RankedCandidate]


class MatchRunOut(Schema):
    id: int
    cycle_id: int
    round: int
    mode: str
    balance_tolerance: int | None
    status: str
    progress: int
    progress_note: str
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None


class MatchRunDetailOut(MatchRunOut):
    """A run without its rows (a national run has 100,000 pairs): page through them with
    ``/match-runs/{id}/assignments`` and ``/match-runs/{id}/unmatched``."""

    result_status: str | None = Field(
        description="The engine's status: stable, optimal, infeasible or invalid."
    )
    assignment_count: int = Field(description="How many assignments the result has.")
    unmatched_count: int = Field(description="How many participants are unmatched.")
    metrics: dict[str, Any] | None
    problems: list[dict[str, Any]]

    @staticmethod
    def resolve_result_status(obj) -> str | None:
        return (obj.summary or {}).get("status")

    @staticmethod
    def resolve_assignment_count(obj) -> int:
        return int((obj.summary or {}).get("assignment_count", 0))

    @staticmethod
    def resolve_unmatched_count(obj) -> int:
        return int((obj.summary or {}).get("unmatched_count", 0))

    @staticmethod
    def resolve_metrics(obj) -> dict | None:
        return (obj.summary or {}).get("metrics")

    @staticmethod
    def resolve_problems(obj) -> list:
        return (obj.summary or {}).get("problems") or []
