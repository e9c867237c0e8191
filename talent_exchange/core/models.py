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
        return cls._default_manager.create(
            **{
                cls.subject_field: subject,
                cls.from_field: from_state,
                cls.to_field: to_state,
                cls.note_field: note,
            },
            actor=actor,
        )


class SubmissionKey(models.Model):
    """The one-time key of a creation form, kept once the creation succeeded: a second
    submission with the same key (a double click, a retry after a time-out) creates nothing
    and is sent to what the first one made. See ``core/submission.py``."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("submission key")

    def __str__(self) -> str:
        return self.key
