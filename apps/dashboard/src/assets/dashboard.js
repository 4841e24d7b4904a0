// Progressive enhancement only: every page works without this file. Regions marked data-refresh="<ms>"
// are re-fetched from the same URL and swapped in place, so live figures move without a reload.
const regions = document.querySelectorAll("[data-refresh][id]");

async function refresh(region, timer) {
  // Never pull content away from someone reading it: an opened detail or focus inside pauses the refresh.
  if (document.hidden || region.querySelector("details[open]") || region.contains(document.activeElement)) return;
  region.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(location.href, { headers: { accept: "text/html" }, credentials: "same-origin" });
    if (response.redirected || !response.ok) return; // signed out or failing: the next navigation shows why
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById(region.id);
    if (fresh) region.replaceChildren(...fresh.childNodes);
    // The server stops marking a region live once there is nothing left to watch (a calibration ended).
    if (!fresh || !fresh.hasAttribute("data-refresh")) {
      clearInterval(timer);
      region.removeAttribute("data-refresh");
    }
  } catch {
    // Offline or the server restarting: keep what is shown and try again at the next tick.
  } finally {
    region.removeAttribute("aria-busy");
  }
}

for (const region of regions) {
  const every = Math.max(2000, Number(region.dataset.refresh) || 5000);
  const timer = setInterval(() => refresh(region, timer), every);
}

// A submitted action shows that it is under way and cannot be sent twice by a second click.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  const button = event.submitter instanceof HTMLButtonElement ? event.submitter : form.querySelector("button[type=submit]");
  if (!button) return;
  form.setAttribute("aria-busy", "true");
  button.dataset.label = button.textContent;
  button.textContent = "Working…";
  // Disabled after the event, so the browser still submits the form this click belongs to.
  setTimeout(() => (button.disabled = true));
});

// Coming back with the back button restores the page from cache: give its buttons back.
window.addEventListener("pageshow", () => {
  for (const button of document.querySelectorAll("button[data-label]")) {
    button.disabled = false;
    button.textContent = button.dataset.label;
    button.closest("form")?.removeAttribute("aria-busy");
  }
});
