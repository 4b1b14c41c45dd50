/**
 * The current view as a CSV file: the rows shown, with Chinese column headers, UTF-8 with a byte
 * order mark so that Excel opens it as UTF-8. Cells are quoted as RFC 4180 says; a cell that
 * starts like a formula is prefixed with ' so a spreadsheet shows it as text.
 */
export function csvOf(headers: string[], rows: string[][]): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `\uFEFF${[headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Offers the text as a download named `name`. */
export function download(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
