// The DOM helpers every page script shares: elements and SVG elements from attributes and children,
// showing and hiding, and the JSON a template put into the page with `json_script`.

const SVG = "http://www.w3.org/2000/svg";

export function byId(id) {
  return document.getElementById(id);
}

// h("li", {class: "x", text: "…", onclick: f, "data-k": v}, child, [children]): null, undefined and
// false attributes and children are left out; `true` sets an empty attribute.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// s("circle", {cx: 1, …}, text): an SVG element.
export function s(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

export function show(node, on) {
  node.hidden = !on;
}

// The value a template wrote with `{{ value|json_script:"id" }}`, or null when the page has none.
export function readJson(id) {
  const node = byId(id);
  return node ? JSON.parse(node.textContent) : null;
}
