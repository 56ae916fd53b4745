"""Refused dashboard forms: what was typed and what is wrong, for the page that shows them again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Posted:
    """A submitted form that was not saved: its values as typed and each field's messages."""

    values: Mapping[str, str]
    errors: Mapping[str, object]

    @classmethod
    def field_error(cls, values: Mapping[str, str], name: str, message: str) -> Posted:
        """Return the refusal of a valid form whose one field clashes with stored data."""
        return cls(dict(values), {name: [message]})


def _words(messages: object) -> str:
    """Return marshmallow's messages for one field as one sentence."""
    if isinstance(messages, dict):
        return " ".join(_words(value) for value in messages.values())
    if isinstance(messages, list | tuple):
        return " ".join(_words(value) for value in messages)
    return str(messages)


class FormView:
    """One form of a page as its template reads it: stored values, or the refused input."""

    def __init__(self, posted: Posted | None = None) -> None:
        self.posted = posted

    @property
    def refused(self) -> bool:
        """Tell whether this form came back refused."""
        return self.posted is not None

    def value(self, name: str, stored: object = "") -> object:
        """Return what was typed into the field if the form came back, else the stored value."""
        if self.posted is None:
            return stored
        return self.posted.values.get(name, "")

    def checked(self, name: str, stored: bool) -> bool:
        """Return whether a checkbox shows ticked: as sent if the form came back, else stored."""
        if self.posted is None:
            return stored
        return self.posted.values.get(name, "") not in ("", "false")

    def error(self, name: str) -> str:
        """Return the field's messages as one sentence, or an empty string."""
        if self.posted is None or name not in self.posted.errors:
            return ""
        return _words(self.posted.errors[name])


class PageForms:
    """A page's forms: each shows stored values, except the one that came back refused."""

    def __init__(self, form_id: str | None = None, posted: Posted | None = None) -> None:
        self.form_id = form_id
        self.posted = posted

    def __call__(self, form_id: str) -> FormView:
        """Return the view of one form on the page."""
        return FormView(self.posted if form_id == self.form_id else None)

    @property
    def refused(self) -> bool:
        """Tell whether one of the page's forms came back refused (a preview is not)."""
        return self.posted is not None and bool(self.posted.errors)

    @property
    def problems(self) -> list[str]:
        """Return every message of the refused form, each led by its field's name.

        The page lists them all at the top, because the form's row may not be on
        the page (an old article) or the field may have no input (a hidden one).
        """
        if self.posted is None:
            return []
        return [_words(messages) if name == "_schema"
                else f"{name.replace('_', ' ').capitalize()}: {_words(messages)}"
                for name, messages in self.posted.errors.items()]


NO_FORMS = PageForms()
