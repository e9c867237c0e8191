"""Small includes other apps' pages show: a participant's attendance on their placement, the
program's learning results on its results page."""

from __future__ import annotations

from typing import Any

from django import template

from ..presenters import attendance_of, program_attendance

register = template.Library()


@register.inclusion_tag("learning/_placement_attendance.html")
def placement_attendance(placement: Any) -> dict[str, Any]:
    return {
        "share": attendance_of(placement.person_id, placement.program_id, placement.cycle_id),
        "placement": placement,
    }


@register.inclusion_tag("learning/_program_attendance.html")
def learning_results(program: Any) -> dict[str, Any]:
    return {"figures": program_attendance(program.pk), "program": program}
