"""The inbound webhook's body (issue 22, finding 3): read from the request stream up to the
largest inbound mail (MESSAGING_RELAY_MAX_BYTES, the relay's limit too), not through
`request.body`, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE (1 MiB) and answered 400, a
permanent failure to a mail service, for any larger mail."""

from email.message import EmailMessage
from email.utils import make_msgid
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from messaging.models import InboundMail
from tests.messaging.email.inbound_mail import TOKEN, crlf, webhook_post
from tests.messaging.email.mailauth import dkim_sign
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def _with_pdf(sender: str, to: str, size: int) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, "The invoice"
    message["Message-ID"] = make_msgid(domain="mail.example")
    message.set_content("The invoice is attached.")
    pdf = b"%PDF-1.4\n" + b"0" * (size - 9)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="invoice.pdf")
    return crlf(message.as_bytes())


def test_finding3_the_webhook_takes_a_mail_with_a_7_mb_attachment(client, settings, seller):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    size = django_settings.MESSAGING_ATTACHMENT_MAX_BYTES  # 7 MiB, the most R13 allows
    raw = dkim_sign(_with_pdf(buyer.email, alias, size), buyer.email.rpartition("@")[2])
    assert len(raw) > 1.3 * size > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = webhook_post(client, raw)
    assert response.status_code == 202, response.content
    stored = InboundMail.objects.get()
    assert stored.size == len(raw)
    assert stored.status == InboundMail.Status.ACCEPTED, stored.reason
    attachment = stored.message.attachments.get()
    assert attachment.size == size
    assert attachment.display_name == "invoice.pdf"


def test_a_mail_over_the_limit_is_refused_413_with_a_clear_error_and_nothing_stored(
    client, settings, seller
):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    settings.MESSAGING_RELAY_MAX_BYTES = 200_000
    case = buyer_opens_case(seller=seller).case
    raw = _with_pdf(case.buyer.email, case.relationship.seller_alias, 150_000)
    assert len(raw) > 200_000
    response = webhook_post(client, raw)
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]
    assert not InboundMail.objects.exists()
    # one byte under the limit is taken
    small = _with_pdf(case.buyer.email, case.relationship.seller_alias, 140_000)
    settings.MESSAGING_RELAY_MAX_BYTES = len(small)
    assert (
        webhook_post(client, small, client_ip="127.0.0.1", sender=case.buyer.email).status_code
        == 202
    )


def test_the_webhook_stops_reading_at_the_limit_whatever_the_declared_length(rf, settings):
    """A body longer than the limit is not read past it, whatever Content-Length said."""
    from messaging.email.webhook import inbound_webhook  # here: 4dc0b89 had no such module

    settings.INBOUND_EMAIL_TOKEN = TOKEN
    settings.MESSAGING_RELAY_MAX_BYTES = 1000
    body = b"x" * 5000
    request = rf.post(
        reverse("messaging:inbound_webhook"),
        data=b"",
        content_type="message/rfc822",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    request.META["CONTENT_LENGTH"] = "900"  # understated
    request._stream = BytesIO(body)  # what a server that does not bound the stream would give
    response = inbound_webhook(request)
    assert response.status_code == 413


def test_without_the_token_nothing_is_read(client, settings):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    response = client.post(
        reverse("messaging:inbound_webhook"),
        b"x" * 2_000_000,
        content_type="message/rfc822",
        headers={"Authorization": "Bearer wrong"},
    )
    assert response.status_code == 401
