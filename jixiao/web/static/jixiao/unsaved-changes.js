// Edit pages: warn before leaving with unsaved changes (the browser asks in its own words whether to leave).
// A page re-shown with validation errors holds input that was not saved, so it starts as changed.
(function () {
  "use strict";
  var form = document.getElementById("edit-form");
  if (!form) return;
  var note = document.getElementById("unsaved-note");
  var dirty = form.dataset.unsaved === "true";
  var submitting = false;

  function show() {
    if (note) note.hidden = !dirty;
  }
  function changed(event) {
    if (event.target && event.target.form === form) {
      dirty = true;
      show();
    }
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  show();
})();
