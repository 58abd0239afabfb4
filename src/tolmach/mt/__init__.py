"""Machine translation core: Argos packages on disk and a batched, offline translator.

No database and no UI here; :mod:`tolmach.service.translation` applies it to documents.
"""
