"""``seed_scale``: build the scale dataset (100,000 people, a 10,000-participant cycle)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from talent_exchange.nonprod.scale import (
    SCALE_ACCOUNTS,
    SCALE_PASSWORD,
    ScaleDataExists,
    ScaleSize,
    seed_scale,
)


class Command(BaseCommand):
    help = (
        "Build a large, realistic dataset for benchmarks and evaluation, in bulk, into a "
        "database without one. Reproducible: the same arguments give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=ScaleSize.people)
        parser.add_argument("--organizations", type=int, default=ScaleSize.organizations)
        parser.add_argument("--participants", type=int, default=ScaleSize.participants)
        parser.add_argument(
            "--rankings-per-participant", type=int, default=ScaleSize.rankings_per_participant
        )
        parser.add_argument("--seed", type=int, default=ScaleSize.seed)

    def handle(self, *args: object, **options: int) -> None:
        size = ScaleSize(
            people=options["people"],
            organizations=options["organizations"],
            participants=options["participants"],
            rankings_per_participant=options["rankings_per_participant"],
            seed=options["seed"],
        )
        if size.organizations < 2 or size.people < size.organizations * len(SCALE_ACCOUNTS):
            raise CommandError(
                "Need at least two organisations and "
                f"{len(SCALE_ACCOUNTS)} people per organisation."
            )
        if size.participants > size.people - len(SCALE_ACCOUNTS):
            raise CommandError("There cannot be more participants than people.")
        try:
            summary = seed_scale(size, stdout=self.stdout)
        except ScaleDataExists as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Done: {summary}"))
        self.stdout.write(
            "Accounts (password " + SCALE_PASSWORD + "): " + ", ".join(SCALE_ACCOUNTS)
        )
