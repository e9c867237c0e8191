"""Placement reminders already sent (placements.SentReminder, now replaced by the outbox) are
recorded as sent notifications under their new keys, so none is sent again."""

from django.db import migrations


def copy_sent_reminders(apps, schema_editor):
    SentReminder = apps.get_model("placements", "SentReminder")
    Notification = apps.get_model("notifications", "Notification")
    db = schema_editor.connection.alias
    Notification.objects.using(db).bulk_create(
        [
            Notification(
                key=f"placements:{reminder.key}",
                template="placements/reminder",
                recipients=reminder.recipients,
                language="",
                subject="",
                sent_at=reminder.sent_at,
            )
            for reminder in SentReminder.objects.using(db)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("placements", "0002_no_overlapping_running_placements"),
    ]

    operations = [migrations.RunPython(copy_sent_reminders, migrations.RunPython.noop)]
