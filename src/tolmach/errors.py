"""User-facing errors.

Every failure a user can cause (bad file, bad database, missing model) is raised as a
:class:`TolmachError` whose message is one clear sentence.  Front-ends print the message
and exit non-zero; they never show a traceback for these.
"""


class TolmachError(Exception):
    """An error caused by input or environment, explained in one sentence."""


class InputError(TolmachError):
    """A file or value given by the user cannot be used."""


class DatabaseError(TolmachError):
    """The database cannot be opened, is foreign, too new, or locked."""


class ModelError(TolmachError):
    """No suitable machine-translation model, or a model file that is unusable."""
