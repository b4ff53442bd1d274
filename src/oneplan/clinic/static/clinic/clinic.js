// Clinic Center: fill the hidden lat/lng from the phone's GPS when the person asks (no map needed).
(function () {
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-geolocate]");
    if (!button) return;
    ev.preventDefault();
    var out = document.getElementById(button.getAttribute("data-geolocate"));
    if (!navigator.geolocation) { out.textContent = button.getAttribute("data-unsupported"); return; }
    out.textContent = button.getAttribute("data-wait");
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      out.textContent = button.getAttribute("data-done") + " " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
    }, function () { out.textContent = button.getAttribute("data-failed"); }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
