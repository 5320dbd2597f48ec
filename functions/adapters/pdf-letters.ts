// Letters as PDFs (pdfkit). Chinese letters embed Noto Sans SC — its simplified-Chinese subset, which also
// holds Latin, digits and punctuation — so no character is a box; pdfkit keeps only the glyphs used.
// English letters use the same embedded font's Latin, so no standard-font data files are needed at run time.
// The WOFF is unwrapped (see woff-to-sfnt.ts) and parsed once per process, and every letter sets its text
// with that one parsed font: pdfkit takes a fontkit font as readily as the file's bytes, and otherwise
// parses the font's tables again for each letter.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { create as parseFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import type { LetterContent } from '../domain/letters';
import { LATIN_FONT_FILE, LETTER_FONT_FILE } from './letter-fonts';
import { woffToSfnt } from './woff-to-sfnt';

/** OpenType layout tables: letters are plain horizontal text, set without shaping. */
const LAYOUT_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'STAT'];

const fonts = new Map<string, Font>();
const letterFont = (name: string): Font => {
  let font = fonts.get(name);
  if (!font) {
    const dir = process.env.LETTER_FONTS_DIR;
    const file = dir
      ? path.join(dir, name)
      : createRequire(import.meta.url).resolve(`@fontsource/noto-sans-sc/files/${name}`);
    font = parseFont(woffToSfnt(readFileSync(file), LAYOUT_TABLES)) as Font;
    fonts.set(name, font);
  }
  return font;
};

const MARGIN = 64;

/** Renders the letter; the same content gives the same document (its date is the letter's date). */
export const renderLetterPdf = (letter: LetterContent): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      font: letterFont(letter.locale === 'zh-CN' ? LETTER_FONT_FILE : LATIN_FONT_FILE) as unknown as string,
      lang: letter.locale,
      info: {
        Title: letter.title,
        Author: letter.from,
        Subject: letter.template,
        CreationDate: new Date(`${letter.date}T00:00:00Z`),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.fontSize(10).fillColor('#333333').text(letter.from).text(letter.date, { align: 'right' }).moveDown(2);
    doc.fontSize(16).fillColor('#000000').text(letter.title).moveDown();
    doc.fontSize(11).text(letter.greeting).moveDown(0.5);
    for (const paragraph of letter.paragraphs) doc.text(paragraph, { lineGap: 2 }).moveDown(0.6);
    if (letter.table) {
      const widths = [90, 160, 160];
      const row = (cells: string[], bold: boolean) => {
        const y = doc.y;
        cells.forEach((cell, i) =>
          doc
            .fillColor(bold ? '#000000' : '#222222')
            .text(cell, MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0), y, {
              width: widths[i]!,
              lineBreak: false,
            }),
        );
        doc.moveDown(0.4);
        doc.x = MARGIN;
      };
      row(letter.table.head, true);
      doc
        .moveTo(MARGIN, doc.y)
        .lineTo(MARGIN + 410, doc.y)
        .strokeColor('#999999')
        .stroke()
        .moveDown(0.3);
      for (const cells of letter.table.rows) row(cells, false);
      doc.moveDown();
    }
    doc.moveDown().fontSize(10).fillColor('#333333');
    for (const line of letter.contact) doc.text(line);
    doc.end();
  });
