from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "talent_exchange.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from . import search
        from .models import Designation, Person, Skill

        # Keep the stored search vector current (people/search.py).
        post_save.connect(search.on_person_saved, sender=Person, dispatch_uid="person_search")
        post_save.connect(search.on_tag_saved, sender=Skill, dispatch_uid="skill_search")
        post_save.connect(
            search.on_tag_saved, sender=Designation, dispatch_uid="designation_search"
        )
        m2m_changed.connect(
            search.on_tags_changed, sender=Person.skills.through, dispatch_uid="skills_search"
        )
        m2m_changed.connect(
            search.on_tags_changed,
            sender=Person.designations.through,
            dispatch_uid="designations_search",
        )
