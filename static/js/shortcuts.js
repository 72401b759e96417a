// Keyboard shortcuts of the inbox and the case page (issue 14); `?` lists them
// (components/shortcuts_help.html).
//
//   j / k   next / previous case (in the inbox: the selected row; on a case page: the next or
//           previous case of the inbox list last shown in this tab)
//   Enter   open the selected case
//   r       reply: the cursor goes to the reply box
//   n       No Response Needed on the oldest buyer message waiting (its own button, so any
//           confirmation it asks for is asked)
//   u       back to the inbox
//   /       search the inbox
//   ?       show the list of shortcuts
//
// A shortcut never fires while the focus is in a field (input, textarea, select, anything
// editable), nor with Ctrl, Alt or Meta held, nor while a dialog is open. Esc leaves a text
// field.
(function () {
  "use strict";

  var ORDER_KEY = "team-inbox-case-order";
  var SEARCH_HASH = "#search";

  function typingIn(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    return target.isContentEditable ||
      Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])"));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#case-list .case-row"));
  }

  function inInbox() {
    return Boolean(document.getElementById("case-list"));
  }

  function path(href) {
    try {
      return new URL(href, window.location.href).pathname;
    } catch (error) {
      return href;
    }
  }

  // The inbox remembers the order of the cases it shows, so j/k work on a case page too.
  function rememberOrder() {
    var list = rows();
    if (!list.length) {
      return;
    }
    try {
      window.sessionStorage.setItem(ORDER_KEY, JSON.stringify(list.map(function (row) {
        return path(row.href);
      })));
    } catch (error) {
      // storage refused (private mode): j/k then work in the inbox only
    }
  }

  function selectedIndex(list) {
    var focused = list.indexOf(document.activeElement);
    if (focused >= 0) {
      return focused;
    }
    for (var i = 0; i < list.length; i += 1) {
      if (list[i].classList.contains("is-selected")) {
        return i;
      }
    }
    return -1;
  }

  function select(list, index) {
    list.forEach(function (row) {
      row.classList.remove("is-selected");
      row.removeAttribute("aria-current");
    });
    var row = list[index];
    row.classList.add("is-selected");
    row.setAttribute("aria-current", "true");
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    if (inInbox()) {
      var list = rows();
      if (!list.length) {
        return false;
      }
      var index = selectedIndex(list);
      var next = index < 0 ? (step > 0 ? 0 : list.length - 1) :
        Math.min(list.length - 1, Math.max(0, index + step));
      select(list, next);
      return true;
    }
    var order;
    try {
      order = JSON.parse(window.sessionStorage.getItem(ORDER_KEY) || "[]");
    } catch (error) {
      order = [];
    }
    var here = order.indexOf(window.location.pathname);
    var target = here >= 0 ? order[here + step] : null;
    if (target) {
      window.location.assign(target);
      return true;
    }
    return false;
  }

  function openSelected(target) {
    if (target instanceof Element && target.closest("a, button, summary, [role='button']")) {
      return false; // the browser opens a focused link or presses a focused button itself
    }
    var list = rows();
    var index = selectedIndex(list);
    if (index < 0) {
      return false;
    }
    window.location.assign(list[index].href);
    return true;
  }

  function reply() {
    var box = document.querySelector("#reply-box textarea");
    if (!box) {
      return false;
    }
    box.focus();
    box.scrollIntoView({ block: "center" });
    return true;
  }

  function noResponseNeeded() {
    var forms = document.querySelectorAll("#message-list form[action*='/no-response-needed/']");
    for (var i = 0; i < forms.length; i += 1) {
      if (!/\/undo\/$/.test(forms[i].getAttribute("action"))) {
        var button = forms[i].querySelector("button[type='submit']");
        if (button) {
          button.click();
          return true;
        }
      }
    }
    return false;
  }

  function inboxLink() {
    return document.querySelector("[data-shortcut-inbox]");
  }

  function backToInbox() {
    var link = inboxLink();
    if (!link || inInbox()) {
      return false;
    }
    window.location.assign(link.href);
    return true;
  }

  function search() {
    var field = document.getElementById("id_q");
    if (field) {
      field.focus();
      field.select();
      return true;
    }
    var link = inboxLink();
    if (link) {
      window.location.assign(path(link.href) + SEARCH_HASH);
      return true;
    }
    return false;
  }

  function help() {
    var dialog = document.getElementById("shortcuts-help");
    if (!dialog || typeof dialog.showModal !== "function") {
      return false;
    }
    if (!dialog.open) {
      dialog.showModal();
    }
    return true;
  }

  var ACTIONS = {
    j: function () { return move(1); },
    k: function () { return move(-1); },
    Enter: openSelected,
    r: reply,
    n: noResponseNeeded,
    u: backToInbox,
    "/": search,
    "?": help
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (typingIn(event.target)) {
      // Esc leaves a text field (the draft stays), so the shortcuts work again.
      if (event.key === "Escape" && event.target.matches("input, textarea, [contenteditable]") &&
          !event.target.closest("dialog, .modal")) {
        event.target.blur();
      }
      return;
    }
    if (document.querySelector("dialog[open], .modal.show")) {
      return;
    }
    var action = Object.prototype.hasOwnProperty.call(ACTIONS, event.key) ? ACTIONS[event.key] : null;
    if (action && action(event.target)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-shortcuts-help]");
    if (button) {
      event.preventDefault();
      help();
    }
  });

  function ready() {
    rememberOrder();
    if (window.location.hash === SEARCH_HASH && document.getElementById("id_q")) {
      document.getElementById("id_q").focus();
    }
  }

  document.addEventListener("htmx:afterSettle", rememberOrder);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
