/*
 * map_controls.js: the controls every asset_map map shares (asset_map).
 *
 * - L.amControls.panel(map, html, options): a legend or colour scale in a corner, as a
 *   <details> box that starts closed on a narrow map (a phone) and open, compact, on a wide one;
 * - L.amControls.fit(map, bounds): fit the view to the places with room for the controls, so
 *   no place starts under the legend, the search box or the buttons;
 * - L.amControls.tiles(map, layer, texts): a notice when the background tiles do not load, with
 *   a button to go on without them; the tiles' credit shows only while tiles are shown;
 * - L.amControls.search(map, points, entries, texts): a search box over the places the page
 *   holds (name, address), its wijken and buurten and the local postcodes; a choice zooms there;
 * - L.amControls.locate(map, texts): a "my location" button (the browser's geolocation), with
 *   a plain message when the browser refuses;
 * - L.amControls.hatch(map): the fill of areas beyond walking distance, a hatch that leaves the
 *   colours under it as they are (an SVG pattern, or a canvas pattern on a canvas map).
 *
 * Every text handed in is HTML-escaped by asset_map already; this file puts only those texts
 * and its own fixed markup into the page.
 */
(function () {
  'use strict';

  var C = {};

  function stopEvents(div) {
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
  }

  // --- legend and colour scale ------------------------------------------------------------

  C.panel = function (map, html, options) {
    var control = L.control({position: options.position || 'topright'});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', options.className || 'am-legend');
      div.innerHTML = html;
      var details = div.querySelector('details');
      var size = map.getSize();
      if (size.x > 0 && size.x < (options.narrow || 600)) {
        // A phone: boxes start closed, and notices leave room for the colour scale.
        L.DomUtil.addClass(map.getContainer(), 'am-narrow-map');
        if (details) { details.open = false; }
      }
      var body = div.querySelector('.am-legend-body');
      if (body && size.y > 0) {
        // Never taller than the map leaves room for: it scrolls instead.
        body.style.maxHeight = Math.max(120, Math.round(size.y * (options.share || 0.55))) + 'px';
      }
      stopEvents(div);
      return div;
    };
    control.addTo(map);
    return control;
  };

  // --- the first view: the places, not under a control ------------------------------------

  // The room the controls need, as padding for fitBounds. Each control is kept free either
  // by a strip beside it or by a strip above (below) it; of all the ways to choose, the one
  // that leaves the places the largest view, given the shape of what is shown.
  C.padding = function (map, bounds) {
    var size = map.getSize(), none = {l: 0, t: 0, r: 0, b: 0};
    if (size.x < 200 || size.y < 200) { return none; }
    var b = L.latLngBounds(bounds);
    var p0 = map.project(b.getSouthWest(), 0), p1 = map.project(b.getNorthEast(), 0);
    var bw = Math.max(Math.abs(p1.x - p0.x), 1e-9), bh = Math.max(Math.abs(p1.y - p0.y), 1e-9);
    var box = map.getContainer().getBoundingClientRect();
    var controls = map.getContainer().querySelectorAll('.leaflet-control'), strips = [];
    for (var i = 0; i < controls.length; i++) {
      var el = controls[i], r = el.getBoundingClientRect();
      if (!r.width || !r.height || el.classList.contains('am-notice')) { continue; }
      var corner = el.parentNode.className;
      var left = corner.indexOf('leaflet-left') >= 0, top = corner.indexOf('leaflet-top') >= 0;
      strips.push({
        side: left ? 'l' : 'r', across: left ? r.right - box.left : box.right - r.left,
        end: top ? 't' : 'b', down: top ? r.bottom - box.top : box.bottom - r.top
      });
    }
    function padOf(choice) {
      var pad = {l: 0, t: 0, r: 0, b: 0};
      for (var j = 0; j < strips.length; j++) {
        var s = strips[j];
        if (choice & (1 << j)) { pad[s.end] = Math.max(pad[s.end], s.down); } else {
          pad[s.side] = Math.max(pad[s.side], s.across);
        }
      }
      return pad;
    }
    function scale(p) {
      return Math.min((size.x - p.l - p.r) / bw, (size.y - p.t - p.b) / bh);
    }
    function lost(p) {
      return (p.l + p.r) * size.y + (p.t + p.b) * size.x;
    }
    var n = Math.min(strips.length, 12), best = null, bestScale = -Infinity;
    for (var c = 0; c < (1 << n); c++) {
      var pad = padOf(c), sc = scale(pad);
      if (sc > bestScale + 1e-12 || (Math.abs(sc - bestScale) <= 1e-12 && lost(pad) < lost(best))) {
        best = pad;
        bestScale = sc;
      }
    }
    // Whatever the controls take, the places keep at least half of the map.
    var sx = Math.min(1, 0.5 * size.x / Math.max(best.l + best.r, 1));
    var sy = Math.min(1, 0.5 * size.y / Math.max(best.t + best.b, 1));
    return {l: best.l * sx, t: best.t * sy, r: best.r * sx, b: best.b * sy};
  };

  // Whether Leaflet's CSS is in: the controls sit in their corners only then (a page that
  // loads the CSS after its scripts, as st_folium does, measures nothing sensible before).
  function laidOut(map) {
    var corner = map.getContainer().querySelector('.leaflet-top');
    return !corner || window.getComputedStyle(corner).position === 'absolute';
  }

  C.fit = function (map, bounds) {
    function apply() {
      var pad = C.padding(map, bounds), m = 6;
      map.fitBounds(bounds, {
        animate: false,
        paddingTopLeft: [pad.l + m, pad.t + m],
        paddingBottomRight: [pad.r + m, pad.b + m]
      });
    }
    if (laidOut(map)) {
      apply();
      return;
    }
    // Fit now without room for the controls, and again with it once the CSS is in, unless
    // the reader has moved the map by then.
    map.fitBounds(bounds, {animate: false});
    var touched = false, tries = 0, box = map.getContainer();
    function touch() { touched = true; }
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
      box.addEventListener(name, touch, {once: true, passive: true});
    });
    (function wait() {
      if (touched) { return; }
      if (laidOut(map)) {
        apply();
        return;
      }
      if (++tries < 200) { window.setTimeout(wait, 25); }
    }());
  };

  // --- notices ----------------------------------------------------------------------------

  // One small box per kind of message (tiles, location) at the bottom left.
  C.notice = function (map, key, html, buttons) {
    map._amNotices = map._amNotices || {};
    var old = map._amNotices[key];
    if (old) { map.removeControl(old); }
    var control = L.control({position: 'bottomleft'});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'am-notice leaflet-control');
      div.setAttribute('role', 'status');
      div.setAttribute('data-notice', key);
      var text = L.DomUtil.create('div', 'am-notice-text', div);
      text.innerHTML = html;
      var row = L.DomUtil.create('div', 'am-notice-buttons', div);
      (buttons || []).forEach(function (b) {
        var button = L.DomUtil.create('button', b.primary ? 'am-primary' : '', row);
        button.type = 'button';
        button.innerHTML = b.label;
        L.DomEvent.on(button, 'click', function (e) {
          L.DomEvent.stop(e);
          b.action();
        });
      });
      stopEvents(div);
      return div;
    };
    control.addTo(map);
    map._amNotices[key] = control;
    return control;
  };

  C.closeNotice = function (map, key) {
    var control = map._amNotices && map._amNotices[key];
    if (control) {
      map.removeControl(control);
      delete map._amNotices[key];
    }
  };

  // --- background tiles -------------------------------------------------------------------

  C.tiles = function (map, layer, texts) {
    var loaded = 0, failed = 0, shown = false;
    var credit = layer.getAttribution ? layer.getAttribution() : '';
    var credited = true;
    function uncredit() {
      if (credited && credit && map.attributionControl) {
        map.attributionControl.removeAttribution(credit);
        credited = false;
      }
    }
    layer.on('tileload', function () {
      loaded++;
      if (!credited && credit && map.attributionControl && map.hasLayer(layer)) {
        map.attributionControl.addAttribution(credit);
        credited = true;
      }
    });
    layer.on('tileerror', function () {
      failed++;
      // No tile shown: no credit for a map that is not there.
      if (loaded === 0) { uncredit(); }
      if (shown || failed <= loaded) { return; }
      shown = true;
      C.notice(map, 'tiles', texts.failed, [
        {label: texts.none, primary: true, action: function () {
          uncredit();
          map.removeLayer(layer);
          C.closeNotice(map, 'tiles');
        }},
        {label: texts.close, action: function () { C.closeNotice(map, 'tiles'); }}
      ]);
    });
  };

  // --- hatch for areas beyond walking distance ---------------------------------------------

  var HATCH_ID = 'am-hatch';

  C.hatch = function (map) {
    if (map.options.preferCanvas) {
      if (!C._canvasHatch) {
        var tile = document.createElement('canvas');
        tile.width = tile.height = 8;
        var ctx = tile.getContext('2d');
        ctx.lineCap = 'square';
        ctx.strokeStyle = 'rgba(255,255,255,0.9)';
        ctx.lineWidth = 3;
        ctx.beginPath(); ctx.moveTo(0, 8); ctx.lineTo(8, 0); ctx.stroke();
        ctx.strokeStyle = '#1a1a1a';
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(0, 8); ctx.lineTo(8, 0); ctx.stroke();
        C._canvasHatch = ctx.createPattern(tile, 'repeat');
      }
      return C._canvasHatch;
    }
    if (!document.getElementById(HATCH_ID)) {
      var ns = 'http://www.w3.org/2000/svg';
      var svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('width', '0');
      svg.setAttribute('height', '0');
      svg.setAttribute('aria-hidden', 'true');
      svg.style.position = 'absolute';
      svg.innerHTML = '<defs><pattern id="' + HATCH_ID + '" patternUnits="userSpaceOnUse" '
        + 'width="8" height="8" patternTransform="rotate(45)">'
        + '<line x1="2" y1="0" x2="2" y2="8" stroke="#fff" stroke-opacity="0.9" '
        + 'stroke-width="3.5"/><line x1="2" y1="0" x2="2" y2="8" stroke="#1a1a1a" '
        + 'stroke-width="1.5"/></pattern></defs>';
      document.body.appendChild(svg);
    }
    return 'url(#' + HATCH_ID + ')';
  };

  // --- search -----------------------------------------------------------------------------

  var ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"'};

  function unescapeHtml(s) {
    return String(s).replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot);/gi, function (m, e) {
      if (e[0] === '#') {
        return String.fromCharCode(e[1] === 'x' || e[1] === 'X'
          ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      }
      return ENTITIES[e.toLowerCase()] || m;
    });
  }

  function norm(s) {
    return unescapeHtml(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/\s+/g, ' ').trim();
  }

  function compact(s) { return s.replace(/\s+/g, ''); }

  // How well a text matches: 0 for its start, 1 for a word's start, 2 inside; -1 for none.
  function rank(text, q) {
    var at = text.indexOf(q);
    if (at < 0) { return -1; }
    if (at === 0) { return 0; }
    return text[at - 1] === ' ' || text[at - 1] === '-' ? 1 : 2;
  }

  C.search = function (map, points, entries, texts) {
    var index = null, marker = null, results = [], control = L.control({position: 'topleft'});
    var input, list, div;

    function build() {
      if (index) { return index; }
      index = {places: [], areas: [], postcodes: []};
      if (points) {
        for (var i = 0; i < points.names.length; i++) {
          var street = points.text(i, 0), number = points.text(i, 1);
          index.places.push([norm(points.names[i]), norm(street + ' ' + number), i]);
        }
      }
      (entries.areas || []).forEach(function (a) { index.areas.push([norm(a[0]), a]); });
      (entries.postcodes || []).forEach(function (p) {
        index.postcodes.push([compact(norm(p[0])), p]);
      });
      return index;
    }

    function find(raw) {
      var q = norm(raw), out = [], i, r;
      if (q.length < 2) { return out; }
      var idx = build(), pc = compact(q);
      if (/^[0-9]{4}/.test(pc)) {
        for (i = 0; i < idx.postcodes.length && out.length < 8; i++) {
          if (idx.postcodes[i][0].indexOf(pc) === 0) {
            var p = idx.postcodes[i][1];
            out.push({kind: 'postcode', r: 0, label: p[0], sub: texts.postcode, p: p});
          }
        }
      }
      var found = [];
      for (i = 0; i < idx.areas.length; i++) {
        r = rank(idx.areas[i][0], q);
        if (r >= 0) {
          var a = idx.areas[i][1];
          found.push({kind: 'area', r: r, label: a[0], sub: a[1], a: a});
        }
      }
      for (i = 0; i < idx.places.length && found.length < 400; i++) {
        var e = idx.places[i], byName = rank(e[0], q), byAddress = rank(e[1], q);
        if (byName < 0 && byAddress < 0) { continue; }
        var k = points.typeOf(e[2]);
        var where = points.text(e[2], 0) + (points.text(e[2], 1) ? ' ' + points.text(e[2], 1) : '');
        found.push({
          kind: 'place', i: e[2], label: points.names[e[2]],
          r: byName >= 0 ? byName : 3 + byAddress,
          sub: points.types[k].title + (where ? ' · ' + where : '')
        });
      }
      found.sort(function (x, y) { return x.r - y.r || (x.label < y.label ? -1 : 1); });
      return out.concat(found).slice(0, 8);
    }

    function show(found) {
      results = found;
      list.innerHTML = '';
      if (!found.length) {
        if (input.value.trim().length >= 2) {
          var none = L.DomUtil.create('li', 'am-search-none', list);
          none.innerHTML = texts.none;
        }
        return;
      }
      found.forEach(function (f, n) {
        var li = L.DomUtil.create('li', '', list);
        var button = L.DomUtil.create('button', 'am-search-hit', li);
        button.type = 'button';
        button.setAttribute('data-kind', f.kind);
        button.innerHTML = '<span class="am-search-name">' + f.label + '</span><small>'
          + f.sub + '</small>';
        L.DomEvent.on(button, 'click', function (ev) {
          L.DomEvent.stop(ev);
          go(results[n]);
        });
      });
    }

    function mark(latlng, label) {
      if (marker) { map.removeLayer(marker); }
      marker = L.circleMarker(latlng, {radius: 10, weight: 3, color: '#0b6e4f', fillOpacity: 0.15,
        className: 'am-search-mark'}).addTo(map);
      marker.bindTooltip(label, {permanent: true, direction: 'top', offset: [0, -8]});
    }

    function go(f) {
      if (!f) { return; }
      list.innerHTML = '';
      if (f.kind === 'postcode') {
        var at = L.latLng(f.p[1], f.p[2]);
        map.setView(at, Math.max(map.getZoom(), 17), {animate: false});
        mark(at, f.label);
      } else if (f.kind === 'area') {
        if (marker) { map.removeLayer(marker); marker = null; }
        map.fitBounds([[f.a[2], f.a[3]], [f.a[4], f.a[5]]], {animate: false});
      } else {
        if (marker) { map.removeLayer(marker); marker = null; }
        points.reveal(f.i);
      }
    }

    control.onAdd = function () {
      div = L.DomUtil.create('div', 'am-search leaflet-bar');
      var form = L.DomUtil.create('form', '', div);
      form.setAttribute('role', 'search');
      var label = L.DomUtil.create('label', 'am-search-label', form);
      label.innerHTML = '<span class="am-search-icon" aria-hidden="true">&#x1F50D;</span>';
      input = L.DomUtil.create('input', '', label);
      input.type = 'search';
      input.placeholder = unescapeHtml(texts.placeholder);
      input.setAttribute('aria-label', unescapeHtml(texts.placeholder));
      input.autocomplete = 'off';
      list = L.DomUtil.create('ul', 'am-search-results', div);
      list.setAttribute('role', 'list');
      L.DomEvent.on(input, 'input', function () { show(find(input.value)); });
      L.DomEvent.on(form, 'submit', function (ev) {
        L.DomEvent.stop(ev);
        var found = find(input.value);
        show(found);
        if (found.length) { go(found[0]); }
      });
      L.DomEvent.on(input, 'keydown', function (ev) {
        if (ev.key === 'Escape') { input.value = ''; show([]); }
      });
      stopEvents(div);
      return div;
    };
    control.addTo(map);
    // First in its corner: above the zoom buttons.
    var corner = div.parentNode;
    corner.insertBefore(div, corner.firstChild);
    if (map.getSize().x > 0 && map.getSize().x < 600) { div.classList.add('am-narrow'); }
    return control;
  };

  // --- my location ------------------------------------------------------------------------

  var LOCATE_ICON = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">'
    + '<circle cx="12" cy="12" r="7" fill="none" stroke="currentColor" stroke-width="2"/>'
    + '<circle cx="12" cy="12" r="2.5" fill="currentColor"/>'
    + '<path d="M12 1v4M12 19v4M1 12h4M19 12h4" stroke="currentColor" stroke-width="2"/></svg>';

  C.locate = function (map, texts) {
    var control = L.control({position: 'topleft'}), layer = L.layerGroup(), button;
    function fail(html) {
      if (button) { button.classList.remove('am-busy'); }
      C.notice(map, 'locate', html, [
        {label: texts.close, action: function () { C.closeNotice(map, 'locate'); }}
      ]);
    }
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'am-locate leaflet-bar');
      button = L.DomUtil.create('a', '', div);
      button.href = '#';
      button.setAttribute('role', 'button');
      button.title = unescapeHtml(texts.button);
      button.setAttribute('aria-label', unescapeHtml(texts.button));
      button.innerHTML = LOCATE_ICON;
      L.DomEvent.on(button, 'click', function (ev) {
        L.DomEvent.stop(ev);
        if (!navigator.geolocation || window.isSecureContext === false) {
          fail(texts.unsupported);
          return;
        }
        button.classList.add('am-busy');
        map.locate({setView: true, maxZoom: 16, timeout: 15000, enableHighAccuracy: true});
      });
      stopEvents(div);
      return div;
    };
    map.on('locationfound', function (e) {
      button.classList.remove('am-busy');
      C.closeNotice(map, 'locate');
      layer.clearLayers();
      L.circle(e.latlng, {radius: e.accuracy, weight: 1, color: '#1f78b4', fillOpacity: 0.08,
        interactive: false, className: 'am-located-area'}).addTo(layer);
      L.circleMarker(e.latlng, {radius: 7, weight: 3, color: '#fff', fillColor: '#1f78b4',
        fillOpacity: 1, className: 'am-located'}).bindTooltip(texts.here).addTo(layer);
      if (!map.hasLayer(layer)) { layer.addTo(map); }
    });
    map.on('locationerror', function (e) {
      fail(e.code === 1 ? texts.denied : texts.failed);
    });
    control.addTo(map);
    return control;
  };

  L.amControls = C;
}());
