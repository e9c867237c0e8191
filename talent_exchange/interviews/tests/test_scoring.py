"""The interview score roll-up (scoring.interview_scores) and recording scores."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.interviews.models import Score
from talent_exchange.interviews.scoring import interview_scores
from talent_exchange.interviews.services import record_scores

pytestmark = pytest.mark.django_db


def _score(iv, user, leadership, judgement, assignment=None):
    record_scores(
        assignment or iv.a1,
        {iv.leadership.pk: (leadership, "note"), iv.judgement.pk: (judgement, "")},
        actor=iv.users[user],
    )


def test_weighted_mean_of_panelists_averages(interviews):
    iv = interviews
    assert interview_scores(iv.world.cycle) == {}
    _score(iv, "panelist", 5, 4)  # full marks
    assert interview_scores(iv.world.cycle) == {iv.nom_a.pk: 100.0}
    _score(iv, "panelist2", 3, 2)
    # leadership: mean 4 of 5 = 0.8, weight 2; judgement: mean 3 of 4 = 0.75, weight 1
    assert interview_scores(iv.world.cycle) == {iv.nom_a.pk: round(100 * (2 * 0.8 + 0.75) / 3, 2)}
    _score(iv, "panelist3", 0, 0, assignment=iv.a2)
    assert interview_scores(iv.world.cycle)[iv.nom_b.pk] == 0.0


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 5), st.integers(0, 4), st.integers(0, 5), st.integers(0, 4))
def test_score_stays_between_0_and_100(interviews, l1, j1, l2, j2):
    iv = interviews
    _score(iv, "panelist", l1, j1)
    _score(iv, "panelist2", l2, j2)
    value = interview_scores(iv.world.cycle)[iv.nom_a.pk]
    assert 0 <= value <= 100
    expected = 100 * (2 * ((l1 + l2) / 2 / 5) + ((j1 + j2) / 2 / 4)) / 3
    assert value == pytest.approx(expected, abs=0.01)


def test_a_criterion_with_weight_zero_is_left_out(interviews):
    iv = interviews
    iv.judgement.weight = 0
    iv.judgement.save()
    _score(iv, "panelist", 4, 0)
    assert interview_scores(iv.world.cycle) == {iv.nom_a.pk: 80.0}


def test_scores_are_checked(interviews):
    iv = interviews
    with pytest.raises(ActionRefused, match="every criterion"):
        record_scores(iv.a1, {iv.leadership.pk: (3, "")}, actor=iv.users["panelist"])
    with pytest.raises(ActionRefused, match="0 to 4"):
        _score(iv, "panelist", 3, 5)
    for outsider in ("panelist3", "admin", "coord_a", "participant"):
        with pytest.raises(PermissionDenied):
            _score(iv, outsider, 3, 3)
    assert not Score.objects.exists()


def test_changing_a_score_keeps_one_row_per_criterion_and_history(interviews):
    iv = interviews
    _score(iv, "panelist", 3, 3)
    _score(iv, "panelist", 4, 3)
    assert Score.objects.filter(assignment=iv.a1).count() == 2
    row = Score.objects.get(criterion=iv.leadership)
    assert row.score == 4
    assert list(row.history.values_list("score", flat=True)) == [4, 3]
    assert row.history.first().history_user == iv.users["panelist"]


def test_coordinators_read_no_scores(interviews):
    iv = interviews
    _score(iv, "panelist", 3, 3)
    _score(iv, "panelist3", 2, 2, assignment=iv.a2)
    assert not Score.objects.visible_to(iv.users["coord_a"]).exists()
    assert not Score.objects.visible_to(iv.users["coord_b"]).exists()
    assert Score.objects.visible_to(iv.users["admin"]).count() == 4
    assert set(
        Score.objects.visible_to(iv.users["panelist"]).values_list("assignment", flat=True)
    ) == {iv.a1.pk}
