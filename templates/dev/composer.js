// The composer's page script (templates/dev/composer.hbs; served by src/dev/composer.ts).
// Every change re-renders the preview at once (rendering only, no print), then asks for the
// fit verdict (printed and read back) once typing pauses. Only the latest answer is shown.
(() => {
  const token = document.querySelector('meta[name="handout-token"]').content;
  const $ = (id) => document.getElementById(id);
  const state = { library: null, chosen: [] };
  let sequence = 0;
  let fitTimer = null;

  const post = (action, body) =>
    fetch(`/compose/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Handout-Token': token },
      body: JSON.stringify(body),
      cache: 'no-store',
    });

  function request() {
    const number = (v) => (v === '' || v === null ? undefined : Number(v));
    return {
      locale: $('locale').value,
      ...($('paper').value ? { page_size: $('paper').value } : {}),
      ...($('large').checked ? { large_print: true } : {}),
      ...($('patient').value.trim() ? { patient: $('patient').value.trim() } : {}),
      ...($('clinician').value.trim() ? { clinician: $('clinician').value.trim() } : {}),
      ...($('date').value ? { date: $('date').value } : {}),
      exercises: state.chosen.map((c) => {
        const e = { exercise: c.id };
        for (const key of ['reps', 'sets', 'hold_seconds']) if (number(c[key]) !== undefined) e[key] = number(c[key]);
        return e;
      }),
    };
  }

  function showErrors(errors) {
    $('errors').textContent = (errors || []).map((e) => (e.hint ? `${e.text}\n${e.hint}` : e.text)).join('\n\n');
  }

  async function preview() {
    const mine = ++sequence;
    const ready = state.chosen.length > 0;
    $('pdf').disabled = !ready;
    $('email').disabled = !ready;
    $('none-chosen').hidden = ready;
    clearTimeout(fitTimer);
    if (!ready) {
      $('preview').srcdoc = '';
      $('verdict').textContent = '';
      showErrors([]);
      return;
    }
    const body = request();
    const reply = await (await post('preview', body)).json();
    if (mine !== sequence) return;
    showErrors(reply.errors);
    if (reply.html) show(reply);
    $('verdict').textContent = reply.html ? 'Checking the fit…' : '';
    $('verdict').className = 'verdict';
    if (!reply.html) return;
    fitTimer = setTimeout(async () => {
      const fit = await (await post('fit', body)).json();
      if (mine !== sequence) return;
      showErrors(fit.errors);
      if (fit.html) show(fit);
      if (fit.verdict) {
        $('verdict').textContent = fit.verdict.text + (fit.hint ? ` (${fit.hint})` : '');
        $('verdict').className = `verdict ${fit.verdict.over ? 'over' : 'ok'}`;
      }
    }, 400);
  }

  /** The sheet at its printed width, scaled down to the column. */
  function show(reply) {
    const frame = $('preview');
    frame.srcdoc = reply.html;
    const room = frame.parentElement.clientWidth;
    const scale = reply.width && reply.width > room ? room / reply.width : 1;
    frame.style.width = `${reply.width ?? room}px`;
    frame.style.height = `${Math.round(window.innerHeight * 0.8 / scale)}px`;
    frame.style.transform = scale < 1 ? `scale(${scale})` : '';
    frame.parentElement.style.height = `${Math.round(window.innerHeight * 0.8)}px`;
  }

  function renderChosen() {
    const list = $('chosen');
    list.replaceChildren();
    for (const c of state.chosen) {
      const li = document.createElement('li');
      li.dataset.id = c.id;
      const name = document.createElement('strong');
      name.textContent = c.name;
      name.dir = 'auto';
      const doses = document.createElement('div');
      doses.className = 'doses';
      for (const [key, label] of [['reps', 'Repetitions'], ['sets', 'Sets'], ['hold_seconds', 'Hold (seconds)']]) {
        const wrap = document.createElement('div');
        const input = document.createElement('input');
        input.type = 'number';
        input.min = '1';
        input.max = '999';
        input.id = `dose-${c.id}-${key}`;
        input.name = key;
        input.value = c[key] ?? '';
        // Empty: the library's dose, as the library writes it (a range stays a range).
        input.placeholder = state.library.exercises.find((e) => e.id === c.id)?.defaults[key] ?? '';
        input.addEventListener('input', () => {
          c[key] = input.value;
          void preview();
        });
        const l = document.createElement('label');
        l.htmlFor = input.id;
        l.textContent = label;
        wrap.append(l, input);
        doses.append(wrap);
      }
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'plain';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${c.name}`);
      remove.addEventListener('click', () => toggle(c.id, false));
      doses.append(remove);
      li.append(name, doses);
      list.append(li);
    }
  }

  function toggle(id, on, dose) {
    const exercise = state.library.exercises.find((e) => e.id === id);
    if (!exercise) return;
    state.chosen = state.chosen.filter((c) => c.id !== id);
    if (on) state.chosen.push({ id, name: exercise.name, reps: dose?.reps ?? null, sets: dose?.sets ?? null, hold_seconds: null });
    const box = document.querySelector(`#library input[value="${CSS.escape(id)}"]`);
    if (box) box.checked = on;
    renderChosen();
    void preview();
  }

  function renderLibrary() {
    const q = $('search').value.trim().toLowerCase();
    const region = $('region').value;
    const tag = $('tag').value;
    const list = $('library');
    list.replaceChildren();
    for (const e of state.library.exercises) {
      if (region && e.region !== region) continue;
      if (tag && !e.tags.includes(tag)) continue;
      if (q && !`${e.name} ${e.id} ${e.tags.join(' ')}`.toLowerCase().includes(q)) continue;
      const li = document.createElement('li');
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = e.id;
      box.checked = state.chosen.some((c) => c.id === e.id);
      box.addEventListener('change', () => toggle(e.id, box.checked));
      label.append(box);
      if (e.illustration) {
        const img = document.createElement('img');
        img.src = e.illustration;
        img.alt = e.alt;
        label.append(img);
      }
      const text = document.createElement('span');
      const name = document.createElement('span');
      name.textContent = e.name;
      name.dir = 'auto';
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = [e.region, ...e.tags].filter(Boolean).join(' · ');
      text.append(name, document.createElement('br'), meta);
      label.append(text);
      li.append(label);
      list.append(li);
    }
  }

  function options(select, values, keep) {
    const first = select.options[0];
    select.replaceChildren(...(keep ? [first] : []));
    for (const v of values) select.append(new Option(v.label ?? v, v.value ?? v));
  }

  async function loadLibrary(locale) {
    const reply = await (await fetch(`/compose/library.json${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`, { cache: 'no-store' })).json();
    state.library = reply;
    state.chosen = [];
    options($('locale'), reply.locales, false);
    $('locale').value = reply.locale ?? '';
    options($('region'), [...new Set(reply.exercises.map((e) => e.region).filter(Boolean))].sort(), true);
    options($('tag'), [...new Set(reply.exercises.flatMap((e) => e.tags))].sort(), true);
    options($('saved'), reply.programs.map((p) => ({ label: p.title, value: p.name })), true);
    $('send').disabled = !reply.canSend;
    $('send').parentElement.title = reply.canSend ? '' : 'Start handout dev with HANDOUT_SMTP_URL set to send; otherwise the message is saved as an .eml file.';
    renderLibrary();
    renderChosen();
    void preview();
    $('status').textContent = reply.exercises.length ? `${reply.exercises.length} exercises` : 'The library has no exercises yet (content/exercises/<locale>/<id>.yaml).';
  }

  $('search').addEventListener('input', renderLibrary);
  $('region').addEventListener('change', renderLibrary);
  $('tag').addEventListener('change', renderLibrary);
  $('locale').addEventListener('change', () => loadLibrary($('locale').value));
  $('saved').addEventListener('change', () => {
    const program = state.library.programs.find((p) => p.name === $('saved').value);
    if (!program) return;
    state.chosen = [];
    for (const e of program.exercises) toggle(e.exercise, true, e);
    renderLibrary();
  });
  for (const id of ['patient', 'clinician', 'date', 'paper', 'large']) $(id).addEventListener(id === 'paper' || id === 'large' || id === 'date' ? 'change' : 'input', () => void preview());

  $('pdf').addEventListener('click', async () => {
    $('result').textContent = 'Printing…';
    const response = await post('pdf', request());
    if (!response.ok) {
      const reply = await response.json();
      showErrors(reply.errors);
      $('result').textContent = 'Not printed.';
      return;
    }
    const blob = await response.blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = decodeURIComponent((/filename\*=UTF-8''([^;]+)/.exec(response.headers.get('Content-Disposition') || '') || [])[1] || 'program.pdf');
    a.textContent = `Download ${a.download} again`;
    a.id = 'pdf-link';
    a.click();
    showErrors([]);
    $('result').replaceChildren(`Printed and verified; saved as ${decodeURIComponent(response.headers.get('X-Handout-Saved') || '')}. `, a);
  });

  $('email').addEventListener('click', async () => {
    $('result').textContent = $('send').checked ? 'Sending…' : 'Writing the message…';
    const response = await post('email', { ...request(), to: $('to').value.trim(), send: $('send').checked });
    const reply = await response.json();
    if (!response.ok) {
      showErrors(reply.errors);
      $('result').textContent = 'Not e-mailed.';
      return;
    }
    showErrors([]);
    $('result').textContent = reply.sent ? `Sent to ${reply.to}: ${reply.subject} (${reply.sent})` : `Message to ${reply.to} saved as ${reply.eml} (not sent): ${reply.subject}`;
  });

  void loadLibrary(null);
})();
