"""Nominees endorsed before the participant role came with the endorsement get it now."""

from django.db import migrations



def grant(apps, schema_editor):
    Nomination = apps.get_model("nominations", "Nomination")
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    users = set(
        Nomination.objects.filter(status="endorsed", person__user__isnull=False).values_list(
            "person__user_id", flat=True
        )
    )
    holding = set(
        RoleGrant.objects.filter(
            role="participant", revoked_at__isnull=True, user_id__in=users
        ).values_list("user_id", flat=True)
    )
    RoleGrant.objects.bulk_create(
        RoleGrant(user_id=user_id, role="participant") for user_id in sorted(users - holding)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0006_import_links_from_site_url"),
        ("accounts", "0002_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
