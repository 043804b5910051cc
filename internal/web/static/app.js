// Quick exit: one click or the Esc key leaves for a neutral site and replaces this page in
// the history, so the Back button does not bring it back. Without JavaScript the control
// is still a plain link to the same site.
(function () {
  var link = document.getElementById("quick-exit");
  if (!link) return;
  function leave(e) {
    if (e) e.preventDefault();
    document.body.innerHTML = "";
    window.location.replace(link.getAttribute("data-exit"));
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Esc") leave(e);
  });
})();
