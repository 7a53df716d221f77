// The shared situation map: offline country outlines (Natural Earth via world-atlas), an
// optional tile layer served by this node, and the active CAP areas as GeoJSON.
// No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  const COLOURS = { Extreme: "#7a0010", Severe: "#c0392b", Moderate: "#d68910", Minor: "#2874a6" };

  function colour(severity) {
    return COLOURS[severity] || "#555";
  }

  function popup(properties) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = "/crisis/m/" + encodeURIComponent(properties.id);
    const lang = document.documentElement.lang;
    link.textContent =
      (properties.headlines || {})[lang] || properties.headline || properties.event;
    const meta = document.createElement("div");
    meta.textContent = [properties.severity, properties.area, properties.sender].join(" · ");
    box.append(link, meta);
    return box;
  }

  function start() {
    const element = document.getElementById("crisis-map");
    if (!element || typeof L === "undefined") {
      return;
    }
    const map = L.map(element).setView([50.4, 3.6], 7);
    const tiles = element.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 16 }).addTo(map);
    }
    fetch(element.dataset.outlines)
      .then((response) => response.json())
      .then((topology) => {
        const countries = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(countries, {
          interactive: false,
          style: { color: "#777", weight: 1, fillColor: "#f4f1ea", fillOpacity: tiles ? 0 : 1 },
        }).addTo(map).bringToBack();
      });
    fetch(element.dataset.situation, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((collection) => {
        const layer = L.geoJSON(collection, {
          style: (feature) => ({ color: colour(feature.properties.severity), weight: 2 }),
          pointToLayer: (feature, latlng) =>
            L.circle(latlng, {
              radius: feature.properties.radius_km * 1000,
              color: colour(feature.properties.severity),
            }),
          onEachFeature: (feature, shape) => shape.bindPopup(popup(feature.properties)),
        }).addTo(map);
        element.dataset.features = String(collection.features.length);
        if (collection.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [20, 20] });
        }
      });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
