"""The zero-setup profile `make run` uses: SQLite in var/, debug on, a throwaway key."""

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed development key: local data is fictional and this profile never faces the internet.
SECRET_KEY = SECRET_KEY or "kith-local-development-key-not-for-production"  # noqa: S105
# The development server answers each browser connection in a thread of its own, and a persistent
# database connection would stay open with every one (a fuzzing run used up PostgreSQL's 100).
# Close each at the end of its request, whatever DATABASE_CONN_MAX_AGE says; gunicorn under the
# production settings keeps its connections as configured.
DATABASES["default"]["CONN_MAX_AGE"] = 0
