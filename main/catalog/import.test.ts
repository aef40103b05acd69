import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, importCatalogCsv, importCatalogJson, parseCsv } from './import.js';
import { loadWilayah } from './wilayah.js';

const wilayah = loadWilayah(join(__dirname, '..', '..', 'resources', 'data', 'semarang-wilayah.json'));
const good = {
  id: 'cam-1',
  number: 1,
  name: 'RT 01/RW 01 Miroto',
  type: 'rt',
  kecamatanCode: '33.74.01',
  kelurahanCode: '33.74.01.1001',
  rw: 1,
  rt: 1,
  mainUrl: 'rtsp://admin:secret@10.0.0.5/main',
  subUrl: 'rtsp://admin:secret@10.0.0.5/sub',
};

describe('JSON catalog import', () => {
  it('loads good rows and takes district names from the official data, not the file', () => {
    const r = importCatalogJson(JSON.stringify([{ ...good, kelurahanName: 'Invented' }]), wilayah);
    expect(r.errors).toEqual([]);
    expect(r.cameras[0]).toMatchObject({ kelurahanName: 'Miroto', kecamatanName: 'Semarang Tengah', hasSub: true });
  });

  it('reports each bad row with its line and field and still loads the good ones', () => {
    const rows = [
      good,
      { ...good, id: 'cam-2', number: 2, mainUrl: 'file:///etc/passwd' },
      { ...good, id: 'cam-3', number: 3, kelurahanCode: '33.74.99.9999' },
      { ...good, id: 'cam 4', number: 4 },
      { ...good, id: 'cam-5', number: 1 },
      { ...good, id: 'cam-6', number: 6, kelurahanCode: '33.74.02.1001' },
      { ...good, id: 'cam-7', number: 7, subUrl: '' },
    ];
    const text = '[\n' + rows.map((r) => JSON.stringify(r)).join(',\n') + '\n]';
    const r = importCatalogJson(text, wilayah);
    expect(r.cameras.map((c) => c.id)).toEqual(['cam-1', 'cam-7']);
    expect(r.cameras[1]!.hasSub).toBe(false);
    expect(r.errors).toEqual([
      { line: 3, field: 'mainUrl', message: 'scheme "file:" is not allowed (only rtsp, rtsps, http, https)' },
      { line: 4, field: 'kelurahanCode', message: 'unknown kelurahan code "33.74.99.9999"' },
      expect.objectContaining({ line: 5, field: 'id' }),
      { line: 6, field: 'number', message: 'duplicate camera number 1' },
      { line: 7, field: 'kelurahanCode', message: 'kelurahan 33.74.02.1001 is not in kecamatan 33.74.01' },
    ]);
  });

  it('says what is wrong with a file that is not a catalog', () => {
    expect(importCatalogJson('{nope', wilayah).errors[0]).toMatchObject({ line: 1, field: '(file)' });
    expect(importCatalogJson('{"x":1}', wilayah).errors[0]!.message).toContain('expected an array');
  });

  it('refuses hostile names with control characters but keeps HTML-looking names as text', () => {
    const r = importCatalogJson(
      JSON.stringify([
        { ...good, name: 'Bad\u0000name' },
        { ...good, id: 'cam-2', number: 2, name: '<img src=x onerror=alert(1)>' },
      ]),
      wilayah,
    );
    expect(r.errors[0]).toMatchObject({ field: 'name', message: 'must not contain control characters' });
    expect(r.cameras[0]!.name).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('hostile catalog rows', () => {
  it('rejects hostile rows one by one, each with its line number and reason, and loads the rest', () => {
    const hostile: [string, Record<string, unknown>, string, RegExp][] = [
      ['a local file', { mainUrl: 'file:///etc/shadow' }, 'mainUrl', /scheme "file:" is not allowed/],
      ["ffmpeg's concat protocol", { mainUrl: 'concat:/etc/passwd|/etc/shadow' }, 'mainUrl', /scheme "concat:" is not allowed/],
      ["ffmpeg's subfile protocol", { subUrl: 'subfile:,start,0,end,0,:/etc/passwd' }, 'subUrl', /scheme "subfile:" is not allowed/],
      ['a data: URL', { mainUrl: 'data:video/mp4;base64,AAAA' }, 'mainUrl', /scheme "data:" is not allowed/],
      ['ffmpeg options after the URL', { mainUrl: 'rtsp://10.0.0.5/main -f lavfi -i testsrc' }, 'mainUrl', /spaces or control characters/],
      ['ffmpeg options on a new line', { mainUrl: 'rtsp://10.0.0.5/main\n-i file:/etc/passwd' }, 'mainUrl', /spaces or control characters/],
      ['an option instead of a URL', { mainUrl: '-i' }, 'mainUrl', /not a valid absolute URL/],
      ['a pipe', { mainUrl: 'pipe:0' }, 'mainUrl', /scheme "pipe:" is not allowed/],
      ['a duplicate number', { number: 1 }, 'number', /duplicate camera number 1/],
    ];
    const rows = [good, ...hostile.map(([, change], i) => ({ ...good, id: `cam-h${i}`, number: 100 + i, ...change })), { ...good, id: 'cam-last', number: 2 }];
    const r = importCatalogJson('[\n' + rows.map((x) => JSON.stringify(x)).join(',\n') + '\n]', wilayah);
    expect(r.cameras.map((c) => c.id)).toEqual(['cam-1', 'cam-last']);
    expect(r.errors).toHaveLength(hostile.length);
    hostile.forEach(([what, , field, message], i) => expect(r.errors[i], what).toMatchObject({ line: i + 3, field, message: expect.stringMatching(message) }));
  });

  it('rejects the same rows in a CSV file by their line numbers', () => {
    const header = CSV_COLUMNS.join(',');
    const row = (id: string, n: number, url: string) => `${id},${n},Kamera ${n},atcs,33.74.01,33.74.01.1001,,,${url},`;
    const csv = [header, row('ok-1', 1, 'rtsp://10.0.0.5/a'), row('bad-2', 2, 'concat:/etc/passwd'), row('bad-3', 3, '"rtsp://10.0.0.5/a -i x"'), row('dup-4', 1, 'rtsp://10.0.0.5/b')].join('\n');
    const r = importCatalogCsv(csv, wilayah);
    expect(r.cameras.map((c) => c.id)).toEqual(['ok-1']);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'mainUrl'],
      [4, 'mainUrl'],
      [5, 'number'],
    ]);
  });

  it('cleans bidi overrides and invisible characters out of names, and cuts a 10,000-character one', () => {
    const r = importCatalogJson(
      JSON.stringify([
        { ...good, name: 'Pasar \u202Egnaroj\u202C Johar' },
        { ...good, id: 'cam-2', number: 2, name: 'Si\u200Bmpang\u200D Lima' },
        { ...good, id: 'cam-3', number: 3, name: 'W'.repeat(10_000) },
        { ...good, id: 'cam-4', number: 4, name: '\u200B\u202E' },
      ]),
      wilayah,
    );
    expect(r.cameras.map((c) => c.name.length)).toEqual([18, 12, 120]);
    expect(r.cameras[0]!.name).toBe('Pasar gnaroj Johar');
    expect(r.cameras[1]!.name).toBe('Simpang Lima');
    expect(r.cameras[2]!.name.endsWith('…')).toBe(true);
    expect(r.errors).toEqual([{ line: 1, field: 'name', message: 'a camera needs a name' }]);
  });
});

describe('CSV catalog import', () => {
  const header = 'id,number,name,type,kecamatanCode,kelurahanCode,rw,rt,mainUrl,subUrl';
  it('parses quoted fields and reports bad lines by their line number', () => {
    const csv = [
      header,
      'cam-1,1,"RT 01/RW 01, ""Miroto""",rt,33.74.01,33.74.01.1001,1,1,rtsp://10.0.0.5/main,',
      'cam-2,two,Name,rt,33.74.01,33.74.01.1001,1,2,rtsp://10.0.0.5/main,',
      'cam-3,3,Name,atcs,33.74.01,33.74.01.1001,,,concat:a|b,',
      'cam-4,4,Name,rt,33.74.01,33.74.01.1001,,,rtsp://10.0.0.5/main,',
    ].join('\r\n');
    const r = importCatalogCsv(csv, wilayah);
    expect(r.cameras.map((c) => c.name)).toEqual(['RT 01/RW 01, "Miroto"']);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'number'],
      [4, 'mainUrl'],
      [5, 'rw'],
    ]);
  });
  it('names missing header columns', () => {
    expect(importCatalogCsv('id,name\n1,x', wilayah).errors[0]!.message).toContain('number');
  });
  it('keeps line numbers right across quoted newlines, blank lines and mixed line ends', () => {
    expect(parseCsv('a,b\n"x\ny",z\nq,r').map((r) => r.line)).toEqual([1, 2, 4]);
    expect(parseCsv('\uFEFFa,b\r\n\r\n"p ""q"", r",s\rt,u\n').map((r) => [r.line, ...r.cells])).toEqual([
      [1, 'a', 'b'],
      [3, 'p "q", r', 's'],
      [4, 't', 'u'],
    ]);
  });
  it('reports a file that is not CSV (an unclosed quote) with its line, and loads nothing from it', () => {
    const r = importCatalogCsv(`${CSV_COLUMNS.join(',')}\n"cam-1,1,x`, wilayah);
    expect(r.cameras).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ field: '(file)', message: expect.stringMatching(/not a readable CSV file: Quote Not Closed/) })]);
    expect(r.errors[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
