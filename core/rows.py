"""Models from the rows of plain SQL: `Model.from_db` takes the values of the fields it is
given in the order of the model's own fields, whatever order their names come in."""

from collections.abc import Collection

from django.db.models import Model


def fields_in_model_order(model: type[Model], names: Collection[str]) -> list[str]:
    """`names` (attnames) in the order of `model`'s fields: select their columns in this order
    and hand it to `model.from_db` with the row; the other fields load if asked for."""
    return [field.attname for field in model._meta.concrete_fields if field.attname in names]
