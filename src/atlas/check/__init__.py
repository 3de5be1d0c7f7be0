"""Checking: name resolution (binder) and static types (checker), reference section 3."""
