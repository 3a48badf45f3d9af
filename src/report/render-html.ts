// The HTML report: one self-contained file (inline CSS and JS, no network), summary first, then
// findings grouped by operation, sortable and filterable. Every string from traffic or the spec
// is escaped; a Content-Security-Policy forbids anything but the inline style and script.
import { SEVERITIES } from '../diff/index.js'
import { escapeHtml as h } from './escape.js'
import { countRows, countText } from './evidence-count.js'
import { isoTime } from './format-time.js'
import { findingsByOperation, incompleteText, type Report, type ReportFinding } from './report-model.js'

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header,main{max-width:1200px;margin:0 auto;padding:16px 24px}
header{background:#1d2330;color:#fff;max-width:none}
main>section{overflow-x:auto}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:20px 0 6px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f4;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
header code{background:#343c4f;color:#fff}
.cards{display:flex;gap:8px;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:8px 14px;min-width:90px}
.card b{display:block;font-size:22px}
.sev{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:#7a0016}.sev-high{background:#c62828}.sev-medium{background:#ef6c00}.sev-low{background:#607d8b}.sev-info{background:#78909c}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #dde1e8;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef0f4;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
details{margin:4px 0}dl{display:grid;grid-template-columns:max-content auto;gap:2px 10px;margin:6px 0}dt{color:#5b6475}dd{margin:0}
.controls{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:8px 0}.ack{opacity:.6}.muted{color:#5b6475}
`

// Sorting and filtering work on the rendered rows only (textContent and data attributes): no
// string from the report is ever parsed as HTML by the script.
const SCRIPT = `
(function(){
  var table=document.getElementById('findings');if(!table)return;
  var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
  var search=document.getElementById('search');var boxes=document.querySelectorAll('input[data-sev]');
  var status=document.getElementById('status');
  function apply(){
    var q=(search.value||'').toLowerCase();var on={};
    boxes.forEach(function(b){on[b.getAttribute('data-sev')]=b.checked});
    var st=status.value;var shown=0;
    rows.forEach(function(r){
      var ok=on[r.getAttribute('data-severity')]&&(st===''||r.getAttribute('data-status')===st)&&(q===''||r.textContent.toLowerCase().indexOf(q)!==-1);
      r.hidden=!ok;if(ok)shown++;
    });
    document.getElementById('shown').textContent=String(shown);
  }
  search.addEventListener('input',apply);status.addEventListener('change',apply);
  boxes.forEach(function(b){b.addEventListener('change',apply)});
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    // Focusable and operable from the keyboard too (Enter or Space), as a button would be.
    th.tabIndex=0;
    th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();th.click()}});
    th.addEventListener('click',function(){
      var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort')});
      th.setAttribute('aria-sort',dir);
      var num=th.getAttribute('data-type')==='number';
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-sort')||a.cells[i].textContent;var y=b.cells[i].getAttribute('data-sort')||b.cells[i].textContent;
        var c=num?Number(x)-Number(y):x.localeCompare(y);return dir==='ascending'?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r)});
    });
  });
  apply();
})();
`

const SEVERITY_RANK: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]))

const sev = (s: string) => `<span class="sev sev-${h(s)}">${h(s)}</span>`

function evidenceHtml(f: ReportFinding): string {
  const e = f.evidence
  const rows: Array<[string, string]> = [
    ...countRows(e),
    ['First seen', isoTime(e.firstSeenMs) || 'n/a'],
    ['Last seen', isoTime(e.lastSeenMs) || 'n/a'],
  ]
  if (e.observed !== undefined) rows.push(['Observed', e.observed])
  if (e.documented !== undefined) rows.push(['Documented', e.documented])
  if (e.example !== undefined) rows.push(['Example (redacted)', e.example])
  if (f.pointer !== '') rows.push(['Pointer', f.pointer])
  if (f.specPointer !== undefined) {
    rows.push([
      'Spec',
      f.specPointerLine === undefined ? f.specPointer : `${f.specPointer} (line ${f.specPointerLine})`,
    ])
  }
  for (const [k, v] of Object.entries(e.details ?? {})) rows.push([k, String(v)])
  if (f.operations !== undefined) rows.push(['Operations', f.operations.join('\n')])
  if (f.pathKeys !== undefined) rows.push(['Observed paths', f.pathKeys.join('\n')])
  if (f.status === 'acknowledged') rows.push(['Acknowledged', f.ackReason ?? ''])
  return `<dl>${rows.map(([k, v]) => `<dt>${h(k)}</dt><dd><code>${h(v).replaceAll('\n', '<br>')}</code></dd>`).join('')}</dl>`
}

function findingRow(f: ReportFinding): string {
  return [
    `<tr data-severity="${h(f.severity)}" data-status="${h(f.status)}" class="${f.status === 'acknowledged' ? 'ack' : ''}">`,
    `<td data-sort="${SEVERITY_RANK[f.severity] ?? 0}">${sev(f.severity)}</td>`,
    `<td><code>${h(f.method)} ${h(f.path)}</code></td>`,
    `<td><code>${h(f.rule)}</code></td>`,
    `<td><details><summary>${h(f.title)}</summary><p>${h(f.why)}</p>${evidenceHtml(f)}</details></td>`,
    `<td data-sort="${f.evidence.count}">${h(countText(f.evidence))}</td>`,
    `<td data-sort="${f.evidence.lastSeenMs}">${h(isoTime(f.evidence.lastSeenMs))}</td>`,
    `<td>${h(f.status)}${f.id !== undefined ? ` <span class="muted">#${f.id}</span>` : ''}</td>`,
    '</tr>',
  ].join('')
}

function specDiffHtml(report: Report): string {
  const d = report.specDiff
  if (d === undefined) return ''
  if ('error' in d) return `<h2>Spec-to-spec comparison (openapi-diff)</h2><p>Not available: ${h(d.error)}</p>`
  const lists = [
    ['Breaking', d.breaking],
    ['Non-breaking', d.nonBreaking],
    ['Unclassified', d.unclassified],
  ] as const
  return [
    '<h2>Spec-to-spec comparison (openapi-diff)</h2>',
    ...d.notes.map((n) => `<p class="muted">Note: ${h(n)}</p>`),
    `<p>Published spec as source, the document inferred from traffic as destination: ${d.breaking.length} breaking, ${d.nonBreaking.length} non-breaking, ${d.unclassified.length} unclassified differences.</p>`,
    ...lists
      .filter(([, list]) => list.length > 0)
      .map(
        ([title, list]) =>
          `<h3>${title}</h3><table><thead><tr><th>Code</th><th>Published</th><th>Inferred</th></tr></thead><tbody>${list
            .map(
              (e) =>
                `<tr><td><code>${h(e.code)}</code></td><td><code>${h(e.publishedLocation)}</code></td><td><code>${h(e.inferredLocation)}</code></td></tr>`,
            )
            .join('')}</tbody></table>`,
      ),
  ].join('\n')
}

function overflowNote(report: Report): string {
  const incomplete = incompleteText(report)
  return incomplete === undefined ? '' : `<p><strong>Incomplete:</strong> ${h(incomplete)}</p>`
}

function riskTable(report: Report): string {
  if (report.riskRanking.length === 0) return ''
  return `<table id="risk-ranking"><thead><tr><th>Risk</th><th>Operation</th><th>Requests</th><th>Why</th></tr></thead><tbody>${report.riskRanking
    .map(
      (r) =>
        `<tr><td>${r.score}</td><td><code>${h(r.method)} ${h(r.path)}</code></td><td>${r.requests}</td><td>${r.factors
          .map((c) => `${h(c.factor)} +${c.points} <span class="muted">(${h(c.reason)})</span>`)
          .join('<br>')}</td></tr>`,
    )
    .join('')}</tbody></table>
<p class="muted">Risk score 0-100: the sum of the points of the factors that apply (undocumented, secrets or personal data exposed, unauthenticated, admin-like path, guessable ids, enumeration seen, exposure).</p>`
}

/** Renders the report as one self-contained HTML document. */
export function renderHtml(report: Report): string {
  const s = report.summary
  const severities = [...SEVERITIES].reverse()
  const groups = findingsByOperation(report.findings)
  const title = `Specter report: ${report.spec.title || report.spec.source}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="specter ${h(report.tool.version)}">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${h(title)}</h1>
<div>Published spec <code>${h(report.spec.source)}</code> (${h(report.spec.openapi)}, ${report.spec.operations} operations) · ${report.observation.requests} requests observed from ${h(isoTime(report.observation.windowStartMs) || 'n/a')} to ${h(isoTime(report.observation.windowEndMs) || 'n/a')} · generated ${h(isoTime(report.generatedMs))}</div></header>
<main>
<section id="summary"><h2>Summary</h2>
<div class="cards">${severities.map((v) => `<div class="card" data-severity="${v}"><b>${s.bySeverity[v]}</b>${sev(v)}</div>`).join('')}
<div class="card"><b>${s.total}</b>findings</div><div class="card"><b>${s.new}</b>new</div><div class="card"><b>${s.acknowledged}</b>acknowledged</div></div>
${overflowNote(report)}
<p>By kind: ${s.byKind.inventory} inventory (shadow, zombie, unobserved), ${s.byKind.drift} drift, ${s.byKind.security} security. Coverage: ${report.coverage.observedOperations} of ${report.coverage.documentedOperations} documented operations observed; ${report.coverage.matchedEndpoints} of ${report.coverage.observedEndpoints} observed endpoints documented.${s.failOn !== undefined ? ` Gate <code>--fail-on ${h(s.failOn)}</code>: ${s.failing} failing.` : ''}</p>
<table><thead><tr><th>Rule</th><th>Findings</th></tr></thead><tbody>${Object.entries(s.byRule)
    .map(([rule, n]) => `<tr><td><code>${h(rule)}</code></td><td>${n}</td></tr>`)
    .join('')}</tbody></table>
</section>
<section id="top-risks"><h2>Top risks</h2>
${riskTable(report)}
${report.topRisks.length === 0 ? '<p>None at medium or above.</p>' : `<ol>${report.topRisks.map((f) => `<li>${sev(f.severity)} <code>${h(f.method)} ${h(f.path)}</code>: ${h(f.title)} <span class="muted">(${h(countText(f.evidence))})</span></li>`).join('')}</ol>`}
</section>
<section id="all-findings"><h2>All findings (<span id="shown">${report.findings.length}</span> shown)</h2>
<div class="controls"><input id="search" type="search" placeholder="filter text" aria-label="filter findings">
${severities.map((v) => `<label><input type="checkbox" data-sev="${v}" checked> ${v}</label>`).join('')}
<select id="status" aria-label="status"><option value="">any status</option><option value="new">new</option><option value="open">open</option><option value="acknowledged">acknowledged</option></select></div>
<table id="findings"><thead><tr><th data-type="number">Severity</th><th>Operation</th><th>Rule</th><th>Finding</th><th data-type="number">Count</th><th data-type="number">Last seen</th><th>Status</th></tr></thead>
<tbody>
${report.findings.map(findingRow).join('\n')}
</tbody></table>
</section>
<section id="by-operation"><h2>Findings by operation</h2>
${[...groups]
  .map(
    ([op, list]) =>
      `<h3><code>${h(op)}</code></h3><ul>${list.map((f) => `<li>${sev(f.severity)} ${h(f.title)} <span class="muted">(${h(f.rule)}, ${h(f.status)}${f.id !== undefined ? `, id ${f.id}` : ''})</span>${evidenceHtml(f)}</li>`).join('')}</ul>`,
  )
  .join('\n')}
</section>
${specDiffHtml(report)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`
}
