"""The operations a user performs, shared by the CLI and the TUI.

Functions take a :class:`tolmach.store.Store` (or a session inside one transaction) and
return plain values or ORM objects detached from their session.  Every write is one short
transaction; nothing the user typed lives only in memory.
"""
