"""Screenshots for the README: signs in as the demo users on a running `make run` server
(default http://127.0.0.1:8000) and saves PNGs under docs/screenshots/."""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PASSWORD = "demo-pass-2026"  # noqa: S105  (published demo login)
SELLER = "owner@acme-outfitters.example"
SHOTS = [
    # (who, path, file)
    (SELLER, "/messages/", "inbox.png"),
    (SELLER, "first-case", "case.png"),
    (SELLER, "contact-buyer", "contact-buyer.png"),
    (SELLER, "/orders/", "manage-orders.png"),
    ("buyer01@example.com", "/buyer/orders/", "buyer-orders.png"),
    ("buyer01@example.com", "first-buyer-case", "buyer-case.png"),
    (SELLER, "/settings/notifications/?edit=messaging", "notification-preferences.png"),
    (SELLER, "/templates/", "manage-templates.png"),
    (SELLER, "first-case-with-order", "insert-template.png"),
    (SELLER, "/performance/response-time/", "response-time.png"),
    (SELLER, "/settings/messaging-permissions/", "messaging-permissions.png"),
    (SELLER, "/help/messaging-policy/", "messaging-policy.png"),
]


def _resolve(page, path: str) -> str:
    """Named shots that need an id from the page itself."""
    if path == "first-case":
        page.goto("/messages/?filter=all")
        return page.locator(".case-row").first.get_attribute("href")
    if path == "first-buyer-case":
        page.goto("/buyer/messages/")
        return page.locator("a[data-case-id], [data-case-id] a").first.get_attribute("href")
    if path == "first-case-with-order":
        page.goto("/messages/?filter=all")
        return page.locator(".case-row", has_text="Order").first.get_attribute("href")
    if path == "contact-buyer":
        page.goto("/orders/?status=shipped")
        return page.get_by_role("link", name="Contact Buyer").first.get_attribute("href")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", help="file names to take")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for who, path, name in SHOTS:
            if args.only and name not in args.only:
                continue
            context = browser.new_context(
                base_url=args.base_url, viewport={"width": 1280, "height": 860}
            )
            page = context.new_page()
            page.goto("/accounts/login/")
            page.get_by_label("Email").fill(who)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            page.goto(_resolve(page, path))
            page.wait_for_load_state("networkidle")
            if name == "insert-template.png":  # the panel open in the reply box (R23)
                page.get_by_text("Insert Template", exact=True).click()
                page.locator(".template-choice").first.wait_for()
                page.locator("#reply-box").scroll_into_view_if_needed()
            page.screenshot(path=str(out / name))
            print(out / name)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
