"""Which HTTP methods a page answers."""

from django.views.decorators.http import require_http_methods

# A page with a form: GET shows it, POST sends it, and HEAD answers as GET does (RFC 9110 §9.3.2;
# link checkers and monitors send HEAD). Django's require_http_methods(["GET", "POST"]) leaves
# HEAD out, which made these pages answer 405 to it.
require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])
