"""Throughput: signed-in users of every role against gunicorn with production settings.

    .venv/bin/python bench/load_test.py                          # 100 users, 1 server, 2 min
    .venv/bin/python bench/load_test.py --users 20 --duration 60
    .venv/bin/python bench/load_test.py --servers 2 --task-workers 2 --match-run --mail 500

Against the scale dataset of ``--size`` people (built by web_bench.py's ``ensure_dataset``
into ``te_bench_<size>``, or the database named by ``--database``), this starts ``--servers``
gunicorn servers with ``--workers`` sync workers each (default: two per core in all), with the
production settings (DEBUG off, HTTPS as behind a proxy, static files through WhiteNoise from
a ``collectstatic`` into a temporary folder), then runs locust headless (bench/locustfile.py):
``--users`` signed-in users of every role, each clicking about once a second, spread over
the servers. Sign-ins happen while users are spawned (a password hash each: seconds of CPU
for a hundred); the statistics start when all are signed in and cover ``--duration``
seconds after that.

Printed: requests per second, median and 95th percentile latency and failures per page and
in all, the app's CPU milliseconds per request per page (its ``Server-Timing`` header), the
CPU seconds per request of the app servers, of PostgreSQL's backends for this database and of
the load generator, the largest gunicorn worker's memory, and the machine's load average.

``--task-workers N`` also starts N ``worker`` processes and an SMTP sink; ``--match-run``
queues a match run of the cycle and ``--mail N`` queues N e-mails during the load, then checks
that every task ran exactly once and every e-mail arrived exactly once (issue 17, point 6).
Results are written as JSON to ``bench/results/load-<date>.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_bench

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
BASE_PORT = 8100
SMTP_PORT = 8125
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _env(args: argparse.Namespace, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.production",
        "DATABASE_URL": f"{web_bench.PG}/{args.database}",
        "SECRET_KEY": "load-test-" + "k3y!" * 12,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEMO_MODE": "false",
        "DEBUG": "false",
        "STATIC_ROOT": static_root,
        "SERVER_TIMING": "true",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "SITE_URL": f"https://127.0.0.1:{BASE_PORT}",
        "LOG_LEVEL": "WARNING",
    }


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds used so far by a process (None once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _rss_mb(pid: int) -> float:
    try:
        resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return resident * PAGE / 2**20


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _backend_pids(database: str) -> list[int]:
    out = web_bench._psql(
        f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'"  # noqa: S608
    )
    return [int(p) for p in out.split()]


class Monitor(threading.Thread):
    """Samples, every second, the memory of every gunicorn worker and the CPU time of the
    servers' processes, of PostgreSQL's backends serving the database and of locust."""

    def __init__(self, masters: list[int], database: str) -> None:
        super().__init__(daemon=True)
        self.masters, self.database = masters, database
        self.locust_pid = 0
        self.max_rss = 0.0
        self.cpu: dict[str, dict[int, float]] = {"app": {}, "db": {}, "locust": {}}
        self.stop_event = threading.Event()

    def _record(self, kind: str, pid: int) -> None:
        seconds = _cpu_seconds(pid)
        if seconds is not None:  # an ended process keeps its last reading
            self.cpu[kind][pid] = seconds

    def sample(self) -> dict[str, float]:
        for master in self.masters:
            for pid in [master, *_children(master)]:
                self._record("app", pid)
                if pid != master:
                    self.max_rss = max(self.max_rss, _rss_mb(pid))
        for pid in _backend_pids(self.database):
            self._record("db", pid)
        if self.locust_pid:
            self._record("locust", self.locust_pid)
        return {kind: sum(times.values()) for kind, times in self.cpu.items()}

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.sample()


def _machine_cpu() -> float:
    """Busy CPU seconds of the whole machine so far (every process, ours or not)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICK


def _static_is_stale(manifest: Path) -> bool:
    """Whether a static file of the app changed since the last collectstatic."""
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    return any(
        path.stat().st_mtime > collected
        for path in (ROOT / "talent_exchange").glob("**/static/**/*")
        if path.is_file()
    )


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"Nothing answers on port {port}.")


def _manage(env: dict[str, str], *command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *command], env=env, check=True, **kwargs
    )


def _shell(env: dict[str, str], code: str) -> str:
    return _manage(env, "shell", "-v", "0", "-c", code, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--database", default="", help="default: te_bench_<size>")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=120, help="seconds measured")
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="per server; default 2 per core")
    parser.add_argument("--task-workers", type=int, default=0)
    parser.add_argument("--match-run", action="store_true")
    parser.add_argument("--mail", type=int, default=0)
    args = parser.parse_args()
    args.database = args.database or f"te_bench_{args.size}"
    if not args.workers:
        args.workers = max(1, 2 * (os.cpu_count() or 1) // args.servers)
    if args.database == f"te_bench_{args.size}":
        web_bench.ensure_dataset(args.size)

    work = Path(tempfile.mkdtemp(prefix="te-load-"))
    # Collected (and compressed) once: minutes of CPU on a busy machine.
    static_root = Path(tempfile.gettempdir()) / "te-load-static"
    env = _env(args, str(static_root))
    if _static_is_stale(static_root / "staticfiles.json"):
        _manage(env, "collectstatic", "--noinput", "-v", "0")
    plan_path = work / "plan.json"
    plan_path.write_text(
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "load_plan.py")],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    procs: list[subprocess.Popen] = []
    masters: list[int] = []
    try:
        if args.task_workers:
            procs.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        str(ROOT / "bench" / "smtp_sink.py"),
                        str(SMTP_PORT),
                        str(work / "mail.jsonl"),
                    ]
                )
            )
            for _ in range(args.task_workers):
                procs.append(
                    subprocess.Popen(  # noqa: S603
                        [sys.executable, str(ROOT / "manage.py"), "worker"],
                        env=env,
                        stdout=open(work / "worker.log", "a"),  # noqa: SIM115
                        stderr=subprocess.STDOUT,
                    )
                )
        servers = []
        for index in range(args.servers):
            port = BASE_PORT + index
            server = subprocess.Popen(  # noqa: S603
                [
                    str(VENV_BIN / "gunicorn"),
                    "talent_exchange.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--timeout",
                    "30",
                ],
                env=env,
                cwd=ROOT,
                stdout=open(work / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
            procs.append(server)
            masters.append(server.pid)
            servers.append(f"http://127.0.0.1:{port}")
        for index in range(args.servers):
            _wait_for_port(BASE_PORT + index)
        monitor = Monitor(masters, args.database)
        started_tasks = _task_ids(env) if args.task_workers else set()
        spawn_seconds = args.users / args.spawn_rate
        timings = work / "timings.json"
        measuring = work / "measuring"
        load_env = {
            **os.environ,
            "LOAD_PLAN": str(plan_path),
            "LOAD_SERVERS": ",".join(servers),
            "LOAD_TIMINGS": str(timings),
            "LOAD_STARTED": str(measuring),
            "LOAD_DURATION": str(args.duration),
        }
        print(
            f"{args.users} users on {args.servers} server(s) × {args.workers} workers, "
            f"database {args.database}; spawning for {spawn_seconds:.0f} s, then "
            f"{args.duration} s measured once all are signed in…",
            flush=True,
        )
        locust = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                # A safety net: locust ends itself ``--duration`` after the last sign-in.
                "--run-time",
                f"{int(spawn_seconds + args.duration + 900)}s",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--stop-timeout",
                "5",
                "--loglevel",
                "WARNING",
            ],
            env=load_env,
            stdout=open(work / "locust.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        monitor.locust_pid = locust.pid
        monitor.start()
        while not measuring.exists() and locust.poll() is None:
            time.sleep(0.5)
        # Measured window: CPU counters from here.
        before = monitor.sample()
        machine_before, wall_before = _machine_cpu(), time.monotonic()
        load_before = os.getloadavg()
        side = None
        if args.match_run or args.mail:
            side = threading.Thread(target=_side_work, args=(env, args), daemon=True)
            side.start()
        last = monitor.sample()
        while locust.poll() is None:
            last = monitor.sample()  # the load generator's CPU, read before it exits
            time.sleep(1)
        after = {**monitor.sample(), "locust": last["locust"]}
        wall = time.monotonic() - wall_before
        machine = _machine_cpu() - machine_before
        load_after = os.getloadavg()
        monitor.stop_event.set()
        if side is not None:
            side.join(timeout=600)
        try:
            checks = _check_side_work(env, args, work, started_tasks) if args.task_workers else {}
        except subprocess.CalledProcessError as failed:
            checks = {"error": failed.stderr[-1500:]}
        rows = _read_stats(work / "locust_stats.csv")
        cpu_by_page = json.loads(timings.read_text()) if timings.exists() else {}
        total = next(r for r in rows if r["Name"] == "Aggregated")
        n = max(1, int(total["Request Count"]))
        cpu = {kind: after[kind] - before.get(kind, 0.0) for kind in after}
        summary = {
            "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "users": args.users,
            "servers": args.servers,
            "workers_per_server": args.workers,
            "task_workers": args.task_workers,
            "database": args.database,
            "load_before": load_before,
            "load_after": load_after,
            "machine_busy_cores": machine / wall,
            "requests": n,
            "rps": float(total["Requests/s"]),
            "median_ms": float(total["50%"]),
            "p95_ms": float(total["95%"]),
            "failures": int(total["Failure Count"]),
            "max_worker_rss_mb": monitor.max_rss,
            "cpu_ms_per_request": {kind: 1000 * seconds / n for kind, seconds in cpu.items()},
            "checks": checks,
        }
        _print(summary, rows, cpu_by_page)
        target = ROOT / "bench" / "results"
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"load-{datetime.now(UTC):%Y%m%d-%H%M}.json"
        path.write_text(
            json.dumps({"summary": summary, "pages": rows, "cpu": cpu_by_page}, indent=1)
        )
        print(f"\nWritten to {path.relative_to(ROOT)}; logs in {work}")
        failures = work / "locust_failures.csv"
        if failures.exists() and summary["failures"]:
            print(failures.read_text()[:3000])
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _read_stats(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def _print(summary: dict, rows: list[dict[str, str]], cpu_by_page: dict) -> None:
    load = summary["load_before"]
    print(
        f"\n{summary['date']}, load average {load[0]:.2f} before / "
        f"{summary['load_after'][0]:.2f} after, the machine's cores busy "
        f"{summary['machine_busy_cores']:.2f} of {os.cpu_count()} (everyone's work)\n"
    )
    print("| page | requests | req/s | median ms | p95 ms | failures | app CPU ms/request |")
    print("|---|---|---|---|---|---|---|")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        if row["Request Count"] == "0":
            continue
        timing = cpu_by_page.get(row["Name"])
        cpu = f"{timing['cpu_ms'] / timing['n']:.0f}" if timing and timing["n"] else "–"
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {name} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} "
            f"| {row['50%']} | {row['95%']} | {row['Failure Count']} | {cpu} |"
        )
    per = summary["cpu_ms_per_request"]
    print(
        f"\n{summary['users']} users, {summary['servers']} server(s) × "
        f"{summary['workers_per_server']} workers: {summary['rps']:.1f} req/s, median "
        f"{summary['median_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms, "
        f"{summary['failures']} failures; largest worker {summary['max_worker_rss_mb']:.0f} MB; "
        f"CPU per request: app {per.get('app', 0):.1f} ms, PostgreSQL "
        f"{per.get('db', 0):.1f} ms, load generator {per.get('locust', 0):.1f} ms"
    )
    if summary["checks"]:
        print("Tasks and mail:", json.dumps(summary["checks"]))


_TASKS = (
    "from django_tasks_db.models import DBTaskResult as T;"
    "import json; print(json.dumps([str(i) for i in T.objects.values_list('id', flat=True)]))"
)


def _task_ids(env: dict[str, str]) -> set[str]:
    return set(json.loads(_shell(env, _TASKS).strip().splitlines()[-1]))


_START_RUN = """
from talent_exchange.accounts.models import User
from talent_exchange.matches import services
from talent_exchange.nonprod.scale import PROGRAM_NAME
from talent_exchange.programs.models import Cycle, Phase, Program
cycle = Program.objects.get(name=PROGRAM_NAME).cycles.order_by('-id').first()
if services.phase_refusal(cycle):
    # The scale cycle stands in interviews; runs start in the matching phase.
    Cycle.objects.filter(pk=cycle.pk).update(state=Phase.MATCHING)
    cycle.refresh_from_db()
run = services.start_run(
    cycle, actor=User.objects.get(username='scale-admin'), mode='stable', balance_tolerance=None
)
print(run.pk)
"""

_QUEUE_MAIL = """
import uuid
from django.db import transaction
from talent_exchange.notifications.services import notify
from talent_exchange.accounts.models import User
admin = User.objects.get(username='scale-admin')
batch = uuid.uuid4().hex[:8]
with transaction.atomic():
    for i in range({n}):
        notify('nominations/declined', ['load-%s-%05d@example.org' % (batch, i)], {{}},
               key='load-test:%s:%05d' % (batch, i))
print(batch)
"""


def _side_work(env: dict[str, str], args: argparse.Namespace) -> None:
    """During the load: a match run and a batch of e-mail, queued for the task workers."""
    time.sleep(5)
    if args.match_run:
        try:
            args.run_id = int(_shell(env, _START_RUN).strip().splitlines()[-1])
        except subprocess.CalledProcessError as failed:
            print("The match run could not start:", failed.stderr[-2000:], flush=True)
    if args.mail:
        args.mail_batch = _shell(env, _QUEUE_MAIL.format(n=args.mail)).strip().splitlines()[-1]


_CHECK = """
import json
from django_tasks_db.models import DBTaskResult as T
from talent_exchange.matches.models import MatchRun
from talent_exchange.notifications.models import Notification
new = list(
    T.objects.exclude(id__in={before!r}).values('status', 'task_path', 'args_kwargs', 'worker_ids')
)
statuses = {{t['status'] for t in new}}
out = {{
    "tasks": len(new),
    "task_statuses": {{s: sum(1 for t in new if t['status'] == s) for s in statuses}},
    # A task taken by two workers would name both.
    "tasks_run_twice": sum(1 for t in new if len(t['worker_ids']) > 1),
}}
run_id = {run_id!r}
if run_id:
    run = MatchRun.objects.defer('market', 'result').get(pk=run_id)
    runs = [
        t for t in new
        if t['task_path'].endswith('run_match') and t['args_kwargs']['args'] == [run_id]
    ]
    out["run"] = {{"status": str(run.status), "tasks": len(runs)}}
batch = {batch!r}
if batch:
    mails = Notification.objects.filter(key__startswith='load-test:%s:' % batch)
    out["mail_stored"] = mails.count()
    out["mail_sent"] = mails.filter(sent_at__isnull=False).count()
print(json.dumps(out))
"""


def _check_side_work(
    env: dict[str, str], args: argparse.Namespace, work: Path, before: set[str]
) -> dict:
    """Waits (up to 10 minutes) for the queued work, then counts tasks and e-mails."""
    deadline = time.monotonic() + 600
    code = _CHECK.format(
        before=sorted(before),
        run_id=getattr(args, "run_id", 0),
        batch=getattr(args, "mail_batch", ""),
    )
    while True:
        checks = json.loads(_shell(env, code).strip().splitlines()[-1])
        pending = {s: c for s, c in checks["task_statuses"].items() if s in ("READY", "RUNNING")}
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(5)
    mailbox = work / "mail.jsonl"
    received = mailbox.read_text().splitlines() if mailbox.exists() else []
    recipients = [json.loads(line)["to"] for line in received]
    batch = getattr(args, "mail_batch", "")
    ours = [r for group in recipients for r in group if batch and f"load-{batch}-" in r]
    checks["mail_received"] = len(ours)
    checks["mail_received_distinct"] = len(set(ours))
    return checks


if __name__ == "__main__":
    main()
