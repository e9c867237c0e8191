from django import forms
from django.utils.translation import gettext_lazy as _

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.forms import ModelForm
from talent_exchange.organizations.models import Organization

from .models import MobilityRecord, Person, Skill

# Kept by the employer (see people/rules.py, ``keep_employment_record``): eligibility trusts
# them, so a person editing their own profile is not offered them.
EMPLOYMENT_RECORD_FIELDS = (
    "organization",
    "work_email",
    "supervisor",
    "classification",
    "years_of_service",
    "designations",
)


class PersonForm(ModelForm):
    new_skills = forms.CharField(
        label=_("Other skills"),
        required=False,
        help_text=_("Skills not in the list, separated by commas. They are added as free tags."),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "work_email",
            "organization",
            "position_title",
            "classification",
            "years_of_service",
            "supervisor",
            "skills",
            "new_skills",
            "education",
            "languages",
            "would_take_1",
            "would_take_2",
            "would_take_3",
            "career_goals",
            "designations",
        ]
        widgets = {
            "skills": forms.CheckboxSelectMultiple,
            "designations": forms.CheckboxSelectMultiple,
            "education": forms.Textarea(attrs={"rows": 3}),
            "career_goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        skills = Skill.objects.vocabulary()
        if self.instance.pk:
            skills = (skills | Skill.objects.filter(people=self.instance.pk)).distinct()
        self.fields["skills"].queryset = skills
        self.keeps_record = not self.instance.pk or user.has_perm(
            "people.keep_employment_record", self.instance
        )
        if not self.keeps_record:
            # A person editing their own profile: the employment record is read-only.
            for name in EMPLOYMENT_RECORD_FIELDS:
                del self.fields[name]
        roles = roles_of(user)
        if "organization" in self.fields and not roles.is_superuser:
            editable = roles.admin_org_ids | roles.coordinator_org_ids
            self.fields["organization"].queryset = Organization.objects.filter(pk__in=editable)
        if "supervisor" in self.fields:
            self.fields["supervisor"].queryset = Person.objects.visible_to(user).exclude(
                pk=self.instance.pk
            )

    def clean_new_skills(self):
        names = [n.strip() for n in self.cleaned_data["new_skills"].split(",") if n.strip()]
        too_long = [n for n in names if len(n) > 100]
        if too_long:
            raise forms.ValidationError(_("A skill name can be at most 100 characters."))
        return names

    def save(self, commit=True):
        person = super().save(commit=commit)
        if commit and self.cleaned_data.get("new_skills"):
            for name in self.cleaned_data["new_skills"]:
                skill, _created = Skill.objects.get_or_create(
                    name__iexact=name, defaults={"name": name}
                )
                person.skills.add(skill)
        return person


class MobilityRecordForm(ModelForm):
    class Meta:
        model = MobilityRecord
        fields = [
            "assignment_type",
            "title",
            "host_organization",
            "host_name",
            "started_on",
            "ended_on",
        ]
        widgets = {"started_on": forms.DateInput, "ended_on": forms.DateInput}

    def clean(self):
        data = super().clean()
        if (
            data.get("ended_on")
            and data.get("started_on")
            and data["ended_on"] < data["started_on"]
        ):
            self.add_error("ended_on", _("The assignment cannot end before it starts."))
        if not data.get("host_organization") and not data.get("host_name"):
            self.add_error("host_name", _("Choose the host organisation or type its name."))
        return data
