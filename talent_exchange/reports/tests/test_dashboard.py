import pytest
from django.urls import reverse

from .factories import populate

pytestmark = pytest.mark.django_db


def _url(world, **query):
    url = reverse("reports:dashboard", args=[world.program.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize(
    "who, status",
    [("admin", 200), ("board", 200), ("auditor", 200), ("coord_a", 403), ("participant", 403)],
)
def test_who_sees_the_dashboard(world, client_for, who, status):
    assert client_for(world.users[who]).get(_url(world)).status_code == status


def test_dashboard_shows_funnel_flow_and_cohorts(world, client_for):
    populate(world, 4)
    page = client_for(world.users["admin"]).get(_url(world)).content.decode()
    for testid in (
        "funnel-table",
        "flow-table",
        "reciprocity-table",
        "cohort-table",
        "ratings-table",
    ):
        assert f'data-testid="{testid}"' in page
    assert "City of Alpha" in page and "City of Beta" in page
    assert "<svg" in page and "<caption>" in page


def test_filters_narrow_the_figures(world, client_for):
    populate(world, 4)
    page = (
        client_for(world.users["admin"]).get(_url(world, assignment_type="detail")).content.decode()
    )
    assert "No placements match these filters." in page


def test_a_bad_period_is_shown_next_to_its_field(world, client_for):
    response = client_for(world.users["admin"]).get(
        _url(world, start="2027-05-01", end="2027-01-01")
    )
    assert response.status_code == 200
    assert "The end of the period comes before its start." in response.content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_the_dashboard_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, size
):
    populate(world, size)
    client = client_for(world.users["admin"])
    client.get(_url(world))  # warm the session and roles
    with django_assert_num_queries(QUERIES):
        assert client.get(_url(world)).status_code == 200


QUERIES = 20  # 16, and 4 for the money, attendance and compliance figures finding no data


def test_the_page_shows_a_bounded_part_of_large_flows(world, client_for, monkeypatch):
    from talent_exchange.reports import figures

    populate(world, 4)
    monkeypatch.setattr(figures, "MATRIX_ORGS", 1)
    monkeypatch.setattr(figures, "ROWS_SHOWN", 1)
    data = figures.flow(world.program, {})
    assert len(data["matrix_ids"]) == 2 and data["matrix_names"][-1] == "Other organisations"
    assert sum(data["matrix_counts"].values()) == data["total"] == 4
    assert len(data["links"]) == 1 and data["links_hidden"] == 1
    assert len(data["organisations"]) == 2 and data["organisations_hidden"] == 1
    page = client_for(world.users["admin"]).get(_url(world)).content.decode()
    assert "And 1 smaller flow" in page and "And 1 organisation with fewer placements" in page
