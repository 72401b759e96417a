"""R13: an attachment of a message, downloaded from either party's case page or from the staff
dispute file."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedRequest
from messaging.case_page import selectors


@require_safe
@login_required
def attachment_download(request: AuthenticatedRequest, attachment_id: int) -> FileResponse:
    """R13: only the two parties and staff; never inline, never sniffed. The parties get the
    copy without image metadata (EXIF, GPS location); staff get the sender's original with
    `?original=1` (R25), the link the admin and the dispute file show."""
    attachment = get_object_or_404(
        selectors.attachment_scope_for_user(user=request.user), pk=attachment_id
    )
    stored = attachment.file
    if request.user.is_staff and request.GET.get("original") == "1" and attachment.original:
        stored = attachment.original
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=attachment.display_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
