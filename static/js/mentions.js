// A click on a suggested name (from /spaces/<slug>/mention-suggestions) replaces the "@frag" being
// typed at the end of the textarea with "@Full Name ". Without this script the list still shows the
// names to type.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-mention]");
  if (!button) return;
  var box = button.closest(".mention-suggestions");
  var field = box && box.parentElement.querySelector("textarea");
  if (!field) return;
  var text = field.value;
  var at = text.lastIndexOf("@");
  if (at < 0) return;
  field.value = text.slice(0, at) + "@" + button.dataset.mention + " ";
  box.innerHTML = "";
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
});
