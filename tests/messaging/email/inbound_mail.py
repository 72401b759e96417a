"""Mail for the inbound tests: built with the standard library, sent over loopback SMTP to the
relay (the `relay` fixture of conftest.py) or posted to the webhook."""

import re
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from django.urls import reverse

from messaging.email.services import permissions
from messaging.models import MessagingPermission
from tests.factories import seller_user

TOKEN = "s3cret-token"


def mail_message(
    *, sender: str, to: str, subject: str = "Hello", body: str = "Hi", **headers: str
) -> EmailMessage:
    """A plain mail; `message_id=` and other headers by keyword (`in_reply_to` → In-Reply-To)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", make_msgid(domain="mail.example"))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def mail(
    *, sender: str, to: str, subject: str = "Hello", body: str = "Hi", **headers: str
) -> bytes:
    """A plain mail as bytes with CRLF line ends (as SMTP carries it, and as DKIM signs it)."""
    return crlf(
        mail_message(sender=sender, to=to, subject=subject, body=body, **headers).as_bytes()
    )


def crlf(raw: bytes) -> bytes:
    return re.sub(rb"(?<!\r)\n", b"\r\n", raw)


def smtp_send(relay: tuple[str, int], raw: bytes, *, to: str, envelope_from: str) -> None:
    """Deliver over SMTP as a mail server does; raises smtplib's errors on a refusal."""
    with smtplib.SMTP(*relay, timeout=30) as smtp:
        smtp.sendmail(envelope_from, [to], crlf(raw))


def webhook_post(client, raw: bytes, **params: str):
    """POST a raw mail to the inbound webhook with the token (the test sets it)."""
    query = "&".join(f"{name}={value}" for name, value in params.items())
    url = reverse("messaging:inbound_webhook") + (f"?{query}" if query else "")
    return client.post(
        url, raw, content_type="message/rfc822", headers={"Authorization": f"Bearer {TOKEN}"}
    )


def approved(seller, address: str) -> MessagingPermission:
    """`address` approved under the seller's Messaging Permissions, as the owner and the link
    do it."""
    permission = permissions.permission_add(seller=seller, actor=seller_user(seller), email=address)
    return permissions.permission_confirm(permission_id=permission.pk, email=address)
