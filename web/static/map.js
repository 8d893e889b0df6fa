// Repère: the maps. Markers come from the list the map illustrates (its
// items carry data-lat and data-lon), so the map never shows anything the
// list does not; outlines come from GeoJSON on this site. Without tiles
// (offline, or none configured) markers and outlines still show.
(function () {
  'use strict';

  var FRANCE = [46.6, 2.4];

  function marker(item) {
    var lat = parseFloat(item.dataset.lat);
    var lon = parseFloat(item.dataset.lon);
    if (!isFinite(lat) || !isFinite(lon)) return null;
    var link = item.querySelector('a');
    var name = item.dataset.name || (link ? link.textContent.trim() : '');
    var m = L.marker([lat, lon], {
      icon: L.divIcon({ className: 'map-marker', iconSize: [22, 22], iconAnchor: [11, 22], popupAnchor: [0, -20] }),
      title: name,
      keyboard: true
    });
    var popup = document.createElement('div');
    if (link) {
      var a = document.createElement('a');
      a.href = link.href;
      a.textContent = name;
      popup.appendChild(a);
    } else {
      popup.textContent = name;
    }
    var place = item.querySelector('[data-place]');
    if (place) {
      var p = document.createElement('p');
      p.textContent = place.textContent;
      popup.appendChild(p);
    }
    m.bindPopup(popup);
    m.on('add', function () {
      var el = m.getElement();
      if (el) el.setAttribute('aria-label', name);
    });
    return m;
  }

  function build(el) {
    if (el.dataset.ready || !window.L) return;
    el.dataset.ready = '1';
    el.replaceChildren();
    var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18, minZoom: 3, zoomControl: false });
    L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution(el.dataset.attribution || '');
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    var group = L.markerClusterGroup
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, disableClusteringAtZoom: 15 })
      : L.featureGroup();
    var points = [];
    var list = el.dataset.items && document.getElementById(el.dataset.items);
    if (list) {
      list.querySelectorAll('[data-lat]').forEach(function (item) {
        var m = marker(item);
        if (m) { group.addLayer(m); points.push(m.getLatLng()); }
      });
    }
    group.addTo(map);
    el.dataset.markers = String(points.length);
    if (points.length) {
      map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 14 });
    } else if (el.dataset.lat) {
      map.setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 12);
    } else {
      map.setView(FRANCE, 5);
    }
    if (el.dataset.outline) {
      fetch(el.dataset.outline, { headers: { Accept: 'application/geo+json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (geojson) {
          if (!geojson) return;
          var outline = L.geoJSON(geojson, { interactive: false, style: { color: '#000091', weight: 2, fillOpacity: 0.06 } }).addTo(map);
          var bounds = outline.getBounds();
          if (points.length) bounds.extend(L.latLngBounds(points));
          map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
          el.dataset.outlined = '1';
        })
        .catch(function () {});
    }
  }

  function init(root) {
    var maps = root.querySelectorAll('[data-map]');
    if (root.matches && root.matches('[data-map]')) build(root);
    Array.prototype.forEach.call(maps, build);
  }

  init(document);
  document.addEventListener('repere:update', function (e) { init(e.detail); });
})();
