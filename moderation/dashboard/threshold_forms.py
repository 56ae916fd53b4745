"""The thresholds part of a site's settings form: one number field per label and side."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from moderation.scoring.base import LABELS
from moderation.sites.thresholds import SIDES, effective


def field_name(side: str, label: str) -> str:
    """Return the form field of one label's threshold on one side."""
    return f"{side}_{label}"


ThresholdFields = Schema.from_dict({
    field_name(side, label): fields.Float(load_default=None, allow_nan=False,
                                          validate=validate.Range(0, 1))
    for side in SIDES for label in LABELS
}, name="ThresholdFields")


class ThresholdsMixin(ThresholdFields):
    """Blank fields inherit; filled ones form the site's layer, approve below reject."""

    @validates_schema
    def approve_below_reject(self, data, **kwargs):
        """Refuse an approve value at or above the reject value it would meet."""
        site_layer = {side: {label: data.get(field_name(side, label)) for label in LABELS}
                      for side in SIDES}
        inherited = effective(None)
        problems = {}
        for label in LABELS:
            approve = site_layer["approve"][label]
            reject = site_layer["reject"][label]
            if approve is None and reject is None:
                continue
            approve = inherited["approve"][label].value if approve is None else approve
            reject = inherited["reject"][label].value if reject is None else reject
            if approve >= reject:
                name = field_name("approve" if site_layer["approve"][label] is not None
                                  else "reject", label)
                problems[name] = [f"Approve ({approve:g}) must stay below reject ({reject:g})."]
        if problems:
            raise ValidationError(problems)

    @post_load
    def gather(self, data, **kwargs):
        """Collect the filled fields into {"approve": {...}, "reject": {...}}."""
        for side in SIDES:
            data[side] = {label: value for label in LABELS
                          if (value := data.pop(field_name(side, label), None)) is not None}
        return data
