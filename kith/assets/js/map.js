// The results map: loads Leaflet only when there are results to show, reads the markers from
// the JSON script tag beside it, and adds map tiles only when the site sets a tile server; with
// none it shows the markers (and the place searched from) on a plain background, fitted to them.
// Without JavaScript the map stays hidden and the list stands alone.
let leaflet;

// Leaflet finds its marker images by reading leaflet.css's URL for them, which fails once the
// files are renamed with their hash (the production manifest storage), and while the stylesheet
// is still loading: the page gives their URLs instead, as static() resolves them.
export function markerIconOptions(dataset) {
  if (!dataset.markerIcon) return null;
  return {
    iconUrl: dataset.markerIcon,
    iconRetinaUrl: dataset.markerIcon2x || dataset.markerIcon,
    shadowUrl: dataset.markerShadow || "",
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    tooltipAnchor: [16, -28],
    shadowSize: [41, 41],
  };
}

// The place the results are measured from, when the page gives one.
export function searchPoint(dataset) {
  const lat = Number.parseFloat(dataset.centreLat);
  const lng = Number.parseFloat(dataset.centreLng);
  return Number.isFinite(lat) && Number.isFinite(lng) ? [lat, lng] : null;
}

function loadLeaflet(el) {
  if (window.L) return Promise.resolve(window.L);
  if (leaflet) return leaflet;
  const load = (tag, attributes) =>
    new Promise((resolve, reject) => {
      const node = Object.assign(document.createElement(tag), attributes);
      node.onload = resolve;
      node.onerror = reject;
      document.head.append(node);
    });
  // The stylesheet too, before the map is drawn: without it the tiles and markers have no layout.
  leaflet = Promise.all([
    load("link", { rel: "stylesheet", href: el.dataset.leafletCss }),
    load("script", { src: el.dataset.leafletJs }),
  ]).then(() => window.L);
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
  // Once per map: htmx settles the results and the crisis box it swaps with them, and each
  // settle starts the results' modules; a second L.map() on the same element would throw, and
  // the map would be hidden again.
  if (el.dataset.mapStarted) return;
  const markers = readMarkers(document);
  if (!markers.length) return;
  el.dataset.mapStarted = "true";
  loadLeaflet(el).then((L) => {
    el.hidden = false;
    const map = L.map(el, { scrollWheelZoom: false });
    const iconOptions = markerIconOptions(el.dataset);
    const icon = iconOptions ? L.icon(iconOptions) : new L.Icon.Default();
    L.control.scale({ imperial: true, metric: true }).addTo(map);
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
      L.marker([marker.lat, marker.lng], { icon, title: marker.name, alt: marker.name, keyboard: false })
        .bindPopup(link)
        .addTo(map);
      points.push([marker.lat, marker.lng]);
    }
    const centre = searchPoint(el.dataset);
    if (centre) {
      // Where the distances are measured from: a ring, not a pin, so it is not taken for a result.
      L.circleMarker(centre, {
        radius: 8, color: "#005eb8", weight: 3, fillColor: "#ffffff", fillOpacity: 1,
        interactive: false, className: "app-map__centre",
      }).addTo(map);
      points.push(centre);
    }
    map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
  }).catch(() => {
    el.hidden = true;
  });
}
