// Puts back what the user typed into a form the server refused (gaodi/typed.py): the values
// come in <script type="application/json" id="gaodi-typed">; the form is the one marked
// data-typed="<name>". Files and secrets are never sent back.
(function () {
  "use strict";
  var blob = document.getElementById("gaodi-typed");
  if (!blob) { return; }
  var typed = JSON.parse(blob.textContent);
  var form = document.querySelector('form[data-typed="' + typed.form + '"]');
  if (!form) { return; }
  var values = typed.values || {};
  Array.prototype.forEach.call(form.elements, function (field) {
    if (!field.name || field.type === "file" || field.type === "hidden" ||
        field.type === "submit" || field.type === "button") { return; }
    var given = values[field.name];
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = Array.isArray(given) && given.indexOf(field.value || "on") !== -1;
      return;
    }
    if (!Array.isArray(given) || !given.length) { return; }
    field.value = given[0];
  });
  var details = form.closest("details");
  if (details) { details.open = true; }
  form.scrollIntoView({ block: "center" });
})();
