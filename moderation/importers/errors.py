"""The one error an import stops on: the file cannot be read as the format it claims to be."""


class ImportFileError(Exception):
    """A file that is not a readable export of its format; the message says why, in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
