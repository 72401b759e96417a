// AlphaDiscounters Seller Central: behaviour that templates declare with data-* attributes.
// No inline scripts or on* handlers anywhere: the pages run under a strict Content Security Policy.
(function () {
  "use strict";

  // <form data-confirm="Are you sure…?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
