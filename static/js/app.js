// AlphaDiscounters Seller Central: behaviour that templates declare with data-* attributes.
// No inline scripts or on* handlers anywhere: the pages run under a strict Content Security Policy.
(function () {
  "use strict";

  // ---- data-confirm: ask before a form is submitted
  //
  //   <form data-confirm="Delete this template?">…</form>
  //   <button type="submit" name="action" value="close" data-confirm="Close this case?"
  //           data-confirm-button="Close case">Close</button>
  //
  // On a submit button the question is asked only when that button submits the form; on a form,
  // whatever submits it. Optional data-confirm-button names the confirming button (default: the
  // submit button's own text, else "OK"). The question is a Bootstrap modal built here (text
  // only, never HTML); without Bootstrap, window.confirm().
  //
  // The listener runs in the capture phase on the document, so a refused submit never reaches
  // htmx (hx-post forms) or the browser. Once confirmed, the same button is clicked again: htmx
  // then records it as the clicked button and sends its name/value (e.g. action=close), exactly
  // as on a plain click; a form without a submit button is submitted with requestSubmit().

  var confirmed = new WeakSet(); // submit buttons or forms allowed through once
  var modal = null; // {element, instance, question, accept}
  var pending = null; // {run, cancel} while the modal is open

  function questionFor(form, submitter) {
    var question = submitter && submitter.getAttribute("data-confirm");
    if (question) {
      return { text: question, source: submitter };
    }
    question = form.getAttribute("data-confirm");
    return question ? { text: question, source: form } : null;
  }

  function acceptLabel(source, submitter) {
    var label = source.getAttribute("data-confirm-button") ||
      (submitter && submitter.getAttribute("data-confirm-button"));
    if (!label && submitter) {
      label = (submitter.textContent || submitter.value || "").trim();
    }
    return label || "OK";
  }

  function element(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function buildModal() {
    var root = element("div", "modal fade", {
      id: "confirm-modal",
      tabindex: "-1",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "confirm-modal-question"
    });
    var dialog = element("div", "modal-dialog modal-dialog-centered");
    var content = element("div", "modal-content");
    var body = element("div", "modal-body");
    var question = element("p", "mb-0", { id: "confirm-modal-question" });
    var footer = element("div", "modal-footer");
    var cancel = element("button", "btn btn-outline-secondary", {
      type: "button",
      "data-bs-dismiss": "modal"
    });
    cancel.textContent = "Cancel";
    var accept = element("button", "btn btn-primary", { type: "button", id: "confirm-modal-accept" });
    body.appendChild(question);
    footer.appendChild(cancel);
    footer.appendChild(accept);
    content.appendChild(body);
    content.appendChild(footer);
    dialog.appendChild(content);
    root.appendChild(dialog);
    document.body.appendChild(root);

    accept.addEventListener("click", function () {
      var job = pending;
      pending = null;
      modal.instance.hide();
      if (job) {
        job.run();
      }
    });
    root.addEventListener("shown.bs.modal", function () {
      accept.focus();
    });
    root.addEventListener("hidden.bs.modal", function () {
      var job = pending;
      pending = null;
      if (job) {
        job.cancel();
      }
    });
    return {
      element: root,
      instance: new window.bootstrap.Modal(root),
      question: question,
      accept: accept
    };
  }

  function ask(text, label, run, cancel) {
    if (!(window.bootstrap && window.bootstrap.Modal)) {
      if (window.confirm(text)) {
        run();
      } else {
        cancel();
      }
      return;
    }
    if (pending) {
      return; // already asking
    }
    modal = modal || buildModal();
    modal.question.textContent = text;
    modal.accept.textContent = label;
    pending = { run: run, cancel: cancel };
    modal.instance.show();
  }

  // htmx saves the page as HTML before it changes the address (hx-push-url); a modal built here
  // carries the style="display: none" Bootstrap gave it, and putting that HTML back on Back would
  // break the Content Security Policy (no inline styles). Take it out first: it is built again
  // when next needed.
  document.addEventListener("htmx:beforeHistorySave", function () {
    if (modal && !pending) {
      modal.instance.dispose();
      modal.element.remove();
      modal = null;
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var submitter = event.submitter || null;
    var asked = questionFor(form, submitter);
    if (!asked) {
      return;
    }
    var key = submitter && asked.source === submitter ? submitter : form;
    if (confirmed.has(key)) {
      confirmed.delete(key);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    ask(
      asked.text,
      acceptLabel(asked.source, submitter),
      function () {
        if (!form.isConnected) {
          return; // an htmx swap replaced the form meanwhile
        }
        confirmed.add(key);
        if (submitter && submitter.isConnected) {
          submitter.click();
        } else {
          form.requestSubmit();
        }
        // The submit above happens synchronously and uses the permission; if the browser did
        // not submit (e.g. its own validation refused), the next submit asks again.
        confirmed.delete(key);
      },
      function () {
        if (submitter && submitter.isConnected) {
          submitter.focus();
        }
      }
    );
  }, true);
})();

// ---- data-follow-url: a form whose fields show what the address says
//
//   <form data-follow-url hx-get="/messages/" hx-push-url="true">…</form>
//
// On Back/Forward htmx puts back the page it saved in its history cache, as HTML: a <select> or
// an input there shows the value the page was rendered with, not the one chosen since, so the
// list and the address say "Closed" while the select says something else. After every history
// restore, and whenever the browser shows a page again (its own back-forward cache, restored
// form state), each named field of such a form is set from the address's query string: the
// parameter's value, or when it is absent (or not one of a select's options) the field's
// default, which is empty for inputs and the first option for selects (the server's default).
(function () {
  "use strict";

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
  }

  function followUrl() {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-follow-url]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        var value = field.name ? params.get(field.name) : null;
        if (!field.name || /^(hidden|submit|button|reset|checkbox|radio|file)$/.test(field.type)) {
          return;
        }
        if (field.tagName === "SELECT") {
          if (value === null || !hasOption(field, value)) {
            value = field.options.length ? field.options[0].value : "";
          }
        } else if (value === null) {
          value = "";
        }
        if (field.value !== value) {
          field.value = value;
        }
      });
    });
  }

  document.addEventListener("htmx:historyRestore", followUrl);
  window.addEventListener("pageshow", followUrl);
})();

// ---- .live-notice: "Your reply was sent." and the like, for actions htmx answered in place
//
// They come with the htmx answer (components/live_notices.html, swapped out of band into the
// #live-notices corner of base.html) and close by themselves after a few seconds, so they never
// stay over the page (on a phone they span its width); not while the pointer or the keyboard
// focus is on one. The close button closes one at once.
(function () {
  "use strict";

  var SHOWN_FOR_MS = 6000;

  function close(notice) {
    if (!notice.isConnected) {
      return;
    }
    if (notice.matches(":hover") || notice.contains(document.activeElement)) {
      window.setTimeout(close, SHOWN_FOR_MS, notice);
      return;
    }
    if (window.bootstrap && window.bootstrap.Alert) {
      window.bootstrap.Alert.getOrCreateInstance(notice).close();
    } else {
      notice.remove();
    }
  }

  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (!(root instanceof Element)) {
      return;
    }
    var notices = root.matches(".live-notice") ? [root] : root.querySelectorAll(".live-notice");
    Array.prototype.forEach.call(notices, function (notice) {
      window.setTimeout(close, SHOWN_FOR_MS, notice);
    });
  });
})();
