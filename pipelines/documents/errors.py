"""The one error the reading layer raises: a document that cannot be turned into text."""


class UnreadableDocument(Exception):
    """A source file that cannot be read as an article; the message says why, for a human."""

    @property
    def reason(self) -> str:
        return str(self)
