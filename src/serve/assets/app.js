// lede serve: the only script. The document view opens at the hit even
// when the address carries no #pN; the search box keeps the cursor.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector(".para.target");
  if (target && !location.hash) target.scrollIntoView({ block: "center" });
});
