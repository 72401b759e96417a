"""The app's URLs plus one throwaway page for the benchmark's baseline (bench/inbox.py)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    """A signed-in page with nothing on it: base.html through the same middleware and context
    processors as every Seller Central page. The inbox is measured against it."""
    return render(request, "base.html")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]
