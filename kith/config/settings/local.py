"""The zero-setup profile `make run` uses: SQLite in var/, debug on, a throwaway key."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed development key: local data is fictional and this profile never faces the internet.
SECRET_KEY = SECRET_KEY or "kith-local-development-key-not-for-production"  # noqa: S105
