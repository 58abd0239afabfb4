"""User-facing errors.

Every failure a user can cause (bad file, bad database, missing model) is raised as a
:class:`TolmachError` whose message is one clear sentence.  Front-ends print the message
and exit non-zero; they never show a traceback for these.
"""


class TolmachError(Exception):
    """An error caused by input or environment, explained in one sentence."""


class InputError(TolmachError):
    """A file or value given by the user cannot be used."""


class UnknownDocument(InputError):
    """No document by that name or id.  The sentence names no front-end; the CLI and the
    workbench add where documents are listed (:func:`tolmach.wording.error_text`)."""

    def __init__(self, ref: str | int) -> None:
        self.ref = ref
        super().__init__(f"No document with id {ref}." if isinstance(ref, int) else f"No document named {ref!r}.")


class OptionError(InputError):
    """A value given for one of a command's options is unusable, or the option is needed.

    ``template`` has ``{option}`` where the option is named: the CLI says ``--min``, the
    workbench and plain ``str()`` say "the min option" (:func:`tolmach.wording.error_text`).
    """

    def __init__(self, template: str, option: str, **values: object) -> None:
        self.template = template
        self.option = option
        self.values = values
        super().__init__(template.format(option=f"the {option} option", **values))

    def worded(self, option: str) -> str:
        """The sentence with the option named as ``option``."""
        return self.template.format(option=option, **self.values)


class DatabaseError(TolmachError):
    """The database cannot be opened, is foreign, too new, or locked."""


class ModelError(TolmachError):
    """No suitable machine-translation model, or a model file that is unusable."""


class ConflictError(TolmachError):
    """A save based on an older version of a bead: someone else changed it first.

    Carries both texts so a front-end can offer to merge, take theirs or overwrite.
    """

    def __init__(
        self,
        bead_id: int,
        number: int,
        *,
        mine: str,
        theirs: str,
        theirs_status: str,
        theirs_author: str,
        base_version: int | None,
        current_version: int | None,
        base: str | None = None,
    ) -> None:
        self.bead_id = bead_id
        #: The text both sides started from (for a three-way merge), when the history has it.
        self.base = base
        self.number = number
        self.mine = mine
        self.theirs = theirs
        self.theirs_status = theirs_status
        self.theirs_author = theirs_author
        self.base_version = base_version
        self.current_version = current_version
        who = theirs_author or "someone else"
        if not mine:
            text = f"Bead {number} was changed by {who} while this change was being made; nothing was written, try again."
        elif current_version is None:
            text = f"Bead {number} was changed by {who} (merged, split or realigned) since you opened it; your text {mine!r} was not saved."
        else:
            text = (
                f"Bead {number} was changed by {who} since you opened it (version {base_version} → {current_version}); "
                f"your text {mine!r} was not saved over theirs {theirs!r}."
            )
        super().__init__(text)


class PermissionDenied(DatabaseError):
    """The database user may not do this (a PostgreSQL grant or a Tolmach role is missing)."""
