/**
 * What the server's printable pages share (the planner's report, the ledger's lists and bulletin): HTML
 * escaping, zh-CN numbers and Beijing dates, and the print style. Plain HTML and CSS laid out for A4,
 * so the browser's print (or "save as PDF") is the export; nothing is fetched from outside.
 */

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const formats = new Map<number, Intl.NumberFormat>();
/** A zh-CN number (one formatter per number of digits: making one costs more than using it). */
export const zhNumber = (x: number, digits = 0) => {
  let f = formats.get(digits);
  if (!f)
    formats.set(
      digits,
      (f = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: digits, minimumFractionDigits: 0 })),
    );
  return f.format(x);
};

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Asia/Shanghai',
});
/** "2026年11月29日 21:30" in Beijing time. */
export const zhDateTime = (at: Date) => dateTime.format(at);

const ymd = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });
/** YYYY-MM-DD in Beijing time. */
export const beijingDate = (at: Date | string) => ymd.format(typeof at === 'string' ? new Date(at) : at);

/** The print style of every page; `landscape` for wide tables. */
export function printStyle(landscape = false): string {
  return `@page { size: A4${landscape ? ' landscape' : ''}; margin: ${landscape ? '12mm 12mm' : '16mm 14mm'}; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #111; font-size: 10.5pt; line-height: 1.5; margin: 0 auto; max-width: ${landscape ? '273mm' : '190mm'}; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4pt; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #333; margin: 14pt 0 6pt; padding-bottom: 2pt; }
.meta { text-align: center; color: #555; margin-bottom: 10pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; page-break-inside: auto; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
th, td { border: 0.6pt solid #888; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #00704f; font-weight: 700; }
.fail { color: #b34400; font-weight: 700; }
.note { color: #444; font-size: 9pt; }`;
}
