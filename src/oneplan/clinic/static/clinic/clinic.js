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
      document.dispatchEvent(new CustomEvent("clinic:position", {detail: {lat: pos.coords.latitude, lng: pos.coords.longitude}}));
    }, function () { out.textContent = button.getAttribute("data-failed"); }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();

// A pin on a map, only where the installation configured a tile server (the page then loads Leaflet).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-map]");
  if (!box || !window.L) return;
  var lat = parseFloat(box.getAttribute("data-lat")), lng = parseFloat(box.getAttribute("data-lng"));
  var known = !isNaN(lat) && !isNaN(lng);
  var map = L.map(box).setView(known ? [lat, lng] : [13.0, 101.0], known ? 16 : 5);   // else all of Thailand
  L.tileLayer(box.getAttribute("data-tiles"), {maxZoom: 19, attribution: box.getAttribute("data-attribution") || ""}).addTo(map);
  // a vector pin: needs no marker images, so hashed static file names cannot break it
  var style = {radius: 9, color: "#a40000", weight: 3, fillColor: "#ff5a36", fillOpacity: 0.8};
  var pin = known ? L.circleMarker([lat, lng], style).addTo(map) : null;
  if (!box.hasAttribute("data-editable")) return;
  function place(lat, lng, pan) {
    if (pin) pin.setLatLng([lat, lng]); else pin = L.circleMarker([lat, lng], style).addTo(map);
    if (pan) map.setView([lat, lng], Math.max(map.getZoom(), 16));
  }
  map.on("click", function (ev) {
    var p = ev.latlng;
    place(p.lat, p.lng, false);
    document.getElementById("id_lat").value = p.lat.toFixed(6);
    document.getElementById("id_lng").value = p.lng.toFixed(6);
    var out = document.getElementById(box.getAttribute("data-status"));
    if (out) out.textContent = box.getAttribute("data-done") + " " + p.lat.toFixed(5) + ", " + p.lng.toFixed(5);
  });
  document.addEventListener("clinic:position", function (ev) { place(ev.detail.lat, ev.detail.lng, true); });
});
