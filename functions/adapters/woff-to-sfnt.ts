// WOFF 1.0 (W3C) to the plain TrueType/OpenType file it wraps: each table inflated once. fontkit reads WOFF
// directly, but inflates a table again on every access, which made a letter take seconds to lay out.
import { inflateSync } from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

/**
 * The sfnt inside a WOFF file; tables keep their order, checksums and 4-byte alignment. `drop` leaves tables
 * out (letters drop the OpenType layout tables: plain horizontal text needs no shaping, and parsing them
 * again for every document was most of a letter's time).
 */
export const woffToSfnt = (woff: Buffer, drop: readonly string[] = []): Buffer => {
  if (woff.readUInt32BE(0) !== WOFF_SIGNATURE) throw new Error('font: not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const tables = Array.from({ length: woff.readUInt16BE(12) }, (_, i) => {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compressed = woff.readUInt32BE(entry + 8);
    const length = woff.readUInt32BE(entry + 12);
    const raw = woff.subarray(offset, offset + compressed);
    const data = compressed < length ? inflateSync(raw) : raw;
    if (data.length !== length)
      throw new Error(
        `font: table ${woff.toString('latin1', entry, entry + 4)} inflates to ${data.length} bytes, expected ${length}`,
      );
    return { tag: woff.subarray(entry, entry + 4), checksum: woff.readUInt32BE(entry + 16), data };
  }).filter((table) => !drop.includes(table.tag.toString('latin1')));
  const numTables = tables.length;
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const pad = (n: number) => (4 - (n % 4)) % 4;
  let offset = header.length;
  const body: Buffer[] = [];
  tables.forEach((table, i) => {
    const record = 12 + i * 16;
    table.tag.copy(header, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    body.push(table.data, Buffer.alloc(pad(table.data.length)));
    offset += table.data.length + pad(table.data.length);
  });
  return Buffer.concat([header, ...body]);
};
