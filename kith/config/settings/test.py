"""Tests: PostgreSQL when DATABASE_URL is set (CI sets it), else SQLite; fast hashing."""

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
SECRET_KEY = "kith-test-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Let the test runner flush SQLite between transactional tests; audit tests turn it back on.
KITH_AUDIT_DATABASE_GUARD = False
# Tasks run inline, at enqueue (after the commit, as enqueue_on_commit waits for it), so a test
# sees what a worker would have done. kith/core/tests/test_background.py runs the real database
# queue and worker instead, with `kith.core.testing.background.database_tasks()`.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
KITH_DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The lexical search alone, so a test of words, typos, filters or the index sees exactly what
# the words find; kith/directory/tests/test_dense_search.py turns hybrid search on.
KITH_SEARCH_DENSE = False
