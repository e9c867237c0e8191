"""Model bases shared by the domain apps."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class TransitionRecord(models.Model):
    """An immutable record of one move of a workflow (a cycle, an opportunity, a placement)
    from one state to another: who made it and when. Subclasses add the object and the two
    states. Once written it can be neither changed nor deleted.

    A subclass names its fields for ``record`` (the workflow mechanism writes through it):
    ``subject_field`` (the object's foreign key), ``from_field``, ``to_field``, ``note_field``.
    """

    subject_field = ""
    from_field = "from_state"
    to_field = "to_state"
    note_field = "note"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A recorded transition cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A recorded transition cannot be deleted."))

    @classmethod
    def record(cls, subject, from_state: str, to_state: str, *, actor, note: str = ""):
        return cls.objects.create(
            **{
                cls.subject_field: subject,
                cls.from_field: from_state,
                cls.to_field: to_state,
                cls.note_field: note,
            },
            actor=actor,
        )
