// Shows the fields the chosen service needs; without JavaScript the
// "Show the fields" button asks the server to do the same.
(function () {
  "use strict";
  var select = document.getElementById("f-provider");
  if (!select) {
    return;
  }
  var rows = document.querySelectorAll("#host-form [data-field]");
  function words(option, name) {
    return (option ? option.getAttribute(name) || "" : "").split(" ");
  }
  function showFields() {
    var option = select.options[select.selectedIndex];
    var wanted = words(option, "data-fields");
    var secrets = words(option, "data-secrets");
    for (var i = 0; i < rows.length; i++) {
      var key = rows[i].getAttribute("data-field");
      var input = rows[i].querySelector("input");
      rows[i].hidden = wanted.indexOf(key) < 0;
      // A secret of this service is typed blind, as the server renders it.
      input.type = secrets.indexOf(key) < 0 ? "text" : "password";
    }
  }
  var fallbacks = document.querySelectorAll(".nojs");
  for (var i = 0; i < fallbacks.length; i++) {
    fallbacks[i].hidden = true;
  }
  select.addEventListener("change", showFields);
  showFields();
})();
