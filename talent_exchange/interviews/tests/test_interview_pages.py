"""Interview pages: the permission matrix, panels, scoring form, roll-up and dashboards."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from talent_exchange.interviews.models import Panel, RubricCriterion, Score
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.programs.models import Cycle

from .factories import PanelAssignmentFactory

pytestmark = pytest.mark.django_db

# role × object × action. Objects: a1 = the candidate of panel one (panelist, panelist2),
# a2 = the candidate of panel two (panelist3).
SCORE_PAGE = {
    "panelist": (200, 404),  # a panelist cannot open another panel's candidate
    "panelist2": (200, 404),
    "panelist3": (404, 200),
    "admin": (403, 403),  # administrators read scores, they do not give them
    "auditor": (403, 403),
    "coord_a": (404, 404),
    "coord_b": (404, 404),
    "participant": (403, 404),  # the candidate sees their interview, never a score form
    "supervisor": (404, 404),
    "nobody": (404, 404),
}


@pytest.mark.parametrize(("role", "expected"), list(SCORE_PAGE.items()))
def test_score_page_matrix(interviews, client_for, role, expected):
    client = client_for(interviews.users[role])
    for assignment, status in zip((interviews.a1, interviews.a2), expected, strict=True):
        url = reverse("interviews:score", args=[assignment.pk])
        assert client.get(url).status_code == status, (role, assignment)
        client.post(
            url, {f"score_{interviews.leadership.pk}": 1, f"score_{interviews.judgement.pk}": 1}
        )
    scored = set(Score.objects.values_list("assignment_id", flat=True))
    allowed = {
        a.pk for a, s in zip((interviews.a1, interviews.a2), expected, strict=True) if s == 200
    }
    assert scored == allowed


ROLL_UP = {
    "admin": 200,
    "auditor": 200,
    "coord_a": 403,  # a coordinator cannot read interview scores, of any organisation
    "coord_b": 403,
    "panelist": 403,
    "participant": 403,
    "board": 403,
    "nobody": 404,
}


@pytest.mark.parametrize(("role", "status"), list(ROLL_UP.items()))
def test_interview_scores_roll_up_matrix(interviews, client_for, role, status):
    iv = interviews
    client_for(iv.users["panelist3"]).post(
        reverse("interviews:score", args=[iv.a2.pk]),
        {
            f"score_{iv.leadership.pk}": 4,
            f"score_{iv.judgement.pk}": 2,
            f"notes_{iv.leadership.pk}": "Sharp",
        },
    )
    response = client_for(iv.users[role]).get(
        reverse("interviews:scores", args=[iv.world.cycle.pk])
    )
    assert response.status_code == status
    body = response.content.decode()
    # Bea Beta (City B): (2 × 4/5 + 2/4) / 3 = 70.0
    assert ("70.0" in body) == (status == 200)


def test_panelist_scores_with_the_form(interviews, client_for):
    iv = interviews
    client = client_for(iv.users["panelist"])
    url = reverse("interviews:score", args=[iv.a1.pk])
    page = client.get(url).content.decode()
    assert "Leadership: score from 0 to 5" in page and "Judgement: notes" in page
    response = client.post(url, {f"score_{iv.leadership.pk}": 9, f"score_{iv.judgement.pk}": 2})
    assert response.status_code == 200 and "usa-error-message" in response.content.decode()
    assert not Score.objects.exists()
    response = client.post(
        url,
        {
            f"score_{iv.leadership.pk}": 5,
            f"score_{iv.judgement.pk}": 2,
            f"notes_{iv.judgement.pk}": "Hesitant",
        },
    )
    assert response.status_code == 302
    assert Score.objects.get(criterion=iv.judgement).notes == "Hesitant"
    page = client.get(url).content.decode()
    assert 'value="5"' in page and "Hesitant" in page


def test_admin_forms_a_panel_of_cycle_panelists_only(interviews, client_for):
    iv = interviews
    admin = client_for(iv.users["admin"])
    url = reverse("interviews:panel_create", args=[iv.world.cycle.pk])
    page = admin.get(url).content.decode()
    assert "Panelist3 Panel" in page
    assert iv.users["coord_a"].get_full_name() not in page
    response = admin.post(url, {"name": "Panel three", "members": [iv.users["coord_a"].pk]})
    assert response.status_code == 200
    assert not Panel.objects.filter(name="Panel three").exists()
    response = admin.post(
        url,
        {
            "name": "Panel three",
            "location": "Online",
            "members": [iv.users["panelist3"].pk, iv.users["panelist"].pk],
        },
    )
    panel = Panel.objects.get(name="Panel three")
    assert response.status_code == 302
    assert set(panel.members.all()) == {iv.users["panelist3"], iv.users["panelist"]}
    assert client_for(iv.users["coord_a"]).get(url).status_code == 403


def test_admin_assigns_and_removes_candidates(interviews, client_for):
    iv = interviews
    admin = client_for(iv.users["admin"])
    page = admin.get(reverse("interviews:panel", args=[iv.panel2.pk])).content.decode()
    assert "Ada Alpha — City of Alpha" in page  # offered: endorsed and not on this panel
    admin.post(reverse("interviews:panel_assign", args=[iv.panel2.pk]), {"nomination": iv.nom_a.pk})
    assert iv.panel2.assignments.filter(nomination=iv.nom_a).exists()
    pending = NominationFactory(
        cycle=iv.world.cycle, person=iv.world.outsider, status="awaiting_endorsement"
    )
    admin.post(reverse("interviews:panel_assign", args=[iv.panel2.pk]), {"nomination": pending.pk})
    assert not iv.panel2.assignments.filter(nomination=pending).exists()
    added = iv.panel2.assignments.get(nomination=iv.nom_a)
    admin.post(reverse("interviews:remove", args=[added.pk]))
    assert not iv.panel2.assignments.filter(nomination=iv.nom_a).exists()
    response = client_for(iv.users["panelist3"]).post(
        reverse("interviews:panel_assign", args=[iv.panel2.pk]), {"nomination": iv.nom_a.pk}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "panel1", "panel2"),
    [
        ("admin", 200, 200),
        ("panelist", 200, 404),
        ("panelist3", 404, 200),
        ("coord_a", 404, 404),
        ("participant", 404, 404),
    ],
)
def test_panel_page_matrix(interviews, client_for, role, panel1, panel2):
    client = client_for(interviews.users[role])
    assert (
        client.get(reverse("interviews:panel", args=[interviews.panel1.pk])).status_code == panel1
    )
    assert (
        client.get(reverse("interviews:panel", args=[interviews.panel2.pk])).status_code == panel2
    )


def test_panelist_sees_only_their_panels_on_the_cycle_page(interviews, client_for):
    iv = interviews
    body = (
        client_for(iv.users["panelist3"])
        .get(reverse("interviews:cycle", args=[iv.world.cycle.pk]))
        .content.decode()
    )
    assert "Panel two" in body and "Panel one" not in body
    assert (
        client_for(iv.users["coord_a"])
        .get(reverse("interviews:cycle", args=[iv.world.cycle.pk]))
        .status_code
        == 403
    )


def test_list_pages_query_count_does_not_grow(
    interviews, client_for, django_assert_max_num_queries
):
    iv = interviews
    admin = client_for(iv.users["admin"])
    urls = [
        reverse("interviews:cycle", args=[iv.world.cycle.pk]),
        reverse("interviews:scores", args=[iv.world.cycle.pk]),
        reverse("interviews:panel", args=[iv.panel1.pk]),
    ]
    baseline = {}
    for url in urls:
        admin.get(url)
        with django_assert_max_num_queries(30) as counted:
            admin.get(url)
        baseline[url] = len(counted.captured_queries)
    for _ in range(8):
        nomination = NominationFactory(cycle=iv.world.cycle, person__organization=iv.world.city_b)
        PanelAssignmentFactory(panel=iv.panel1, nomination=nomination)
        Score.objects.create(
            assignment=nomination.panel_assignments.get(),
            panelist=iv.users["panelist"],
            criterion=iv.leadership,
            score=3,
        )
    for url in urls:
        with django_assert_max_num_queries(baseline[url]):
            response = admin.get(url)
        assert response.status_code == 200


def test_the_score_roll_up_is_paged_by_name_and_scores_only_its_page(
    interviews, client_for, settings
):
    """A national cycle has thousands of interviewed candidates (issue 17): the roll-up shows
    a page of them, in name order, with the score of each one on the page."""
    iv = interviews
    settings.PAGE_SIZE = 3
    for index in range(5):
        nomination = NominationFactory(
            cycle=iv.world.cycle,
            person__organization=iv.world.city_b,
            person__last_name=f"Zulu{index}",
        )
        PanelAssignmentFactory(panel=iv.panel1, nomination=nomination)
        Score.objects.create(
            assignment=nomination.panel_assignments.get(),
            panelist=iv.users["panelist"],
            criterion=iv.leadership,
            score=index + 1,
        )
    admin = client_for(iv.users["admin"])
    url = reverse("interviews:scores", args=[iv.world.cycle.pk])
    names: list[str] = []
    page_number, pages = 1, 1
    while page_number <= pages:
        body = admin.get(url, {"page": page_number}).content.decode()
        rows = re.findall(r'<th scope="row">([^<]+)</th>', body)
        assert 1 <= len(rows) <= 3
        pages = int(re.search(r"Page \d+ of (\d+)", body).group(1)) if pages == 1 else pages
        if "Zulu4" in body:
            # Zulu4's only mark: 5 of 5 on leadership → 100.
            assert "100.0" in body.split("Zulu4", 1)[1].split("</tr>", 1)[0]
        names += rows
        page_number += 1
    zulus = [name.split()[-1] for name in names if "Zulu" in name]
    assert zulus == [f"Zulu{index}" for index in range(5)]  # each once, in name order
    assert len(names) == len(set(names)) and len(names) > 5


def test_dashboards(interviews, client_for):
    iv = interviews
    body = client_for(iv.users["panelist"]).get(reverse("core:dashboard")).content.decode()
    assert "Candidates to score (1 left)" in body
    client_for(iv.users["panelist"]).post(
        reverse("interviews:score", args=[iv.a1.pk]),
        {f"score_{iv.leadership.pk}": 3, f"score_{iv.judgement.pk}": 3},
    )
    body = client_for(iv.users["panelist"]).get(reverse("core:dashboard")).content.decode()
    assert "Candidates to score (0 left)" in body
    body = client_for(iv.users["admin"]).get(reverse("core:dashboard")).content.decode()
    assert "Interview progress (scored / assigned)" in body
    assert "0 / 2" in body  # panel one still waits for panelist2
    cycle_page = client_for(iv.users["panelist"]).get(
        reverse("programs:cycle", args=[iv.world.cycle.pk])
    )
    assert reverse("interviews:cycle", args=[iv.world.cycle.pk]) in cycle_page.content.decode()


def test_rubric_is_edited_in_the_django_admin_by_the_program_administrator(interviews, client_for):
    iv = interviews
    admin = client_for(iv.users["admin"])
    response = admin.post(
        reverse("admin:interviews_rubriccriterion_add"),
        {
            "program": iv.world.program.pk,
            "order": 3,
            "name": "Curiosity",
            "description": "",
            "weight": "1.5",
            "max_score": 5,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert RubricCriterion.objects.filter(name="Curiosity", program=iv.world.program).exists()
    assert admin.get(reverse("admin:interviews_score_changelist")).status_code == 200
    auditor = client_for(iv.users["auditor"])
    response = auditor.post(
        reverse("admin:interviews_rubriccriterion_change", args=[iv.leadership.pk]),
        {
            "program": iv.world.program.pk,
            "order": 1,
            "name": "Renamed",
            "weight": "2",
            "max_score": 5,
        },
    )
    assert response.status_code == 403
    iv.leadership.refresh_from_db()
    assert iv.leadership.name == "Leadership"


def test_candidate_sees_their_interview_time_but_no_score(interviews, client_for):
    iv = interviews
    from datetime import UTC, datetime

    iv.a1.starts_at = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    iv.a1.ends_at = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    iv.a1.save()
    client_for(iv.users["panelist"]).post(
        reverse("interviews:score", args=[iv.a1.pk]),
        {f"score_{iv.leadership.pk}": 3, f"score_{iv.judgement.pk}": 3},
    )
    body = client_for(iv.users["participant"]).get(reverse("core:dashboard")).content.decode()
    assert "Your interviews" in body
    assert reverse("interviews:slot_ics", args=[iv.a1.pk]) in body
    assert "Panel one" in body and "3 Dec 2026 17:00" in body
    assert "Leadership" not in body


def _error_summary(html: str) -> str:
    match = re.search(
        r'<div class="usa-alert usa-alert--error"[^>]*id="error-summary">.*?</div>\s*</div>',
        html,
        re.S,
    )
    assert match, "the page shows no error summary"
    return match.group(0)


def test_a_refusal_is_shown_the_same_way_on_two_pages(interviews, client_for):
    """Refused by the service (the cycle is closed), a panelist's scores and a coordinator's
    new opportunity come back as their form, the refusal at the top in the same summary."""
    iv = interviews
    Cycle.objects.filter(pk=iv.world.cycle.pk).update(state="closed")
    scores = client_for(iv.users["panelist"]).post(
        reverse("interviews:score", args=[iv.a1.pk]),
        {f"score_{iv.leadership.pk}": 5, f"score_{iv.judgement.pk}": 2},
    )
    posting = client_for(iv.users["coord_a"]).post(
        reverse("opportunities:create", args=[iv.world.cycle.pk]),
        {
            "host_organization": iv.world.city_a.pk,
            "assignment_type": "detail",
            "title": "Performance auditor",
            "description": "Audit three programmes.",
            "duration_months": 3,
            "start_earliest": "2027-03-01",
            "start_latest": "2027-04-01",
            "location": "Alameda",
            "workplace": "hybrid",
            "capacity": 2,
        },
    )
    shown = []
    for response, message in (
        (scores, "Interview scores are closed for this cycle."),
        (
            posting,
            "This cycle is in the Closed phase; opportunities can be posted and reviewed only "
            "until the opportunities phase ends.",
        ),
    ):
        assert response.status_code == 200
        summary = _error_summary(response.content.decode())
        assert f"<li>{escape(message)}</li>" in summary
        shown.append(summary.replace(f"<li>{escape(message)}</li>", "<li>…</li>"))
    assert shown[0] == shown[1]
    assert not Score.objects.exists()
    assert not Opportunity.objects.filter(title="Performance auditor").exists()
