"""QuickFormRenderer (core/forms.py) writes the field groups, text boxes and selects of the
list pages' filter forms in Python: it must give the templates' HTML to the byte, for every
filter form, bound or not, valid or not, and escape what it is given as the templates do."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from talent_exchange.audit.views import AuditFilterForm
from talent_exchange.core.forms import FilterForm, QuickFormRenderer, USWDSFormRenderer
from talent_exchange.nominations.filters import NominationFilter
from talent_exchange.opportunities.filters import OpportunityFilter
from talent_exchange.people.filters import PersonFilter

pytestmark = pytest.mark.django_db

QUICK = QuickFormRenderer()
TEMPLATES = USWDSFormRenderer()


def _both_ways(form: forms.BaseForm) -> None:
    assert form.renderer is QUICK or isinstance(form.renderer, QuickFormRenderer)
    for field in form:
        quick = field.as_field_group()
        form.renderer = TEMPLATES
        by_templates = field.as_field_group()
        form.renderer = QUICK
        assert quick == by_templates, field.name


HOSTILE = '"><script>alert(1)</script>&'


class Sample(FilterForm):
    """Every kind of control a filter form has, with awkward content."""

    text = forms.CharField(label=HOSTILE, help_text=HOSTILE, required=False)
    required_text = forms.CharField(label="Needed", max_length=5)
    number = forms.IntegerField(label="Number", required=False, min_value=1)
    day = forms.DateField(label="From", required=False, widget=forms.DateInput)
    mail = forms.EmailField(label="E-mail", required=False)
    choice = forms.ChoiceField(
        label="Choice",
        required=False,
        choices=[("", "Any"), (HOSTILE, HOSTILE), ("Group", [("1", "One"), ("2", "Two")])],
    )
    safe_hint = forms.CharField(
        label=mark_safe("<em>Safe</em> label"),
        help_text=mark_safe('See <a href="/x/">the guide</a>'),
        required=False,
    )
    several = forms.MultipleChoiceField(
        label="Several", required=False, choices=[("a", "A"), ("b", "B")]
    )
    ticks = forms.MultipleChoiceField(
        label="Ticks",
        required=False,
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
    )
    tick = forms.BooleanField(label="Tick", required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": HOSTILE, "required_text": "ok", "number": "3", "choice": HOSTILE},
        {"text": "x", "required_text": "far too long", "number": "zero", "day": "nope"},
        {"required_text": "", "choice": "not offered", "mail": HOSTILE, "several": ["a", "z"]},
        {"required_text": "ok", "choice": "2", "several": ["b"], "ticks": ["a"], "tick": "on"},
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_kind_of_control_renders_as_the_templates_do(data, language):
    with translation.override(language):
        form = Sample(data)
        form.is_valid()
        _both_ways(form)


def test_hostile_text_is_escaped():
    form = Sample({"text": HOSTILE, "required_text": "ok", "choice": HOSTILE})
    form.is_valid()
    html = form["text"].as_field_group() + form["choice"].as_field_group()
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
    assert '<a href="/x/">the guide</a>' in form["safe_hint"].as_field_group()


@pytest.fixture
def request_of(world):
    def make(role: str, **params):
        request = RequestFactory().get("/", params)
        request.user = world.users[role]
        request.cycle = world.cycle
        return request

    return make


FILTERS = [PersonFilter, OpportunityFilter, NominationFilter]
FILTER_DATA = [
    None,
    {"q": HOSTILE, "status": "nope", "assignment_type": "nope", "organization": "999999"},
    {"q": "a", "organization_find": "alpha", "home_organization_find": "alpha", "skill": "1"},
]


@pytest.mark.parametrize("filterset_class", FILTERS)
@pytest.mark.parametrize("data", FILTER_DATA)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_lists_filter_forms_render_as_the_templates_do(
    filterset_class, data, language, request_of
):
    with translation.override(language):
        request = request_of("admin", **(data or {}))
        filterset = filterset_class(
            data, queryset=filterset_class._meta.model.objects.all(), request=request
        )
        filterset.is_valid()
        _both_ways(filterset.form)
        assert str(filterset.refreshed_choices())  # the htmx swap of the select's options


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"kind": "person"},
        {
            "kind": HOSTILE,
            "object_id": "-1",
            "since": "2026-12-02",
            "until": "2026-01-01",
            "actor": HOSTILE,
        },
    ],
)
def test_the_audit_filter_renders_as_the_templates_do(data):
    form = AuditFilterForm(data)
    form.is_valid()
    _both_ways(form)


def test_text_boxes_and_selects_skip_the_template_engine(monkeypatch):
    def no_template(self, template_name):
        raise AssertionError(f"{template_name} rendered by the template engine")

    monkeypatch.setattr(USWDSFormRenderer, "get_template", no_template)
    form = Sample({"text": "x", "required_text": "far too long", "choice": "2"})
    form.is_valid()
    for name in ("text", "required_text", "number", "day", "mail", "choice", "several"):
        assert f'id="{name}-group"' in form[name].as_field_group()
