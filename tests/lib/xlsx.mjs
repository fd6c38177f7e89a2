// Reads an XLSX export back with an independent reader (exceljs), for the API and browser tests.
import ExcelJS from 'exceljs';

// {sheet, headers, rows, frozen}: rows are arrays of cell values (strings, numbers, Dates — an
// Excel date comes back as the Date whose UTC fields are the sheet's wall-clock time).
export async function readXlsx(bytes) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes));
  const ws = wb.worksheets[0];
  const width = ws.getRow(1).cellCount;
  const values = (row) => Array.from({ length: width }, (_, i) => {
    const v = row.getCell(i + 1).value;
    return v === null || v === undefined ? null : v;
  });
  const rows = [];
  for (let r = 2; r <= ws.rowCount; r += 1) rows.push(values(ws.getRow(r)));
  const view = ws.views?.[0] ?? {};
  return {
    sheet: ws.name,
    headers: values(ws.getRow(1)),
    rows,
    frozen: view.state === 'frozen' && view.ySplit === 1,
    widths: ws.columns.map((c) => c.width),
  };
}

// GETs a list route as XLSX with a bearer token: {status, headers, bytes, error}.
export async function fetchXlsx(url, token, path, headers = {}) {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const bytes = Buffer.from(await res.arrayBuffer());
  let error = null;
  if (!res.ok) {
    try { error = JSON.parse(bytes.toString('utf8')).error; } catch { error = null; }
  }
  return { status: res.status, headers: res.headers, bytes, error };
}

// The wall-clock time at +08:00 of an ISO instant, as exceljs returns an Excel date.
export const shanghaiWallClock = (iso) => new Date(Date.parse(iso) + 8 * 3600e3);
