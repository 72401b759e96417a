import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.events import order_event
from orders.models import OrderStatus
from tests.factories import OrderFactory


@pytest.fixture
def delivered_order(seller, buyer):
    return OrderFactory(
        seller=seller, buyer=buyer, status=OrderStatus.DELIVERED, total=Decimal("100.00")
    )


@pytest.fixture
def events():
    seen = []

    def receiver(sender, event, **kwargs):
        seen.append(event)

    order_event.connect(receiver, dispatch_uid="test-returns-events")
    yield seen
    order_event.disconnect(dispatch_uid="test-returns-events")


def png_upload(name: str = "photo.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
