// Share: the phone's own share sheet when the browser has one; otherwise the link stays an
// email with the page address (never anything about the person).
export default function init(link) {
  if (typeof navigator.share !== "function") return;
  link.textContent = "Share this page";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    navigator
      .share({ title: link.dataset.shareTitle, url: link.dataset.shareUrl })
      .catch(() => {});
  });
}
