/*
 * map_contents.js: the contents of a map that stays in the page (asset_map).
 *
 * A filter on the Kaart changes what the map shows, not the map itself. The page keeps the
 * map (its frame: the map, its base layer, zoom and scale) and sends new contents: the areas,
 * places, talents, activities, legend, layer control, attribution and view of the new
 * selection. L.amContents(map, styles, add) takes off what the previous contents put on the
 * map, adds the style sheets the page does not have yet, and calls add(map), which puts the
 * new contents on it.
 *
 * What comes off: every layer that is not the frame's (also those a reader switched on in
 * the layer control later), the controls, attribution texts and map events the contents
 * added (e.g. the "my location" button's). A clustering that is still loading its markers
 * in chunks is stopped first.
 */
(function () {
  'use strict';

  var frameLayers = null;   // the layers of the frame: on the map before any contents
  var added = null;         // what the current contents added: {controls, texts, events}
  var styles = {};          // the style sheets already in the page, by their text

  function addStyles(texts) {
    for (var i = 0; i < texts.length; i++) {
      if (styles[texts[i]]) { continue; }
      styles[texts[i]] = true;
      var sheet = document.createElement('style');
      sheet.textContent = texts[i];
      document.head.appendChild(sheet);
    }
  }

  function clear(map) {
    var gone = [];
    map.eachLayer(function (layer) {
      if (frameLayers.indexOf(layer) < 0) { gone.push(layer); }
    });
    for (var i = 0; i < gone.length; i++) {
      if (gone[i]._amStop) { gone[i]._amStop(); }
      map.removeLayer(gone[i]);
    }
    if (!added) { return; }
    for (i = 0; i < added.controls.length; i++) { added.controls[i].remove(); }
    var attribution = map.attributionControl;
    for (i = 0; attribution && i < added.texts.length; i++) {
      attribution.removeAttribution(added.texts[i]);
    }
    // Events of layers already taken off are gone already: off() then does nothing.
    for (i = 0; i < added.events.length; i++) { map.off.apply(map, added.events[i]); }
    added = null;
  }

  L.amContents = function (map, styleTexts, add) {
    if (frameLayers === null) {
      frameLayers = [];
      map.eachLayer(function (layer) { frameLayers.push(layer); });
    }
    clear(map);
    addStyles(styleTexts);
    var controls = [], texts = [], events = [];
    var control = L.Control.prototype, addTo = control.addTo;
    var attribution = map.attributionControl;
    control.addTo = function (target) {
      if (target === map) { controls.push(this); }
      return addTo.call(this, target);
    };
    map.on = function () {
      if (arguments.length && arguments[0]) { events.push(Array.prototype.slice.call(arguments)); }
      return L.Map.prototype.on.apply(this, arguments);
    };
    if (attribution) {
      attribution.addAttribution = function (text) {
        texts.push(text);
        return L.Control.Attribution.prototype.addAttribution.call(this, text);
      };
    }
    try {
      add(map);
    } finally {
      control.addTo = addTo;
      delete map.on;
      if (attribution) { delete attribution.addAttribution; }
      added = {controls: controls, texts: texts, events: events};
    }
  };
}());
