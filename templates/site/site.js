// The search box of the site index: shown only where this script runs (the language and
// topic links work without it). It hides the handouts whose title, topic, summary and
// language do not hold every word typed, and says how many are left. The page's security
// policy lets this script run by its hash, and nothing else.
(() => {
  const box = document.getElementById('site-search');
  const input = document.getElementById('site-search-input');
  const status = document.getElementById('site-search-status');
  if (!box || !input || !status) return;
  box.hidden = false;
  const fold = (text) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();
  const cards = [...document.querySelectorAll('.card')].map((card) => ({ card, text: fold(card.dataset.search || '') }));
  const forms = JSON.parse(status.dataset.countForms || '{}');
  const plural = new Intl.PluralRules(document.documentElement.lang);
  const count = (n) => (forms[plural.select(n)] || forms.other || '{count}').replace('{count}', n.toLocaleString(document.documentElement.lang));
  const visible = (el) => el.getClientRects().length > 0;
  let timer = 0;
  const apply = () => {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    for (const { card, text } of cards) card.hidden = !words.every((w) => text.includes(w));
    for (const section of document.querySelectorAll('.category, .locale')) section.hidden = !section.querySelector('.card:not([hidden])');
    clearTimeout(timer);
    if (words.length === 0) {
      status.textContent = '';
      return;
    }
    // Announced once the reader pauses, not at every key.
    timer = setTimeout(() => {
      const shown = cards.filter(({ card }) => visible(card)).length;
      status.textContent = shown ? count(shown) : status.dataset.noResults;
    }, 300);
  };
  // The filter link in use says so to screen readers (and is shown in bold).
  const mark = () => {
    for (const link of document.querySelectorAll('nav a[href^="#"]')) {
      if (link.getAttribute('href') === (location.hash || '#handouts')) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
  };
  input.addEventListener('input', apply);
  window.addEventListener('hashchange', () => {
    mark();
    apply();
  });
  mark();
})();
