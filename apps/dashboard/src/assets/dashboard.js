// Progressive enhancement only: every page works without this file. Regions marked data-refresh="<ms>"
// are re-fetched from the same URL and swapped in place, so live figures move without a reload.
const regions = document.querySelectorAll("[data-refresh][id]");

async function refresh(region) {
  // Never pull content away from someone reading it: an opened detail or focus inside pauses the refresh.
  if (document.hidden || region.querySelector("details[open]") || region.contains(document.activeElement)) return;
  region.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
    if (response.redirected || !response.ok) return; // signed out or failing: the next navigation shows why
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById(region.id);
    if (fresh) region.replaceChildren(...fresh.childNodes);
  } catch {
    // Offline or the server restarting: keep what is shown and try again at the next tick.
  } finally {
    region.removeAttribute("aria-busy");
  }
}

for (const region of regions) {
  const every = Math.max(2000, Number(region.dataset.refresh) || 5000);
  setInterval(() => refresh(region), every);
}
