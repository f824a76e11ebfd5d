"""Fictional staff accounts for the demo locality (owned by the curation work)."""


def load_demo_editors() -> list[str]:
    """Create the demo editor accounts; returns lines to print (usernames and where to sign in)."""
    return []
