"""Every seller case view first reads the case with `case_for_seller`: on PostgreSQL one plain
statement into the models. It must give the case the ORM gives, field for field, with the
product the page shows, and nothing for another seller's case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from messaging.case_page import selectors
from tests.factories import CaseFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _fields(case: Case) -> dict[str, object]:
    return {field.attname: getattr(case, field.attname) for field in Case._meta.concrete_fields}


def test_the_case_is_the_orm_case_field_for_field(seller):
    product = ProductFactory(seller=seller, title="Blue mug", sku="MUG-1")
    with_product = CaseFactory(order=None, relationship__seller=seller, product=product)
    with_order = CaseFactory(order__seller=seller, assigned_to=None)
    for case in (with_product, with_order):
        orm = Case.objects.select_related("product").get(pk=case.pk)
        read = selectors.case_for_seller(seller=seller, case_id=case.pk)
        assert read is not None
        assert _fields(read) == _fields(orm)
        assert read._state.adding is False
    read = selectors.case_for_seller(seller=seller, case_id=with_product.pk)
    with CaptureQueriesContext(connection) as queries:
        assert (read.product.pk, read.product.title, read.product.sku) == (
            product.pk,
            "Blue mug",
            "MUG-1",
        )
    assert len(queries) == 0
    assert read.product.price == product.price  # not read with the case: loads when asked
    read = selectors.case_for_seller(seller=seller, case_id=with_order.pk)
    with CaptureQueriesContext(connection) as queries:
        assert read.product is None
    assert len(queries) == 0


def test_another_sellers_case_or_no_case_is_none(seller, other_seller):
    theirs = CaseFactory(order__seller=other_seller)
    assert selectors.case_for_seller(seller=seller, case_id=theirs.pk) is None
    assert selectors.case_for_seller(seller=seller, case_id=theirs.pk + 1000) is None
    assert selectors.case_for_seller(seller=other_seller, case_id=theirs.pk).pk == theirs.pk
