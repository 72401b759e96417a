// The team inbox (issue 14): the live inbox and case page.
//
// The polling itself is declared in the templates with htmx attributes (elements carrying
// data-live-poll: hx-get, hx-trigger="every …ms, live:now"); the server answers 204 when nothing
// changed, so htmx leaves the page alone. This file adds what attributes cannot say:
//
// - while the member types a reply, the case page's poll says so (#live-typing = 1), so the
//   other members read "<name> is replying"; the first keystroke after a pause asks at once,
//   and fifteen seconds without typing make it "viewing" again;
// - a tab in the background does not poll at all, and asks at once when it is shown again.
//
// Nothing here touches the reply box's text: a live update never swaps it.
(function () {
  "use strict";

  var TYPING_IDLE_MS = 15000;
  var typingTimer = null;

  function pollNow(element) {
    if (element && window.htmx) {
      window.htmx.trigger(element, "live:now");
    }
  }

  function setTyping(value) {
    var input = document.getElementById("live-typing");
    if (!input || input.value === value) {
      return false;
    }
    input.value = value;
    return true;
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!(field instanceof Element) || field.getAttribute("name") !== "body" ||
        !field.closest("#reply-box form.reply-form")) {
      return;
    }
    var started = setTyping("1");
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () {
      if (setTyping("0")) {
        pollNow(document.getElementById("case-live"));
      }
    }, TYPING_IDLE_MS);
    if (started) {
      pollNow(document.getElementById("case-live"));
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (document.hidden && element instanceof Element && element.hasAttribute("data-live-poll")) {
      event.preventDefault();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      document.querySelectorAll("[data-live-poll]").forEach(pollNow);
    }
  });
})();
