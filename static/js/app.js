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
