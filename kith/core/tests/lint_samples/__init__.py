"""Interfaces for the project lint's tests (test_lint.py), each in a module whose name says
nothing about what it is, and each reading a person's data directly, which the lint must find.
Nothing outside test_lint.py reaches them: the project's URLconf and admin site do not."""
