"""Every app's factories in one import, for cross-app tests. Each factory lives in the app
that owns its model (``<app>/tests/factories.py``); add new ones there, not here."""

from talent_exchange.accounts.tests.factories import (
    ROLE_NAMES,
    UserFactory,
    grant,
    grant_by_index,
)
from talent_exchange.development.tests.factories import (
    DevelopmentPlanFactory,
    MobilityExceptionFactory,
    MobilityRuleFactory,
    PlanItemFactory,
    SuccessionCandidateFactory,
    SuccessionPlanFactory,
)
from talent_exchange.finance.tests.factories import (
    FeeScheduleFactory,
    FundingLineFactory,
    placement_between,
    reimbursable,
)
from talent_exchange.interviews.tests.factories import (
    PanelAssignmentFactory,
    PanelFactory,
    RubricCriterionFactory,
)
from talent_exchange.learning.tests.factories import (
    CircleFactory,
    InvitationFactory,
    PostFactory,
    SessionFactory,
    ThreadFactory,
)
from talent_exchange.matches.tests.factories import MatchRunFactory, OfferFactory
from talent_exchange.nominations.tests.factories import EndorsementStepFactory, NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.organizations.tests.factories import OrganizationFactory
from talent_exchange.people.tests.factories import (
    MobilityRecordFactory,
    PersonFactory,
    SkillFactory,
)
from talent_exchange.preferences.tests.factories import host_rank, rank
from talent_exchange.programs.tests.factories import (
    CycleFactory,
    ProgramFactory,
    ProgramInvitationFactory,
    phase_dates,
)

__all__ = [
    "ROLE_NAMES",
    "CircleFactory",
    "CycleFactory",
    "DevelopmentPlanFactory",
    "EndorsementStepFactory",
    "FeeScheduleFactory",
    "FundingLineFactory",
    "InvitationFactory",
    "MatchRunFactory",
    "MobilityExceptionFactory",
    "MobilityRecordFactory",
    "MobilityRuleFactory",
    "NominationFactory",
    "OfferFactory",
    "OpportunityFactory",
    "OrganizationFactory",
    "PanelAssignmentFactory",
    "PanelFactory",
    "PersonFactory",
    "PlanItemFactory",
    "PostFactory",
    "ProgramFactory",
    "ProgramInvitationFactory",
    "RubricCriterionFactory",
    "SessionFactory",
    "SkillFactory",
    "SuccessionCandidateFactory",
    "SuccessionPlanFactory",
    "ThreadFactory",
    "UserFactory",
    "grant",
    "grant_by_index",
    "host_rank",
    "phase_dates",
    "placement_between",
    "rank",
    "reimbursable",
]
