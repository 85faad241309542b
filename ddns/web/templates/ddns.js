// Shows the fields the chosen service needs; without JavaScript the
// "Show the fields" button asks the server to do the same.
(function () {
  "use strict";
  var select = document.getElementById("f-provider");
  if (!select) {
    return;
  }
  var rows = document.querySelectorAll("#host-form [data-field]");
  function showFields() {
    var option = select.options[select.selectedIndex];
    var wanted = (option ? option.getAttribute("data-fields") || "" : "").split(" ");
    for (var i = 0; i < rows.length; i++) {
      rows[i].hidden = wanted.indexOf(rows[i].getAttribute("data-field")) < 0;
    }
  }
  var fallbacks = document.querySelectorAll(".nojs");
  for (var i = 0; i < fallbacks.length; i++) {
    fallbacks[i].hidden = true;
  }
  select.addEventListener("change", showFields);
  showFields();
})();
