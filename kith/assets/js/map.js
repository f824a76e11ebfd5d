// The results map: loads Leaflet only when there are results to show, reads the markers from
// the JSON script tag beside it, and adds map tiles only when the site sets a tile server.
// Without JavaScript the map stays hidden and the list stands alone.
let leaflet;

function loadLeaflet(el) {
  if (window.L) return Promise.resolve(window.L);
  if (leaflet) return leaflet;
  leaflet = new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = el.dataset.leafletCss;
    document.head.append(css);
    const script = document.createElement("script");
    script.src = el.dataset.leafletJs;
    script.onload = () => resolve(window.L);
    script.onerror = reject;
    document.head.append(script);
  });
  return leaflet;
}

export function readMarkers(doc) {
  const data = doc.getElementById("results-map-data");
  if (!data) return [];
  try {
    return JSON.parse(data.textContent).filter(
      (m) => Number.isFinite(m.lat) && Number.isFinite(m.lng),
    );
  } catch {
    return [];
  }
}

export default function init(el) {
  const markers = readMarkers(document);
  if (!markers.length) return;
  loadLeaflet(el).then((L) => {
    el.hidden = false;
    const map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        attribution: el.dataset.tileAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    } else {
      el.classList.add("app-map--plain");
    }
    const points = [];
    for (const marker of markers) {
      const link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.name; // text, never HTML
      // Markers stay out of the tab order (WCAG 2.5.8): close ones overlap, and every one
      // repeats a link that the results list beside the map already gives.
      L.marker([marker.lat, marker.lng], { title: marker.name, alt: marker.name, keyboard: false })
        .bindPopup(link)
        .addTo(map);
      points.push([marker.lat, marker.lng]);
    }
    map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
  }).catch(() => {
    el.hidden = true;
  });
}
