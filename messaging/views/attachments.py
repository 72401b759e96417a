from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from messaging import selectors
from messaging.models import Attachment


@require_GET
@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """R13: only the two parties and staff; never inline, never sniffed."""
    try:
        attachment = selectors.attachment_for_user(user=request.user, attachment_id=attachment_id)
    except Attachment.DoesNotExist as exc:
        raise Http404("No such attachment.") from exc
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.display_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
