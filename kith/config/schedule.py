"""Every scheduled job, in one place (settings.KITH_SCHEDULE; kith/core/background.py).

Each runs once per period however many workers there are; a period missed while no worker ran
is run when one comes back (once, not once per missed period). Times are the site's time zone.
Names are stored with each run: rename a job and its next period runs again under the new name.
"""

from __future__ import annotations

import datetime as dt

from kith.asks.tasks import idempotency_keys_prune
from kith.core.background import Job
from kith.core.tasks import background_work_prune
from kith.people.tasks import sign_in_tokens_prune

JOBS: list[Job] = [
    # Sign-in links and codes, and contacts waiting to be proved, once they have expired.
    Job(name="sign-in-tokens-prune", task=sign_in_tokens_prune, every=dt.timedelta(hours=1)),
    # Idempotency keys older than a day: clients retry within minutes, not days.
    Job(name="idempotency-keys-prune", task=idempotency_keys_prune, daily_at=dt.time(3, 10)),
    # Finished tasks, leases, heartbeats and messages past KITH_TASK_RESULTS_KEEP_DAYS.
    Job(name="background-work-prune", task=background_work_prune, daily_at=dt.time(3, 20)),
]
