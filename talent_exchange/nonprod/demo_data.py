"""Demo data: two programs of the two shapes Talent Exchange serves, and one account per role.

1. The Bayshore Management Talent Exchange Program: twelve local agencies of a fictional
   California county (cities, the county, special districts), run by the county's Human
   Resources Department; three-month stretch assignments; each agency receives about as
   many as it sends. About forty employees with full talent profiles; a cycle in the
   preferences phase, and last year's cycle closed.
2. The Alberta Executive and Senior Manager Mobility Program: six ministries of one
   provincial government; 12 to 18 month secondments; demand-driven. Twelve executives;
   a cycle taking nominations.

Every name is invented. Everything is keyed on a natural key (a name, an e-mail address, a
username), and a row is saved only when a value differs, so seeding again creates nothing and
leaves no new history rows. The text is hand-written; choices between texts (skills, goals,
mobility history) come from a random generator seeded per person, so the output is the same
on every machine and adding a person does not change the others.

Later features grow this module: add a ``_seed_*`` step and call it from ``seed``.
"""

from __future__ import annotations

import importlib.util
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple, TextIO

from django.db import models, transaction
from django.utils import timezone

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import forget_roles
from talent_exchange.organizations.models import Kind, Organization, Sector, SizeBand
from talent_exchange.people.models import (
    AssignmentType,
    Designation,
    MobilityRecord,
    Person,
    Skill,
    SkillKind,
)
from talent_exchange.programs.models import (
    PHASE_ORDER,
    Cycle,
    CyclePhase,
    Phase,
    Program,
    ProgramShape,
    Reciprocity,
)
from talent_exchange.programs.services import move_cycle

from .demo_exchange import seed_exchange
from .personas import DEMO_PASSWORD, PERSONAS

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

SKILLS = [
    "Budget development",
    "Financial forecasting",
    "Capital project delivery",
    "Project management",
    "Contract negotiation",
    "Procurement and contracting",
    "Grant writing and administration",
    "Data analysis",
    "GIS and mapping",
    "Policy analysis",
    "Council, board and cabinet briefings",
    "Public engagement",
    "Media relations",
    "Emergency management",
    "Labor relations",
    "Recruitment and selection",
    "Performance measurement",
    "Process improvement (Lean)",
    "Land use planning",
    "Regulatory compliance",
    "Asset management",
    "Program evaluation",
    "Community outreach",
    "Intergovernmental relations",
]

COMPETENCIES = [
    "Leading people",
    "Leading change",
    "Strategic thinking",
    "Results-driven",
    "Business acumen",
    "Building coalitions",
    "Coaching and mentoring",
]

DESIGNATIONS = {
    "National Security Professional": (
        "Designated under the national strategy for the development of security "
        "professionals; programs give rotations of these people particular emphasis."
    ),
    "Certified Public Manager": "Completed an accredited Certified Public Manager program.",
    "Professional Engineer": "Licensed professional engineer.",
    "Chartered Professional Accountant": "Member of a provincial CPA body.",
    "Certified Emergency Manager": "Certified by the International Association of Emergency "
    "Managers.",
}


class Track(NamedTuple):
    """The line of work of a group of positions: what their profiles draw from."""

    skills: tuple[str, ...]
    competencies: tuple[str, ...]
    would_take: tuple[str, ...]
    goals: tuple[str, ...]
    education: tuple[str, ...]
    past_assignments: tuple[str, ...]
    tags: tuple[str, ...] = ()


TRACKS: dict[str, Track] = {
    "executive": Track(
        skills=(
            "Budget development",
            "Council, board and cabinet briefings",
            "Labor relations",
            "Intergovernmental relations",
            "Performance measurement",
            "Policy analysis",
        ),
        competencies=(
            "Leading change",
            "Strategic thinking",
            "Building coalitions",
            "Leading people",
            "Business acumen",
        ),
        would_take=(
            "Interim City Manager",
            "Deputy County Executive",
            "General Manager of a special district",
            "Director of Administrative Services",
            "Chief Operating Officer of a transit agency",
            "Assistant County Executive",
        ),
        goals=(
            "Prepare to lead a mid-sized agency as city manager or general manager within five "
            "years, with a stronger grounding in finance and labor negotiations.",
            "Learn how a special district governs itself with an elected board, and bring that "
            "discipline back to council relations.",
            "Mentor the next generation of managers while broadening my experience beyond "
            "general government.",
        ),
        education=(
            "Master of Public Administration, San José State University; B.A. Political "
            "Science, University of California, Santa Cruz",
            "Master of Public Policy, University of California, Berkeley; B.A. Economics, "
            "University of California, Davis",
            "Master of Business Administration, Santa Clara University; B.S. Business "
            "Administration, California State University, East Bay",
            "Executive Master of Public Administration, University of Southern California; B.A. "
            "Urban Studies, San Francisco State University",
        ),
        past_assignments=(
            "Acting Assistant City Manager",
            "Interim Director of Administrative Services",
            "Regional housing task force lead",
            "Acting General Manager",
        ),
    ),
    "recreation": Track(
        skills=(
            "Community outreach",
            "Program evaluation",
            "Grant writing and administration",
            "Budget development",
            "Public engagement",
            "Asset management",
        ),
        competencies=(
            "Leading people",
            "Coaching and mentoring",
            "Results-driven",
            "Building coalitions",
        ),
        would_take=(
            "Assistant to the City Manager",
            "Senior Financial Analyst",
            "Management Analyst, City Manager's Office",
            "Economic Vitality Coordinator",
            "Human Resources Representative",
            "Community Services Manager",
        ),
        goals=(
            "Move from running programs to running a department: understand budgets, council "
            "reports and how decisions are made in the City Manager's Office.",
            "Build the financial and analytical skills to become a Community Services Director.",
            "Broaden beyond recreation into citywide policy work while keeping a focus on youth "
            "and families.",
        ),
        education=(
            "B.S. Recreation, Parks and Tourism, San Francisco State University",
            "B.A. Kinesiology, California State University, Chico; certificate in Nonprofit "
            "Management",
            "B.S. Recreation Administration, California State University, Sacramento; Certified "
            "Park and Recreation Professional (CPRP)",
            "B.A. Sociology, University of California, Santa Barbara; M.S. Recreation "
            "Administration, San José State University",
        ),
        past_assignments=(
            "Acting Recreation Manager",
            "Aquatics program lead",
            "Special events coordinator",
            "Youth commission liaison",
        ),
        tags=("Spanish-language outreach", "Bilingual public meetings"),
    ),
    "finance": Track(
        skills=(
            "Budget development",
            "Financial forecasting",
            "Data analysis",
            "Performance measurement",
            "Council, board and cabinet briefings",
            "Procurement and contracting",
            "Regulatory compliance",
        ),
        competencies=("Business acumen", "Results-driven", "Strategic thinking", "Leading people"),
        would_take=(
            "Planning Specialist",
            "Budget Manager",
            "Assistant to the City Manager",
            "Finance Director of a special district",
            "Management Assistant to the Finance Director",
            "Capital Improvement Program Manager",
        ),
        goals=(
            "Understand the operating side of the services I budget for, so that my forecasts "
            "reflect how the work is really done.",
            "Become a finance director within five years, with experience in both a city and a "
            "special district.",
            "Learn land use and development economics to connect long-range financial planning "
            "with the general plan.",
        ),
        education=(
            "B.S. Accounting, San José State University; Certified Public Accountant (inactive)",
            "M.S. Finance, Golden Gate University; B.A. Economics, University of California, "
            "Los Angeles",
            "B.A. Economics, California State University, East Bay; Certified Public Finance "
            "Officer coursework",
            "Master of Public Administration, University of San Francisco; B.S. Business "
            "Administration, California State University, Sacramento",
        ),
        past_assignments=(
            "Acting Budget Manager",
            "Utility rate study project lead",
            "Interim Accounting Manager",
            "Audit liaison",
        ),
        tags=("Tableau dashboards",),
    ),
    "engineering": Track(
        skills=(
            "Capital project delivery",
            "Project management",
            "Contract negotiation",
            "Asset management",
            "GIS and mapping",
            "Regulatory compliance",
            "Grant writing and administration",
        ),
        competencies=("Results-driven", "Leading people", "Business acumen", "Strategic thinking"),
        would_take=(
            "Project Manager",
            "Capital Improvement Program Manager",
            "Assistant Public Works Director",
            "Deputy Director of Utilities",
            "Sustainability Manager",
            "Budget Analyst",
        ),
        goals=(
            "Move from designing projects to managing programs: budgets, contracts, public "
            "outreach and council approvals.",
            "Lead a capital improvement program for a water or transit agency, with a better "
            "understanding of rate setting and financing.",
            "Develop the management skills to become a public works director while keeping my "
            "engineering license current.",
        ),
        education=(
            "B.S. Civil Engineering, California Polytechnic State University, San Luis Obispo; "
            "Professional Engineer (Civil), California",
            "M.S. Civil and Environmental Engineering, Stanford University; B.S. Civil "
            "Engineering, University of California, Davis",
            "B.S. Civil Engineering, San José State University; Engineer in Training",
            "B.S. Environmental Engineering, University of California, Irvine; M.S. Water "
            "Resources Engineering, California State University, Sacramento",
        ),
        past_assignments=(
            "Acting Senior Civil Engineer",
            "Storm drain master plan project lead",
            "Interagency corridor study team",
            "Construction manager",
        ),
        tags=("ArcGIS Pro",),
    ),
    "planning": Track(
        skills=(
            "Land use planning",
            "Public engagement",
            "Policy analysis",
            "GIS and mapping",
            "Council, board and cabinet briefings",
            "Grant writing and administration",
            "Intergovernmental relations",
        ),
        competencies=(
            "Building coalitions",
            "Strategic thinking",
            "Leading change",
            "Results-driven",
        ),
        would_take=(
            "Economic Vitality Coordinator",
            "Housing and Community Development Manager",
            "Assistant to the City Manager",
            "Redevelopment Project Manager",
            "Principal Planner, regional agency",
            "Sustainability Manager",
        ),
        goals=(
            "Connect planning with economic development: learn how a city attracts and keeps "
            "businesses downtown.",
            "Prepare to lead a community development department, including building and code "
            "enforcement.",
            "Gain regional experience so that local housing plans fit transit and water "
            "constraints.",
        ),
        education=(
            "Master of City and Regional Planning, University of California, Berkeley; B.A. "
            "Geography, University of California, Los Angeles",
            "Master of Urban Planning, San José State University; B.A. Environmental Studies, "
            "University of California, Santa Cruz",
            "B.S. City and Regional Planning, California Polytechnic State University, San Luis "
            "Obispo; AICP",
        ),
        past_assignments=(
            "Acting Planning Manager",
            "Housing element update project lead",
            "Downtown specific plan team",
            "Regional transit-oriented development working group",
        ),
        tags=("Bilingual public meetings", "ArcGIS Pro"),
    ),
    "public_safety": Track(
        skills=(
            "Emergency management",
            "Public engagement",
            "Labor relations",
            "Budget development",
            "Performance measurement",
            "Community outreach",
            "Media relations",
        ),
        competencies=(
            "Leading people",
            "Leading change",
            "Coaching and mentoring",
            "Results-driven",
        ),
        would_take=(
            "Assistant to the City Manager",
            "Budget Analyst",
            "Emergency Services Manager",
            "Human Resources Coordinator",
            "Risk Manager",
            "Management Analyst, City Manager's Office",
        ),
        goals=(
            "Understand city administration beyond public safety (budgets, council relations, "
            "labor negotiations) to prepare for a chief or assistant city manager role.",
            "Learn the budget process from the inside so that I can make a better case for my "
            "department's needs.",
            "Strengthen community engagement skills and build relationships across departments.",
        ),
        education=(
            "B.S. Criminal Justice Administration, San José State University; POST Supervisory "
            "Certificate",
            "B.S. Fire Administration, California State University, Los Angeles; State Fire "
            "Marshal Chief Officer certification",
            "A.S. Fire Technology, College of San Mateo; B.A. Organizational Leadership, Saint "
            "Mary's College of California",
            "M.S. Emergency Services Administration, California State University, Long Beach; "
            "B.A. Psychology, University of California, Davis",
        ),
        past_assignments=(
            "Acting division commander",
            "Community engagement unit",
            "Regional emergency operations center section chief",
            "Wildfire preparedness task force",
        ),
        tags=("Wildfire evacuation planning", "Spanish-language outreach"),
    ),
    "administration": Track(
        skills=(
            "Recruitment and selection",
            "Labor relations",
            "Process improvement (Lean)",
            "Data analysis",
            "Council, board and cabinet briefings",
            "Policy analysis",
            "Performance measurement",
        ),
        competencies=(
            "Results-driven",
            "Coaching and mentoring",
            "Building coalitions",
            "Leading people",
        ),
        would_take=(
            "Human Resources Representative",
            "Recreation Supervisor",
            "Management Analyst, Finance",
            "Assistant to the City Manager",
            "Deputy City Clerk",
            "Human Resources Coordinator",
        ),
        goals=(
            "Move into a human resources analyst career and learn classification and "
            "compensation from an experienced team.",
            "See how another agency runs its operations so that I can lead process improvement "
            "at home.",
            "Build the analytical and presentation skills to write reports that go to council.",
        ),
        education=(
            "B.A. Psychology, San Francisco State University; certificate in Human Resource "
            "Management, University of California, Berkeley Extension",
            "B.A. Public Administration, California State University, East Bay",
            "A.A. Business, Foothill College; completing a B.S. in Organizational Behavior, "
            "University of San Francisco",
            "Master of Public Administration, University of San Francisco; B.A. Communication, "
            "University of California, Davis",
        ),
        past_assignments=(
            "Acting Human Resources Analyst",
            "Council agenda process improvement team",
            "Benefits open enrollment lead",
            "Budget book coordinator",
        ),
    ),
    "communications": Track(
        skills=(
            "Media relations",
            "Public engagement",
            "Community outreach",
            "Data analysis",
            "Council, board and cabinet briefings",
            "Emergency management",
        ),
        competencies=("Building coalitions", "Strategic thinking", "Leading change"),
        would_take=(
            "Management Assistant to the Finance Director",
            "Assistant to the City Manager",
            "Economic Vitality Coordinator",
            "Community Engagement Manager",
            "Legislative Affairs Analyst",
            "Public Information Officer, transit agency",
        ),
        goals=(
            "Understand the numbers behind the stories I tell: budgets, rates and capital plans.",
            "Lead an agency-wide engagement program that reaches residents who never come to "
            "council meetings.",
            "Prepare for an assistant city manager role with a communications background.",
        ),
        education=(
            "B.A. Journalism, San Francisco State University",
            "B.A. Communication Studies, University of California, Santa Barbara; M.A. "
            "Strategic Communication, American University",
            "B.A. English, University of California, Berkeley",
        ),
        past_assignments=(
            "Joint information center lead during winter storms",
            "Acting Communications Director",
            "Census outreach coordinator",
        ),
        tags=("Spanish-language outreach",),
    ),
    "technology": Track(
        skills=(
            "Project management",
            "Data analysis",
            "Process improvement (Lean)",
            "Procurement and contracting",
            "GIS and mapping",
            "Performance measurement",
        ),
        competencies=("Leading change", "Strategic thinking", "Results-driven", "Business acumen"),
        would_take=(
            "Chief Innovation Officer",
            "Assistant to the City Manager",
            "Performance Management Analyst",
            "Deputy Director of Information Technology",
            "Smart Transit Program Manager",
            "Digital Services Manager",
        ),
        goals=(
            "Lead digital services for a whole agency rather than one system at a time.",
            "Learn how operating departments work so that technology projects start from their "
            "needs.",
            "Build the budgeting and contracting experience needed for a chief information "
            "officer role.",
        ),
        education=(
            "B.S. Computer Science, San José State University; Project Management Professional "
            "(PMP)",
            "B.S. Information Systems, San Francisco State University",
            "M.S. Information Management, University of Washington; B.A. Mathematics, "
            "University of California, Santa Cruz",
        ),
        past_assignments=(
            "Permit system replacement project manager",
            "Regional broadband working group",
            "Acting IT Operations Manager",
        ),
        tags=("Tableau dashboards",),
    ),
    "operations": Track(
        skills=(
            "Asset management",
            "Budget development",
            "Regulatory compliance",
            "Labor relations",
            "Procurement and contracting",
            "Performance measurement",
            "Capital project delivery",
            "Public engagement",
        ),
        competencies=(
            "Leading people",
            "Results-driven",
            "Business acumen",
            "Coaching and mentoring",
        ),
        would_take=(
            "Assistant General Manager",
            "Operations Manager, public works",
            "Capital Improvement Program Manager",
            "Assistant to the City Manager",
            "Sustainability Manager",
            "Budget Analyst",
        ),
        goals=(
            "Prepare to become an assistant general manager, with experience outside my own "
            "district's operations.",
            "Learn how a city coordinates many departments, to improve how my agency works with "
            "its member cities.",
            "Strengthen budgeting and long-range planning so that maintenance is funded before "
            "assets fail.",
        ),
        education=(
            "B.S. Business Administration, California State University, East Bay",
            "B.A. Environmental Studies, San José State University; Water Treatment Operator "
            "Grade III",
            "M.S. Transportation Management, San José State University (Mineta Transportation "
            "Institute); B.A. Geography, University of California, Davis",
            "Master of Library and Information Science, San José State University; B.A. "
            "History, University of California, Santa Cruz",
        ),
        past_assignments=(
            "Acting Operations Superintendent",
            "Drought response task force",
            "Fleet electrification project team",
            "Interim Maintenance Manager",
        ),
        tags=("Zero-emission bus transition", "Drought response"),
    ),
    "ab_executive": Track(
        skills=(
            "Budget development",
            "Policy analysis",
            "Intergovernmental relations",
            "Labor relations",
            "Performance measurement",
            "Council, board and cabinet briefings",
        ),
        competencies=(
            "Leading change",
            "Strategic thinking",
            "Building coalitions",
            "Leading people",
            "Business acumen",
        ),
        would_take=(
            "Assistant Deputy Minister, Corporate Services",
            "Assistant Deputy Minister, Policy and Planning",
            "Chief Executive Officer of a provincial agency",
            "Assistant Deputy Minister, Indigenous Relations",
            "Executive lead, cross-ministry priorities",
            "Associate Deputy Minister",
        ),
        goals=(
            "Take on a deputy minister role within five years; a secondment would give me a "
            "second ministry's view of cabinet and Treasury Board processes.",
            "Lead a large operational division after years in policy, to round out my "
            "experience as an executive.",
            "Strengthen relationships across ministries so that shared priorities move faster "
            "than our separate processes allow.",
        ),
        education=(
            "Master of Public Management, University of Alberta; B.Comm., University of Calgary",
            "Master of Business Administration, University of Calgary; B.A. Political Science, "
            "University of Lethbridge",
            "LL.B., University of Alberta; B.A. History, University of Alberta",
            "M.A. Leadership, Royal Roads University; B.Sc. Civil Engineering, University of "
            "Alberta",
        ),
        past_assignments=(
            "Acting Deputy Minister",
            "Executive Director, Cabinet Coordination",
            "Cross-ministry pandemic response lead",
            "Executive Director, Corporate Planning",
        ),
    ),
    "ab_director": Track(
        skills=(
            "Policy analysis",
            "Data analysis",
            "Program evaluation",
            "Public engagement",
            "Budget development",
            "Project management",
            "Intergovernmental relations",
            "Regulatory compliance",
        ),
        competencies=(
            "Leading people",
            "Results-driven",
            "Strategic thinking",
            "Coaching and mentoring",
        ),
        would_take=(
            "Executive Director, Policy and Planning",
            "Director, Strategic Planning, Treasury Board and Finance",
            "Executive Director, Program Delivery",
            "Director, Indigenous Relations",
            "Executive Director, Corporate Services",
            "Director, Performance and Evaluation",
        ),
        goals=(
            "Move to executive director by leading a branch in a ministry whose work is new to me.",
            "Gain operational experience to balance a career spent in policy.",
            "Learn how central agencies make decisions, to bring that understanding back to a "
            "line ministry.",
        ),
        education=(
            "Master of Public Policy, University of Calgary; B.A. Economics, University of Alberta",
            "B.Comm., University of Alberta; Chartered Professional Accountant",
            "M.Sc. Environmental Science, University of Lethbridge; B.Sc. Biology, University "
            "of Alberta",
            "M.A. Political Science, University of Calgary; B.A., MacEwan University",
        ),
        past_assignments=(
            "Acting Executive Director",
            "Cross-ministry regulatory review team",
            "Acting Director, Strategic Policy",
            "Red tape reduction project lead",
        ),
        tags=("Indigenous relations", "French-language services"),
    ),
}

# Seed 003's assignment ideas: a position at home and the stretch assignment it suits.
ASSIGNMENT_IDEAS = {
    "Recreation Supervisor": "Assistant to the City Manager",
    "Public Communications Manager": "Management Assistant to Finance Director",
    "Senior Financial Analyst": "Planning Specialist",
    "Youth Activity Supervisor": "Senior Financial Analyst",
    "Management Analyst": "Recreation Supervisor",
    "Project Engineer": "Project Manager",
    "Police Sergeant": "Assistant to the City Manager",
    "Planning Administrator": "Economic Vitality Coordinator",
    "Administrative Assistant": "Human Resources Representative",
    "Inspector": "Human Resources Coordinator",
    "Deputy Fire Chief": "Budget Analyst",
}

# Stretch assignments people held in another agency in earlier exchanges (local) and
# secondments to another ministry (Alberta).
EXCHANGE_TITLES = (
    "Assistant to the City Manager",
    "Management Analyst, City Manager's Office",
    "Budget Analyst",
    "Human Resources Coordinator",
    "Economic Vitality Coordinator",
    "Project Manager",
    "Planning Specialist",
    "Management Assistant to the Finance Director",
    "Sustainability Analyst",
    "Senior Management Analyst",
)
SECONDMENT_TITLES = (
    "Director, Strategic Policy",
    "Executive Director, Business Transformation",
    "Director, Budget Planning",
    "Director, Stakeholder Relations",
    "Executive Director, Program Delivery",
    "Director, Workforce Planning",
)

# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------

CALIFORNIA = "Bayshore County, California"
ALBERTA = "Government of Alberta"


class OrgSpec(NamedTuple):
    key: str
    name: str
    short_name: str
    kind: str
    size: str
    jurisdiction: str
    domain: str
    parent: str | None = None


CONSORTIUM_ORGS = [
    OrgSpec(
        "MB",
        "City of Mariposa Bay",
        "Mariposa Bay",
        Kind.CITY,
        SizeBand.MEDIUM,
        CALIFORNIA,
        "mariposabay.example",
    ),
    OrgSpec(
        "CH",
        "City of Cedar Hollow",
        "Cedar Hollow",
        Kind.CITY,
        SizeBand.MEDIUM,
        CALIFORNIA,
        "cedarhollow.example",
    ),
    OrgSpec(
        "PC",
        "City of Pacific Crest",
        "Pacific Crest",
        Kind.CITY,
        SizeBand.LARGE,
        CALIFORNIA,
        "pacificcrest.example",
    ),
    OrgSpec(
        "AS",
        "City of Alder Springs",
        "Alder Springs",
        Kind.CITY,
        SizeBand.SMALL,
        CALIFORNIA,
        "aldersprings.example",
    ),
    OrgSpec(
        "OM",
        "Town of Oak Meadow",
        "Oak Meadow",
        Kind.CITY,
        SizeBand.SMALL,
        CALIFORNIA,
        "oakmeadow.example",
    ),
    OrgSpec(
        "SL",
        "City of Santa Lucia Heights",
        "Santa Lucia Heights",
        Kind.CITY,
        SizeBand.MEDIUM,
        CALIFORNIA,
        "santaluciaheights.example",
    ),
    OrgSpec(
        "BC",
        "Bayshore County",
        "Bayshore County",
        Kind.COUNTY,
        SizeBand.LARGE,
        CALIFORNIA,
        "bayshorecounty.example",
    ),
    OrgSpec(
        "WD",
        "Bayshore Municipal Water District",
        "Bayshore Water",
        Kind.SPECIAL_DISTRICT,
        SizeBand.MEDIUM,
        CALIFORNIA,
        "bayshorewater.example",
    ),
    OrgSpec(
        "FD",
        "North Bayshore Fire Protection District",
        "North Bayshore Fire",
        Kind.SPECIAL_DISTRICT,
        SizeBand.SMALL,
        CALIFORNIA,
        "nbfire.example",
    ),
    OrgSpec(
        "TD",
        "Bayshore Regional Transit District",
        "Bayshore Transit",
        Kind.SPECIAL_DISTRICT,
        SizeBand.MEDIUM,
        CALIFORNIA,
        "bayshoretransit.example",
    ),
    OrgSpec(
        "PD",
        "Cedar Hollow Recreation and Park District",
        "Cedar Hollow Parks",
        Kind.SPECIAL_DISTRICT,
        SizeBand.SMALL,
        CALIFORNIA,
        "chparks.example",
    ),
    OrgSpec(
        "HD",
        "Bayshore Harbor District",
        "Bayshore Harbor",
        Kind.SPECIAL_DISTRICT,
        SizeBand.SMALL,
        CALIFORNIA,
        "bayshoreharbor.example",
    ),
]
CONSORTIUM_ADMIN_ORG = OrgSpec(
    "HR",
    "Bayshore County Human Resources Department",
    "Bayshore County HR",
    Kind.DEPARTMENT,
    SizeBand.SMALL,
    CALIFORNIA,
    "bayshorecounty.example",
    parent="BC",
)

ALBERTA_MINISTRIES = [
    OrgSpec(
        "TBF",
        "Alberta Treasury Board and Finance",
        "Treasury Board and Finance",
        Kind.MINISTRY,
        SizeBand.MEDIUM,
        ALBERTA,
        "gov.alberta.example",
    ),
    OrgSpec(
        "HEA",
        "Alberta Health",
        "Health",
        Kind.MINISTRY,
        SizeBand.MEDIUM,
        ALBERTA,
        "gov.alberta.example",
    ),
    OrgSpec(
        "EDU",
        "Alberta Education",
        "Education",
        Kind.MINISTRY,
        SizeBand.MEDIUM,
        ALBERTA,
        "gov.alberta.example",
    ),
    OrgSpec(
        "TEC",
        "Alberta Transportation and Economic Corridors",
        "Transportation",
        Kind.MINISTRY,
        SizeBand.MEDIUM,
        ALBERTA,
        "gov.alberta.example",
    ),
    OrgSpec(
        "EPA",
        "Alberta Environment and Protected Areas",
        "Environment",
        Kind.MINISTRY,
        SizeBand.MEDIUM,
        ALBERTA,
        "gov.alberta.example",
    ),
    OrgSpec(
        "JUS",
        "Alberta Justice",
        "Justice",
        Kind.MINISTRY,
        SizeBand.LARGE,
        ALBERTA,
        "gov.alberta.example",
    ),
]
ALBERTA_ADMIN_ORG = OrgSpec(
    "PSC",
    "Alberta Public Service Commission",
    "Public Service Commission",
    Kind.AGENCY,
    SizeBand.SMALL,
    ALBERTA,
    "gov.alberta.example",
)

ALL_ORGS = [*CONSORTIUM_ORGS, CONSORTIUM_ADMIN_ORG, *ALBERTA_MINISTRIES, ALBERTA_ADMIN_ORG]

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class PersonSpec(NamedTuple):
    key: str
    first_name: str
    last_name: str
    org: str
    title: str
    classification: str
    years: int
    track: str
    languages: str = "English"
    supervisor: str | None = None
    designations: tuple[str, ...] = ()


P = PersonSpec
CONSORTIUM_PEOPLE = [
    # City of Mariposa Bay: the coordinator's, supervisor's and participant's city.
    P(
        "whitfield",
        "Dana",
        "Whitfield",
        "MB",
        "Assistant City Manager",
        "Executive Management",
        21,
        "executive",
        designations=("Certified Public Manager",),
    ),
    P(
        "okafor",
        "Daniel",
        "Okafor",
        "MB",
        "Recreation and Community Services Manager",
        "Management (unrepresented)",
        14,
        "recreation",
        "English, Igbo",
        supervisor="whitfield",
    ),
    P(
        "delgado",
        "Maya",
        "Delgado",
        "MB",
        "Recreation Supervisor",
        "Mid-Management",
        8,
        "recreation",
        "English, Spanish",
        supervisor="okafor",
    ),
    P(
        "nakamura",
        "Tyler",
        "Nakamura",
        "MB",
        "Youth Activity Supervisor",
        "Supervisory",
        6,
        "recreation",
        "English, Japanese",
        supervisor="okafor",
    ),
    P(
        "raman",
        "Priya",
        "Raman",
        "MB",
        "Management Analyst",
        "Management Analyst II",
        5,
        "administration",
        "English, Tamil",
        supervisor="whitfield",
    ),
    P(
        "ellis",
        "Jordan",
        "Ellis",
        "MB",
        "Police Sergeant",
        "Police Sergeant (sworn)",
        12,
        "public_safety",
    ),
    P(
        "lindqvist",
        "Grace",
        "Lindqvist",
        "MB",
        "Administrative Assistant",
        "Administrative Assistant II (confidential)",
        7,
        "administration",
        supervisor="okafor",
    ),
    # City of Cedar Hollow: the second coordinator's city.
    P(
        "ortiz",
        "Samuel",
        "Ortiz",
        "CH",
        "Deputy Director of Public Works",
        "Management",
        17,
        "engineering",
        "English, Spanish",
        designations=("Professional Engineer",),
    ),
    P(
        "brooks",
        "Hannah",
        "Brooks",
        "CH",
        "Project Engineer",
        "Associate Civil Engineer",
        6,
        "engineering",
        supervisor="ortiz",
    ),
    P(
        "tran",
        "Kevin",
        "Tran",
        "CH",
        "Senior Financial Analyst",
        "Senior Financial Analyst",
        9,
        "finance",
        "English, Vietnamese",
    ),
    P(
        "johnson",
        "Aaliyah",
        "Johnson",
        "CH",
        "Public Communications Manager",
        "Management",
        10,
        "communications",
    ),
    P(
        "benedetti",
        "Marco",
        "Benedetti",
        "CH",
        "Senior Building Inspector",
        "Building Inspector III",
        11,
        "public_safety",
        "English, Italian",
        supervisor="ortiz",
    ),
    # City of Pacific Crest
    P(
        "pham",
        "Linh",
        "Pham",
        "PC",
        "Deputy Finance Director",
        "Executive Management",
        18,
        "finance",
        "English, Vietnamese",
        designations=("Certified Public Manager",),
    ),
    P(
        "kowalski",
        "Robert",
        "Kowalski",
        "PC",
        "Budget Analyst",
        "Budget Analyst II",
        4,
        "finance",
        "English, Polish",
        supervisor="pham",
    ),
    P(
        "marquez",
        "Sofia",
        "Marquez",
        "PC",
        "Planning Administrator",
        "Planning Manager",
        13,
        "planning",
        "English, Spanish",
    ),
    P(
        "goldberg",
        "Ethan",
        "Goldberg",
        "PC",
        "Senior Planner",
        "Senior Planner",
        7,
        "planning",
        "English, Hebrew",
        supervisor="marquez",
    ),
    P(
        "vance",
        "Harriet",
        "Vance",
        "PC",
        "Assistant City Manager",
        "Executive Management",
        19,
        "executive",
        designations=("Certified Public Manager",),
    ),
    # City of Alder Springs
    P(
        "villanueva",
        "Teresa",
        "Villanueva",
        "AS",
        "Human Resources Manager",
        "Management",
        15,
        "administration",
        "English, Tagalog",
    ),
    P(
        "cho",
        "Brandon",
        "Cho",
        "AS",
        "Management Analyst",
        "Management Analyst I",
        3,
        "administration",
        "English, Korean",
        supervisor="villanueva",
    ),
    P(
        "haddad",
        "Fatima",
        "Haddad",
        "AS",
        "Economic Development Specialist",
        "Professional",
        5,
        "planning",
        "English, Arabic, French",
    ),
    # Town of Oak Meadow
    P(
        "sandoval",
        "Gregory",
        "Sandoval",
        "OM",
        "Deputy Town Manager",
        "Executive Management",
        16,
        "executive",
        "English, Spanish",
    ),
    P(
        "oconnell",
        "Megan",
        "O'Connell",
        "OM",
        "Administrative Analyst",
        "Administrative Analyst",
        4,
        "administration",
        supervisor="sandoval",
    ),
    P(
        "washington",
        "Andre",
        "Washington",
        "OM",
        "Code Enforcement Supervisor",
        "Supervisory",
        10,
        "public_safety",
        supervisor="sandoval",
    ),
    # City of Santa Lucia Heights
    P(
        "flores",
        "Yesenia",
        "Flores",
        "SL",
        "Library Services Manager",
        "Mid-Management",
        12,
        "operations",
        "English, Spanish",
    ),
    P(
        "yamamoto",
        "Christopher",
        "Yamamoto",
        "SL",
        "IT Project Manager",
        "Information Technology Manager",
        8,
        "technology",
    ),
    P(
        "petrova",
        "Nadia",
        "Petrova",
        "SL",
        "Housing Program Manager",
        "Mid-Management",
        9,
        "planning",
        "English, Russian, Bulgarian",
    ),
    P(
        "brennan",
        "Elijah",
        "Brennan",
        "SL",
        "Police Sergeant",
        "Police Sergeant (sworn)",
        11,
        "public_safety",
        "English, Irish",
    ),
    # Bayshore County
    P(
        "adeyemi",
        "Victoria",
        "Adeyemi",
        "BC",
        "Deputy County Executive",
        "Executive Management",
        22,
        "executive",
        "English, Yoruba",
        designations=("Certified Public Manager",),
    ),
    P(
        "fuentes",
        "Miguel",
        "Fuentes",
        "BC",
        "Emergency Services Coordinator",
        "Professional",
        7,
        "public_safety",
        "English, Spanish",
        supervisor="adeyemi",
        designations=("National Security Professional", "Certified Emergency Manager"),
    ),
    P("stein", "Rachel", "Stein", "BC", "Senior Accountant", "Accountant III", 6, "finance"),
    P(
        "siddiqui",
        "Omar",
        "Siddiqui",
        "BC",
        "Risk Manager",
        "Management",
        11,
        "finance",
        "English, Urdu, Hindi",
        supervisor="adeyemi",
    ),
    # Bayshore Municipal Water District
    P(
        "nguyen",
        "Patricia",
        "Nguyen",
        "WD",
        "Water Resources Manager",
        "Management",
        16,
        "operations",
        "English, Vietnamese",
    ),
    P(
        "cabrera",
        "Luis",
        "Cabrera",
        "WD",
        "Project Engineer",
        "Associate Engineer",
        5,
        "engineering",
        "English, Spanish",
        supervisor="nguyen",
    ),
    P(
        "hartman",
        "Emily",
        "Hartman",
        "WD",
        "Environmental Compliance Specialist",
        "Professional",
        6,
        "operations",
        supervisor="nguyen",
    ),
    # North Bayshore Fire Protection District
    P(
        "alvarez",
        "Raymond",
        "Alvarez",
        "FD",
        "Deputy Fire Chief",
        "Fire Management",
        24,
        "public_safety",
        "English, Spanish",
        designations=("Certified Emergency Manager",),
    ),
    P(
        "osei",
        "Kimberly",
        "Osei",
        "FD",
        "Fire Captain",
        "Fire Captain (sworn)",
        14,
        "public_safety",
        "English, Twi",
        supervisor="alvarez",
    ),
    P(
        "whitaker",
        "Jason",
        "Whitaker",
        "FD",
        "Fire Inspector",
        "Fire Inspector II",
        9,
        "public_safety",
        supervisor="alvarez",
    ),
    # Bayshore Regional Transit District
    P(
        "moreno",
        "Angela",
        "Moreno",
        "TD",
        "Transit Operations Supervisor",
        "Supervisory",
        10,
        "operations",
        "English, Spanish",
    ),
    P(
        "kim",
        "David",
        "Kim",
        "TD",
        "Contracts and Procurement Officer",
        "Professional",
        7,
        "finance",
        "English, Korean",
    ),
    # Cedar Hollow Recreation and Park District
    P(
        "fitzgerald",
        "Lauren",
        "Fitzgerald",
        "PD",
        "Park Maintenance Superintendent",
        "Management",
        13,
        "operations",
    ),
    P(
        "brown",
        "Isaiah",
        "Brown",
        "PD",
        "Recreation Supervisor",
        "Supervisory",
        6,
        "recreation",
        supervisor="fitzgerald",
    ),
    # Bayshore Harbor District
    P(
        "chen",
        "Mei",
        "Chen",
        "HD",
        "Harbor Administrative Services Manager",
        "Management",
        9,
        "operations",
        "English, Mandarin, Cantonese",
    ),
    P(
        "rao",
        "Sunita",
        "Rao",
        "HD",
        "Senior Financial Analyst",
        "Senior Financial Analyst",
        7,
        "finance",
        "English, Telugu",
        supervisor="chen",
    ),
]

ALBERTA_PEOPLE = [
    P(
        "chartrand",
        "Natalie",
        "Chartrand",
        "TBF",
        "Assistant Deputy Minister, Budget and Fiscal Planning",
        "Senior Official",
        23,
        "ab_executive",
        "English, French",
        designations=("Chartered Professional Accountant",),
    ),
    P(
        "sandhu",
        "Gurpreet",
        "Sandhu",
        "TBF",
        "Executive Director, Capital Planning",
        "Executive Manager 2",
        16,
        "ab_director",
        "English, Punjabi",
        supervisor="chartrand",
    ),
    P(
        "macleod",
        "Colin",
        "MacLeod",
        "HEA",
        "Assistant Deputy Minister, Health Workforce Planning",
        "Senior Official",
        20,
        "ab_executive",
    ),
    P(
        "okonkwo",
        "Amara",
        "Okonkwo",
        "HEA",
        "Director, Primary Health Care Policy",
        "Senior Manager (Zone 2)",
        11,
        "ab_director",
        supervisor="macleod",
    ),
    P(
        "tremblay",
        "Jean-Luc",
        "Tremblay",
        "EDU",
        "Executive Director, Francophone Education",
        "Executive Manager 1",
        15,
        "ab_director",
        "French, English",
    ),
    P(
        "lam",
        "Rebecca",
        "Lam",
        "EDU",
        "Director, Curriculum Standards",
        "Senior Manager (Zone 2)",
        10,
        "ab_director",
        "English, Cantonese",
        supervisor="tremblay",
    ),
    P(
        "kowalchuk",
        "Wade",
        "Kowalchuk",
        "TEC",
        "Assistant Deputy Minister, Construction and Maintenance",
        "Senior Official",
        25,
        "ab_executive",
        "English, Ukrainian",
        designations=("Professional Engineer",),
    ),
    P(
        "cardinal",
        "Shannon",
        "Cardinal",
        "TEC",
        "Director, Indigenous Relations and Engagement",
        "Senior Manager (Zone 2)",
        9,
        "ab_director",
        "English, Cree",
        supervisor="kowalchuk",
    ),
    P(
        "jamal",
        "Farah",
        "Jamal",
        "EPA",
        "Executive Director, Air and Climate Policy",
        "Executive Manager 2",
        14,
        "ab_director",
        "English, Arabic",
    ),
    P(
        "lindgren",
        "Trevor",
        "Lindgren",
        "EPA",
        "Director, Water Policy",
        "Senior Manager (Zone 2)",
        12,
        "ab_director",
        supervisor="jamal",
    ),
    P(
        "dubois",
        "Michelle",
        "Dubois",
        "JUS",
        "Assistant Deputy Minister, Court and Justice Services",
        "Senior Official",
        21,
        "ab_executive",
        "English, French",
    ),
    P(
        "mehta",
        "Arjun",
        "Mehta",
        "JUS",
        "Director, Corporate Finance",
        "Senior Manager (Zone 2)",
        8,
        "ab_director",
        "English, Hindi, Gujarati",
        supervisor="dubois",
        designations=("Chartered Professional Accountant",),
    ),
]
del P

# ---------------------------------------------------------------------------------------------
# Programs, cycles and demo accounts
# ---------------------------------------------------------------------------------------------

CONSORTIUM_PROGRAM = "Bayshore Management Talent Exchange Program"
ALBERTA_PROGRAM = "Executive and Senior Manager Mobility Program"


class CycleSpec(NamedTuple):
    program: str
    name: str
    state: str
    # phase -> (opens, closes), in days from today
    phases: dict[str, tuple[int, int]]


def _shift(phases: dict[str, tuple[int, int]], days: int) -> dict[str, tuple[int, int]]:
    return {phase: (opens + days, closes + days) for phase, (opens, closes) in phases.items()}


# The current consortium cycle is in preferences: nominations and opportunities have closed,
# participants are ranking assignments, interviews are three weeks out, and the three-month
# assignments start at the beginning of February.
CONSORTIUM_PHASES = {
    Phase.NOMINATIONS: (-63, -36),
    Phase.OPPORTUNITIES: (-49, -15),
    Phase.PREFERENCES: (-8, 13),
    Phase.INTERVIEWS: (15, 33),
    Phase.MATCHING: (36, 47),
    Phase.PLACEMENTS: (70, 160),
}
ALBERTA_PHASES = {
    Phase.NOMINATIONS: (-20, 25),
    Phase.OPPORTUNITIES: (10, 55),
    Phase.PREFERENCES: (60, 75),
    Phase.INTERVIEWS: (80, 100),
    Phase.MATCHING: (105, 115),
    Phase.PLACEMENTS: (150, 690),
}

CURRENT_CONSORTIUM_CYCLE = "2027 Spring Exchange"
CYCLES = [
    CycleSpec(
        CONSORTIUM_PROGRAM, "2026 Spring Exchange", Phase.CLOSED, _shift(CONSORTIUM_PHASES, -365)
    ),
    CycleSpec(CONSORTIUM_PROGRAM, CURRENT_CONSORTIUM_CYCLE, Phase.PREFERENCES, CONSORTIUM_PHASES),
    CycleSpec(ALBERTA_PROGRAM, "2027 Intake", Phase.NOMINATIONS, ALBERTA_PHASES),
]

TRANSITION_NOTES = {
    Phase.NOMINATIONS: "Nominations are open; coordinators, please nominate by the closing date.",
    Phase.OPPORTUNITIES: "Host agencies may now post their assignments.",
    Phase.PREFERENCES: "Nominees may now rank the assignments.",
    Phase.INTERVIEWS: "Panels are set; interview schedules are out.",
    Phase.MATCHING: "Interview scores are in; running the match.",
    Phase.PLACEMENTS: "Match published; agreements go out for signature.",
    Phase.CLOSED: "All participants are back home; the cycle is closed.",
}


class UserSpec(NamedTuple):
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool = False
    person: str | None = None  # key of the Person this account belongs to


USERS = [
    UserSpec("admin", "Renee", "Castillo", "renee.castillo@bayshorecounty.example", is_staff=True),
    UserSpec("coordinator", "Marcus", "Bell", "marcus.bell@mariposabay.example"),
    UserSpec("coordinator2", "Elena", "Rossi", "elena.rossi@cedarhollow.example"),
    UserSpec(
        "supervisor", "Daniel", "Okafor", "daniel.okafor@mariposabay.example", person="okafor"
    ),
    UserSpec(
        "participant", "Maya", "Delgado", "maya.delgado@mariposabay.example", person="delgado"
    ),
    UserSpec("panelist", "Harold", "Jennings", "harold.jennings@pacificcrest.example"),
    UserSpec("board", "Lorraine", "Gauthier", "lorraine.gauthier@gov.alberta.example"),
    UserSpec("auditor", "Walter", "Price", "walter.price@bayshorecounty.example", is_staff=True),
    UserSpec("alberta", "Kendra", "Sloane", "kendra.sloane@gov.alberta.example"),
]

# ---------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """What a seed run left in the database, and what it had to create."""

    organizations: int = 0
    programs: int = 0
    cycles: int = 0
    people: int = 0
    users: int = 0
    created: Counter = field(default_factory=Counter)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


class _Seeder:
    def __init__(self, today: date):
        self.today = today
        self.created: Counter = Counter()
        self.orgs: dict[str, Organization] = {}
        self.programs: dict[str, Program] = {}
        self.people: dict[str, Person] = {}
        self.users: dict[str, User] = {}
        self.skills: dict[str, Skill] = {}
        self.designations: dict[str, Designation] = {}
        self.current_cycle: Cycle | None = None

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Create the row, or update only the values that differ (so no history row is left
        when nothing changed)."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            self.created[model._meta.verbose_name_plural] += 1
            return model.objects.create(**lookup, **values)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
        return obj

    # -- vocabulary ----------------------------------------------------------------------------

    def vocabulary(self) -> None:
        for names, kind in ((SKILLS, SkillKind.SKILL), (COMPETENCIES, SkillKind.COMPETENCY)):
            for name in names:
                self.skills[name] = self.upsert(
                    Skill, {"name": name}, {"kind": kind, "is_vocabulary": True}
                )
        free_tags = {tag for track in TRACKS.values() for tag in track.tags}
        for tag in sorted(free_tags):
            skill = Skill.objects.filter(name=tag).first()
            if skill is None:  # a free tag: never demote one an administrator has promoted
                skill = self.upsert(Skill, {"name": tag}, {"kind": SkillKind.SKILL})
            self.skills[tag] = skill
        for name, description in DESIGNATIONS.items():
            self.designations[name] = self.upsert(
                Designation, {"name": name}, {"description": description}
            )

    # -- organisations and programs ------------------------------------------------------------

    def organizations(self) -> None:
        for spec in ALL_ORGS:
            self.orgs[spec.key] = self.upsert(
                Organization,
                {"name": spec.name},
                {
                    "short_name": spec.short_name,
                    "kind": spec.kind,
                    "sector": Sector.PUBLIC,
                    "size_band": spec.size,
                    "jurisdiction": spec.jurisdiction,
                    "parent": self.orgs[spec.parent] if spec.parent else None,
                },
            )

    def programs_(self) -> None:
        consortium = self.upsert(
            Program,
            {"name": CONSORTIUM_PROGRAM},
            {
                "short_name": "Bayshore MTEP",
                "shape": ProgramShape.CONSORTIUM_EXCHANGE,
                "description": (
                    "Twelve cities, towns, special districts and the county of Bayshore "
                    "nominate high-potential employees for three-month stretch assignments in "
                    "another agency. The county's Human Resources Department runs the program "
                    "for the consortium. A panel of managers and HR professionals interviews "
                    "the nominees and matches them to assignments; an agency that sends "
                    "someone generally receives someone. Host supervisors coach the "
                    "participants; learning forums and monthly support sessions run alongside. "
                    "The agencies share the costs, with a seed grant from the county and a "
                    "corporate sponsor."
                ),
                "administering_organization": self.orgs[CONSORTIUM_ADMIN_ORG.key],
                "min_assignment_months": 3,
                "max_assignment_months": 3,
                "reciprocity": Reciprocity.BALANCED,
                "balance_tolerance": 1,
                "eligibility": (
                    "Permanent employees of a participating agency in a supervisory, "
                    "professional or mid-management position, with at least three years of "
                    "service and the support of their department head."
                ),
                "min_years_of_service": 3,
                "max_moves": None,
            },
        )
        consortium.participating_organizations.set(
            [self.orgs[spec.key] for spec in CONSORTIUM_ORGS]
        )
        alberta = self.upsert(
            Program,
            {"name": ALBERTA_PROGRAM},
            {
                "short_name": "Alberta ESMMP",
                "shape": ProgramShape.MINISTRY_MOBILITY,
                "description": (
                    "Secondments of 12 to 18 months between ministries for directors, "
                    "executive directors and assistant deputy ministers: a similar function "
                    "under different circumstances, or a completely new line of work. "
                    "Demand-driven: the number of secondments follows the need, not a target."
                ),
                "administering_organization": self.orgs[ALBERTA_ADMIN_ORG.key],
                "min_assignment_months": 12,
                "max_assignment_months": 18,
                "reciprocity": Reciprocity.NONE,
                "balance_tolerance": 0,
                "eligibility": (
                    "Directors, executive directors and assistant deputy ministers of a "
                    "participating ministry, nominated by their deputy minister."
                ),
                "min_years_of_service": 5,
                "max_moves": None,
            },
        )
        alberta.participating_organizations.set(
            [self.orgs[spec.key] for spec in ALBERTA_MINISTRIES]
        )
        self.programs = {CONSORTIUM_PROGRAM: consortium, ALBERTA_PROGRAM: alberta}

    # -- people --------------------------------------------------------------------------------

    def people_(self, specs: list[PersonSpec], program_orgs: list[OrgSpec]) -> None:
        domains = {spec.key: spec.domain for spec in ALL_ORGS}
        for spec in specs:  # supervisors come before the people they supervise
            email = _email(spec.first_name, spec.last_name, domains[spec.org])
            rng = random.Random(f"talent-exchange-demo:{email}")
            track = TRACKS[spec.track]
            person = self.upsert(
                Person,
                {"work_email": email},
                {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "organization": self.orgs[spec.org],
                    "position_title": spec.title,
                    "classification": spec.classification,
                    "years_of_service": spec.years,
                    "supervisor": self.people[spec.supervisor] if spec.supervisor else None,
                    "education": rng.choice(track.education),
                    "languages": spec.languages,
                    **_would_take(spec.title, track, rng),
                    "career_goals": rng.choice(track.goals),
                },
            )
            self.people[spec.key] = person
            person.skills.set([self.skills[name] for name in _skill_names(track, rng)])
            person.designations.set([self.designations[name] for name in spec.designations])
            self.mobility_history(person, spec, rng, [o.key for o in program_orgs])

    def mobility_history(
        self, person: Person, spec: PersonSpec, rng: random.Random, org_keys: list[str]
    ) -> None:
        """Earlier assignments: more for longer careers, none for the newest people. Some were
        in another organisation (an exchange or a secondment), some at home (acting roles,
        task forces)."""
        provincial = spec.track.startswith("ab_")
        count = 0 if spec.years < 5 else rng.choice((0, 1, 1, 2, 2))
        if count == 0:
            return
        # Fixed years rather than ones relative to today, so the history does not drift; the
        # last assignment ended before 2026 (a secondment of 18 months starting in 2024).
        last_year = 2024 if provincial else 2025
        first_year = 2026 - spec.years + 2
        years = sorted(rng.sample(range(first_year, last_year + 1), count))
        away_titles = rng.sample(SECONDMENT_TITLES if provincial else EXCHANGE_TITLES, count)
        home_titles = rng.sample(TRACKS[spec.track].past_assignments, count)
        for year, away_title, home_title in zip(years, away_titles, home_titles, strict=True):
            started = date(year, rng.choice((1, 2, 3, 4, 9, 10)), 1)
            if rng.random() < 0.6:
                title = away_title
                hosts = [k for k in org_keys if k != spec.org]
                if "City Manager" in title:
                    hosts = [k for k in hosts if self.orgs[k].kind == Kind.CITY]
                host_key = rng.choice(hosts)
                kind = AssignmentType.SECONDMENT if provincial else AssignmentType.EXCHANGE
                months = rng.choice((12, 15, 18)) if provincial else 3
            else:
                host_key, title = spec.org, home_title
                kind, months = rng.choice(
                    (
                        (AssignmentType.ROTATION, 6),
                        (AssignmentType.DETAIL, 4),
                        (AssignmentType.INTERAGENCY_PROJECT, 9),
                    )
                )
            ended = _add_months(started, months) - timedelta(days=1)
            self.upsert(
                MobilityRecord,
                {"person": person, "started_on": started},
                {
                    "assignment_type": kind,
                    "title": title,
                    "host_organization": self.orgs[host_key],
                    "host_name": "",
                    "ended_on": ended if ended < self.today else None,
                },
            )

    # -- accounts ------------------------------------------------------------------------------

    def accounts(self) -> None:
        for spec in USERS:
            user = self.upsert(
                User,
                {"username": spec.username},
                {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": spec.email,
                    "is_staff": spec.is_staff,
                    "is_superuser": False,
                    "is_active": True,
                },
            )
            if not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.users[spec.username] = user
            if spec.person:
                self.upsert(Person, {"pk": self.people[spec.person].pk}, {"user": user})

    def grant(self, username: str, role: str, **scope) -> None:
        lookup = {
            "user": self.users[username],
            "role": role,
            "revoked_at": None,
            "program": None,
            "organization": None,
            "cycle": None,
            **scope,
        }
        if not RoleGrant.objects.filter(**lookup).exists():
            RoleGrant.objects.create(**lookup)
            self.created[RoleGrant._meta.verbose_name_plural] += 1
        forget_roles(self.users[username])

    def program_roles(self) -> None:
        consortium = self.programs[CONSORTIUM_PROGRAM]
        alberta = self.programs[ALBERTA_PROGRAM]
        self.grant("admin", Role.PROGRAM_ADMIN, program=consortium)
        self.grant("alberta", Role.PROGRAM_ADMIN, program=alberta)
        self.grant("coordinator", Role.COORDINATOR, organization=self.orgs["MB"])
        self.grant("coordinator2", Role.COORDINATOR, organization=self.orgs["CH"])
        self.grant("supervisor", Role.SUPERVISOR, organization=self.orgs["MB"])
        self.grant("participant", Role.PARTICIPANT)
        self.grant("board", Role.BOARD_REVIEWER, program=alberta)
        self.grant("auditor", Role.AUDITOR)

    # -- cycles --------------------------------------------------------------------------------

    def cycles(self) -> None:
        admins = {CONSORTIUM_PROGRAM: self.users["admin"], ALBERTA_PROGRAM: self.users["alberta"]}
        for spec in CYCLES:
            program = self.programs[spec.program]
            admin = admins[spec.program]
            cycle = self.upsert(Cycle, {"program": program, "name": spec.name}, {})
            for phase, (opens, closes) in spec.phases.items():
                self.upsert(
                    CyclePhase,
                    {"cycle": cycle, "phase": phase},
                    {
                        "opens_on": self.today + timedelta(days=opens),
                        "closes_on": self.today + timedelta(days=closes),
                        "owner": admin,
                    },
                )
            # Advance through the real service so the transitions are recorded as history.
            # A cycle someone has already moved further (while trying the demo) stays there.
            while PHASE_ORDER.index(cycle.state) < PHASE_ORDER.index(spec.state):
                target = PHASE_ORDER[PHASE_ORDER.index(cycle.state) + 1]
                cycle = move_cycle(cycle, target, actor=admin, note=TRANSITION_NOTES[target])
                self.created["cycle transitions"] += 1
        current = Cycle.objects.get(
            program=self.programs[CONSORTIUM_PROGRAM], name=CURRENT_CONSORTIUM_CYCLE
        )
        self.grant("panelist", Role.PANELIST, cycle=current)
        self.current_cycle = current

    # -- the current exchange cycle --------------------------------------------------------------

    def exchange(self) -> None:
        seed_exchange(self, self.current_cycle)


def seed(stdout: TextIO | None = None, *, today: date | None = None) -> DemoSummary:
    """Load the demo data (idempotent) and return what is there. Writes the demo logins to
    ``stdout`` when given."""
    seeder = _Seeder(today or timezone.localdate())
    with transaction.atomic():
        seeder.vocabulary()
        seeder.organizations()
        seeder.programs_()
        seeder.people_(CONSORTIUM_PEOPLE, CONSORTIUM_ORGS)
        seeder.people_(ALBERTA_PEOPLE, ALBERTA_MINISTRIES)
        seeder.accounts()
        seeder.program_roles()
        seeder.cycles()
        seeder.exchange()
    placements = _seed_placements(stdout)
    if placements:
        seeder.created["placements"] += placements
    summary = DemoSummary(
        organizations=len(seeder.orgs),
        programs=len(seeder.programs),
        cycles=len(CYCLES),
        people=len(seeder.people),
        users=len(seeder.users),
        created=seeder.created,
    )
    if stdout is not None:
        stdout.write(format_summary(summary))
    return summary


def _seed_placements(stdout: TextIO | None) -> int:
    """The placements app's demo placements of the closed cycle, when that app has them."""
    if importlib.util.find_spec("talent_exchange.placements.demo") is None:
        return 0
    from talent_exchange.placements.demo import seed_placements

    return seed_placements(stdout) or 0


def format_summary(summary: DemoSummary) -> str:
    created = ", ".join(f"{what}: {n}" for what, n in sorted(summary.created.items()))
    lines = [
        f"Demo data: {summary.organizations} organisations, {summary.programs} programs, "
        f"{summary.cycles} cycles, {summary.people} people, {summary.users} demo accounts.",
        f"Created this run: {created or 'nothing (already seeded)'}.",
        "",
        f"Demo logins (password for all: {DEMO_PASSWORD}):",
    ]
    width = max(len(p.username) for p in PERSONAS)
    role_width = max(len(str(p.role)) for p in PERSONAS)
    lines.append(f"  {'username'.ljust(width)}  {'role'.ljust(role_width)}  sees")
    lines.extend(
        f"  {p.username.ljust(width)}  {str(p.role).ljust(role_width)}  {p.sees}" for p in PERSONAS
    )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _email(first: str, last: str, domain: str) -> str:
    def part(name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return "".join(c for c in ascii_name.lower() if c.isalnum() or c == "-")

    return f"{part(first)}.{part(last)}@{domain}"


def _would_take(title: str, track: Track, rng: random.Random) -> dict[str, str]:
    """Three assignments the person would take; seed 003's idea for their position first."""
    idea = ASSIGNMENT_IDEAS.get(title) or (
        ASSIGNMENT_IDEAS["Inspector"] if title.endswith("Inspector") else None
    )
    others = [t for t in track.would_take if t != idea]
    picks = ([idea] if idea else []) + rng.sample(others, 3 if idea is None else 2)
    return {f"would_take_{i}": pick for i, pick in enumerate(picks, start=1)}


def _skill_names(track: Track, rng: random.Random) -> list[str]:
    names = rng.sample(track.skills, rng.choice((4, 5)))
    names += rng.sample(track.competencies, rng.choice((2, 3)))
    if track.tags and rng.random() < 0.4:
        names.append(rng.choice(track.tags))
    return names


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
