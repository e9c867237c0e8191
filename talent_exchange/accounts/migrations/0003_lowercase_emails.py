"""E-mail addresses in lower case (accounts.User.save keeps them so from now on): people sign
in with their address in any case. An address that differs from another only by case is left
as it is, for an operator to sort out (the unique constraint would refuse it)."""

from django.db import migrations


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: dict[str, int] = {}
    for user in User.objects.exclude(email="").only("pk", "email").order_by("pk"):
        low = user.email.strip().lower()
        seen[low] = seen.get(low, 0) + 1
    for user in User.objects.exclude(email="").only("pk", "email"):
        low = user.email.strip().lower()
        if low != user.email and seen[low] == 1:
            User.objects.filter(pk=user.pk).update(email=low)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
