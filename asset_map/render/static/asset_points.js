/*
 * asset_points.js: the assets of one map, in one clustering for all types (asset_map).
 *
 * L.assetPoints(map, data, options) turns the compact arrays that asset_map writes into the
 * page (coordinates, a type per range, a name and a short record per asset) into markers.
 * Every type gets a layer of its own for the layer control (points.typeLayer(k)); switching
 * a type on or off adds or removes that type's markers in the ONE shared cluster group, so
 * the clusters always count what is shown. Without clustering the markers are drawn one by
 * one; when there are many, as circles on the map's canvas (the map then has preferCanvas).
 *
 * Cheap per asset: a marker holds its index and type; its tooltip (the name) and popup are
 * made when it is first drawn, hovered, clicked or asked for, and the popup's HTML is built
 * from the asset's record when it opens. Every text in `data` is HTML-escaped by asset_map
 * already; this file only concatenates those texts, and never inserts anything else.
 *
 * Weekly activities never get a pin of their own: a place's popup lists them (`data.act`),
 * and the layer points.activityLayer() marks the places that have them with a ring and a
 * count on their own marker (and a dot on a cluster that holds such places).
 */
(function () {
  'use strict';

  // Popup and tooltip made on first use, for markers and circle markers alike.
  var lazy = {
    _amReady: function () {
      if (!this._amBound) {
        this._amBound = true;
        var points = this._amPoints, i = this._amIndex;
        this.bindTooltip(points.names[i]);
        this.bindPopup(function (layer) { return points.popupHtml(layer._amIndex); },
          points.popupOptions());
      }
      return this;
    },
    getTooltip: function () {
      return L.Layer.prototype.getTooltip.call(this._amReady());
    },
    getPopup: function () {
      return L.Layer.prototype.getPopup.call(this._amReady());
    },
    openTooltip: function (latlng) {
      return L.Layer.prototype.openTooltip.call(this._amReady(), latlng);
    },
    openPopup: function (latlng) {
      return L.Layer.prototype.openPopup.call(this._amReady(), latlng);
    },
    togglePopup: function () {
      return L.Layer.prototype.togglePopup.call(this._amReady());
    }
  };

  // A marker binds its tooltip just before it is first drawn, so that Leaflet also opens it
  // when the marker gets the keyboard's focus.
  var AssetMarker = L.Marker.extend(lazy).extend({
    beforeAdd: function () {
      this._amReady();
    }
  });
  var AssetCircle = L.CircleMarker.extend(lazy);

  // The switch of the weekly activities: marks the places that have them.
  var ActivityLayer = L.Layer.extend({
    initialize: function (points) {
      this._points = points;
    },
    onAdd: function (map) {
      this._points._markActivities(map, true);
    },
    onRemove: function (map) {
      this._points._markActivities(map, false);
    }
  });

  // One type's switch in the layer control: it holds no markers itself.
  var TypeLayer = L.Layer.extend({
    initialize: function (points, k) {
      this._points = points;
      this._k = k;
    },
    onAdd: function (map) {
      this._points._want(this._k, true, map);
    },
    onRemove: function () {
      this._points._want(this._k, false);
    }
  });

  function AssetPoints(map, data, options) {
    var n = data.lon.length, lat = new Array(n), step = 0, i, k;
    var o = data.o;
    for (i = 0; i < n; i++) {
      step += data.lat[i];
      lat[i] = (o[0] + step) / o[2];
    }
    this.map = map;
    this.data = data;
    this.names = data.name;
    this.options = options;
    this._lat = lat;
    this.types = data.types;
    this.start = [];
    this._planned = {};
    for (i = 0; i < data.planned.length; i++) { this._planned[data.planned[i]] = true; }
    var at = 0;
    for (k = 0; k < this.types.length; k++) {
      this.start.push(at);
      at += this.types[k].n;
    }
    this.start.push(at);
    this._markers = [];
    this._wanted = [];
    this._shown = [];
    this._layers = [];
    for (k = 0; k < this.types.length; k++) {
      this._markers.push(null);
      this._wanted.push(false);
      this._shown.push(false);
      this._layers.push(new TypeLayer(this, k));
    }
    this._loading = false;
    this._pending = false;
    // Weekly activities per place: {index: [count, popup html]}.
    this._act = data.act || {};
    this._hasAct = Object.keys(this._act).length > 0;
    this._actOn = false;
    this.group = this._makeGroup();
  }

  AssetPoints.prototype = {
    // The layer-control switch of type k.
    typeLayer: function (k) {
      return this._layers[k];
    },

    // The index of the type of asset i.
    typeOf: function (i) {
      var k = 0;
      while (i >= this.start[k + 1]) { k++; }
      return k;
    },

    // The switch of the weekly activities for the layer control.
    activityLayer: function () {
      if (!this._activityLayer) { this._activityLayer = new ActivityLayer(this); }
      return this._activityLayer;
    },

    // A popup fits the map: it scrolls when it is taller, and opens clear of the search box
    // and the buttons at the top left.
    popupOptions: function () {
      var size = this.map.getSize();
      return {maxWidth: Math.max(160, Math.min(280, size.x - 100)),
        maxHeight: Math.max(160, size.y - 150),
        autoPanPaddingTopLeft: L.point(56, 56), autoPanPaddingBottomRight: L.point(12, 24)};
    },

    // Field j of asset i's record (see RECORD_FIELDS), as escaped text; '' when empty.
    text: function (i, j) {
      var d = this.data, r = d.rec[i] || [], v = r[j];
      if (v === undefined) { return ''; }
      return d.T[j] ? d.T[j][v] : v;
    },

    // The popup's HTML of asset i: only pre-escaped texts, concatenated.
    popupHtml: function (i) {
      var d = this.data, L_ = d.labels, t = this.types[this.typeOf(i)], self = this;
      function field(j) { return self.text(i, j); }
      function meta(label, value) {
        return value ? '<div class="am-meta">' + label + ': ' + value + '</div>' : '';
      }
      var street = field(0), number = field(1);
      var h = '<div class="am-popup"><div class="am-type">' + t.title + '</div>'
        + '<div class="am-name">' + this.names[i] + '</div>';
      if (this._planned[i]) { h += '<div class="am-meta"><b>' + L_.planned + '</b></div>'; }
      if (field(4)) { h += '<div>' + field(4) + '</div>'; }
      h += meta(L_.address, street ? street + (number ? ' ' + number : '') : '');
      h += meta(L_.tags, field(3));
      h += meta(L_.capacity, field(5));
      h += meta(L_.source, field(2));
      if (this._act[i]) { h += this._act[i][1]; }
      return h + '</div>';
    },

    // Show asset i: zoom to it (out of its cluster) and open its popup.
    reveal: function (i) {
      var k = this.typeOf(i), map = this.map, m = null;
      if (this._shown[k] && this._markers[k]) { m = this._markers[k][i - this.start[k]]; }
      if (m && this.group.hasLayer(m)) {
        if (this.options.cluster) {
          this.group.zoomToShowLayer(m, function () { m.openPopup(); });
        } else {
          map.setView(m.getLatLng(), Math.max(map.getZoom(), 17), {animate: false});
          m.openPopup();
        }
        return;
      }
      // Its type is switched off: show where it is, in a popup of its own.
      var at = L.latLng(this._lat[i], (this.data.o[1] + this.data.lon[i]) / this.data.o[2]);
      map.setView(at, Math.max(map.getZoom(), 17), {animate: false});
      L.popup(this.popupOptions()).setLatLng(at).setContent(this.popupHtml(i)).openOn(map);
    },

    // Mark (or unmark) the places with weekly activities: a CSS class on the map for the
    // HTML markers and clusters, a ring for the circles on a canvas.
    _markActivities: function (map, on) {
      this._actOn = on;
      var box = map.getContainer();
      if (on) { L.DomUtil.addClass(box, 'am-act-on'); } else {
        L.DomUtil.removeClass(box, 'am-act-on');
      }
      if (!this.options.canvas) { return; }
      for (var k = 0; k < this._markers.length; k++) {
        var ms = this._markers[k] || [];
        for (var j = 0; j < ms.length; j++) {
          if (this._act[ms[j]._amIndex]) { ms[j].setStyle(this._circleStyle(ms[j]._amIndex)); }
        }
      }
    },

    _circleStyle: function (i) {
      var t = this.types[this.typeOf(i)];
      var style = {radius: 7, weight: 2, color: '#fff', opacity: 1, fillColor: t.color,
        fillOpacity: 0.95, dashArray: null};
      if (this._planned[i]) { style.color = '#222'; style.dashArray = '3 3'; }
      if (this._actOn && this._act[i]) {
        style.color = this.options.actColor; style.weight = 4; style.radius = 8;
      }
      return style;
    },

    // The markers of type k, made once, when the type is first shown.
    markersOf: function (k) {
      if (this._markers[k]) { return this._markers[k]; }
      var t = this.types[k], lon = this.data.lon, o = this.data.o, out = [], i, m;
      var canvas = this.options.canvas, icons = {};
      var self = this;
      // The icon of a place: its type, planned or not, and its weekly activities (a count
      // shown when the activity layer is on); made once per kind of icon.
      function iconOf(i) {
        var planned = !!self._planned[i], act = self._hasAct ? self._act[i] : undefined;
        var key = (planned ? 'p' : '') + (act ? act[0] : '');
        if (!icons[key]) {
          icons[key] = L.divIcon({
            className: 'am-pin' + (planned ? ' am-planned' : '') + (act ? ' am-has-act' : ''),
            html: t.icon + (act ? '<b class="am-act-badge">' + act[0] + '</b>' : ''),
            iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]});
        }
        return icons[key];
      }
      for (i = this.start[k]; i < this.start[k + 1]; i++) {
        var at = L.latLng(this._lat[i], (o[1] + lon[i]) / o[2]);
        if (canvas) {
          // The map's own renderer: a canvas (preferCanvas), shared with the areas, so that
          // a click finds the topmost shape, be it a place or a buurt.
          m = new AssetCircle(at, this._circleStyle(i));
        } else {
          m = new AssetMarker(at, {icon: iconOf(i)});
        }
        m._amPoints = this;
        m._amIndex = i;
        m._amType = k;
        out.push(m);
      }
      this._markers[k] = out;
      return out;
    },

    // The icon of a cluster: its count on the colour of its most common type, in a ring that
    // shows the mix of types; data-types lists the count per type ("park:3 winkel:1").
    clusterIcon: function (cluster) {
      var children = cluster.getAllChildMarkers(), counts = {}, order = [], i, k, act = 0;
      for (i = 0; i < children.length; i++) {
        k = children[i]._amType;
        if (this._hasAct && this._act[children[i]._amIndex]) { act++; }
        if (counts[k] === undefined) { counts[k] = 0; order.push(k); }
        counts[k]++;
      }
      order.sort(function (a, b) { return a - b; });
      var n = children.length, acc = 0, stops = [], listed = [], top = order[0];
      for (i = 0; i < order.length; i++) {
        k = order[i];
        var from = (100 * acc / n).toFixed(1);
        acc += counts[k];
        stops.push(this.types[k].color + ' ' + from + '% ' + (100 * acc / n).toFixed(1) + '%');
        listed.push(this.types[k].key + ':' + counts[k]);
        if (counts[k] > counts[top]) { top = k; }
      }
      var s = n < 10 ? 30 : (n < 100 ? 36 : (n < 1000 ? 44 : 50));
      return L.divIcon({
        className: 'marker-cluster am-cluster',
        iconSize: L.point(s, s),
        html: '<div data-types="' + listed.join(' ') + '" style="background:conic-gradient('
          + stops.join(',') + ')"><span style="background:' + this.types[top].color + '">'
          + n + '</span></div>' + (act ? '<b class="am-act-badge am-act-dot"></b>' : '')
      });
    },

    _makeGroup: function () {
      var self = this, group;
      if (this.options.cluster) {
        group = L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 80,
          disableClusteringAtZoom: 17,
          // Splitting clusters without animation: a zoom is done when the map is.
          animate: false,
          chunkedLoading: true,
          chunkInterval: 100,
          chunkDelay: 10,
          chunkProgress: function (done, total) {
            if (done >= total) { self._loaded(); }
          },
          iconCreateFunction: function (c) { return self.clusterIcon(c); }
        });
      } else {
        group = L.featureGroup();
      }
      // Circle markers and undrawn markers get their tooltip and popup at first use: on
      // hover, and before a click is handled (so that the click opens the popup).
      group.on('mouseover', function (e) {
        var m = e.layer;
        if (m && m._amReady && !m._amBound) { m.openTooltip(); }
      });
      group.on('preclick', function (e) {
        if (e.layer && e.layer._amReady) { e.layer._amReady(); }
      });
      return group;
    },

    _want: function (k, on, map) {
      this._wanted[k] = on;
      if (map && !this.group._map) { map.addLayer(this.group); }
      if (!this._pending) {
        this._pending = true;
        var self = this;
        // All switches set in one go (the page's first script, a layer control click) are
        // applied together: one addLayers for every type shown at the start.
        Promise.resolve().then(function () { self._sync(); });
      }
    },

    // The last chunk of an addLayers is in: apply the switches changed meanwhile, once the
    // cluster group has finished that addLayers (it calls chunkProgress before it is done).
    _loaded: function () {
      var self = this;
      this._loading = false;
      if (this._pending) { Promise.resolve().then(function () { self._sync(); }); }
    },

    // Make the group hold the markers of exactly the types switched on.
    _sync: function () {
      if (this._loading) { return; }
      this._pending = false;
      var add = [], remove = [], shownCount = 0, k;
      for (k = 0; k < this.types.length; k++) {
        if (this._shown[k]) { shownCount += this.types[k].n; }
        if (this._wanted[k] && !this._shown[k]) { add = add.concat(this.markersOf(k)); }
        if (!this._wanted[k] && this._shown[k]) { remove = remove.concat(this._markers[k]); }
        this._shown[k] = this._wanted[k];
      }
      var group = this.group, i;
      if (remove.length && this.options.cluster && remove.length > 0.4 * shownCount) {
        // removeLayers is slow for many markers (Leaflet.markercluster #59): start again
        // with the markers that stay.
        group.clearLayers();
        add = [];
        for (k = 0; k < this.types.length; k++) {
          if (this._shown[k]) { add = add.concat(this.markersOf(k)); }
        }
      } else if (remove.length) {
        if (this.options.cluster) { group.removeLayers(remove); } else {
          for (i = 0; i < remove.length; i++) { group.removeLayer(remove[i]); }
        }
      }
      if (!add.length) { return; }
      if (this.options.cluster) {
        this._loading = !!group._map;
        group.addLayers(add);
      } else {
        for (i = 0; i < add.length; i++) { group.addLayer(add[i]); }
      }
    }
  };

  L.AssetPoints = AssetPoints;
  L.assetPoints = function (map, data, options) {
    return new AssetPoints(map, data, options);
  };
}());
