// Insert Template and the platform texts of Contact Buyer (R23). Loaded by the pages with a
// seller message box (the case page, Contact Buyer); declared in the templates with data-*:
//
//   <div class="template-picker" data-template-form="#contact-buyer-form">   the panel
//     <a data-template-id="3" data-template-name="…" data-template-text="…">  a template, filled in
//     <div class="template-picker-status">                                   what just happened
//   <button data-platform-use="invoice" data-platform-subject="…" data-platform-body="…">
//   <div class="platform-text" data-reason="invoice" hidden>                 one per reason
//
// Choosing fills the message box (and the hidden `template` or `platform_template` field) for
// editing; nothing is ever sent from here. The live check runs on the new text as if typed.
// Without JavaScript the same links open the page with the box filled in by the server.
(function () {
  "use strict";

  function field(form, name) {
    return form ? form.elements.namedItem(name) : null;
  }

  function setValue(form, name, value) {
    var input = field(form, name);
    if (input) {
      input.value = value;
    }
  }

  // As if typed: htmx's live check listens to keyup on the message box (or its wrapper).
  function announceChange(input) {
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function status(picker, text, undo) {
    var box = picker && picker.querySelector(".template-picker-status");
    if (!box) {
      return;
    }
    box.textContent = "";
    var line = document.createElement("div");
    line.className = "text-success-emphasis";
    line.textContent = text + " ";
    if (undo) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 align-baseline template-undo";
      button.textContent = "Undo";
      button.addEventListener("click", function () {
        undo();
        box.textContent = "";
      });
      line.appendChild(button);
    }
    box.appendChild(line);
  }

  // Fill the form's message box; returns a function that puts back what was there.
  function fill(form, values) {
    var body = field(form, "body");
    if (!body) {
      return null;
    }
    var before = {};
    Object.keys(values).forEach(function (name) {
      var input = field(form, name);
      before[name] = input ? input.value : "";
      setValue(form, name, values[name]);
    });
    announceChange(body);
    body.focus();
    body.setSelectionRange(0, 0);
    body.scrollTop = 0;
    return function () {
      Object.keys(before).forEach(function (name) {
        setValue(form, name, before[name]);
      });
      announceChange(body);
      body.focus();
    };
  }

  function insertTemplate(choice) {
    var picker = choice.closest(".template-picker");
    var form = document.querySelector(picker.getAttribute("data-template-form"));
    var hadText = field(form, "body") && field(form, "body").value.trim() !== "";
    var undo = fill(form, {
      body: choice.getAttribute("data-template-text"),
      template: choice.getAttribute("data-template-id"),
      platform_template: ""
    });
    if (!undo) {
      return;
    }
    var details = picker.querySelector("details");
    if (details) {
      details.open = false;
    }
    status(
      picker,
      "Inserted “" + choice.getAttribute("data-template-name") + "”. Edit it before you send.",
      hadText ? undo : null
    );
  }

  function usePlatformText(button) {
    var form = button.closest("form");
    var key = button.getAttribute("data-platform-use");
    var hadText = field(form, "body") && field(form, "body").value.trim() !== "";
    var reason = form.querySelector('input[name="reason"][value="' + key + '"]');
    if (reason && !reason.disabled) {
      reason.checked = true;
    }
    var undo = fill(form, {
      subject: button.getAttribute("data-platform-subject"),
      body: button.getAttribute("data-platform-body"),
      platform_template: key,
      template: ""
    });
    var card = button.closest(".platform-text");
    var note = card && card.querySelector(".platform-inserted");
    if (!note && card) {
      note = document.createElement("div");
      note.className = "small text-success-emphasis mt-2 platform-inserted";
      note.setAttribute("role", "status");
      card.querySelector(".card-body").appendChild(note);
    }
    if (note) {
      note.textContent = "The subject and message now hold this text. Edit it or send it as it is. ";
      if (hadText && undo) {
        var again = document.createElement("button");
        again.type = "button";
        again.className = "btn btn-link btn-sm p-0 align-baseline";
        again.textContent = "Undo";
        again.addEventListener("click", function () {
          undo();
          note.remove();
        });
        note.appendChild(again);
      }
    }
  }

  // Contact Buyer: show the platform text of the reason chosen.
  function showPlatformText(reason) {
    document.querySelectorAll(".platform-text").forEach(function (card) {
      card.hidden = card.getAttribute("data-reason") !== reason;
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var choice = target.closest(".template-picker [data-template-text]");
    if (choice) {
      event.preventDefault();
      insertTemplate(choice);
      return;
    }
    var platform = target.closest("[data-platform-use]");
    if (platform) {
      event.preventDefault();
      usePlatformText(platform);
    }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.name === "reason" && input.checked) {
      showPlatformText(input.value);
    }
  });

  // A message box emptied by hand is no longer a template's: forget which one it was.
  document.addEventListener("input", function (event) {
    var body = event.target;
    if (!(body instanceof HTMLTextAreaElement) || body.name !== "body" || !body.form) {
      return;
    }
    if (body.value.trim() === "") {
      setValue(body.form, "template", "");
      setValue(body.form, "platform_template", "");
    }
  });
})();
