// Buttons that ask before they act: <button data-confirm="…">. A listener, not an onclick attribute, because the
// Content-Security-Policy runs no inline script.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
