// Letters as PDFs: rendered in both locales and read back with a PDF text extractor, so the facts and the
// Chinese characters are really in the document (not boxes), and the embedded font is unwrapped correctly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { LETTER_FONT_FILE } from '../../functions/adapters/letter-fonts';
import { renderLetterPdf } from '../../functions/adapters/pdf-letters';
import { woffToSfnt } from '../../functions/adapters/woff-to-sfnt';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { composeLetter } from '../../functions/domain/letters';
import { planSchedule } from '../../functions/domain/plan-schedule';
import { anAccount } from '../support/fixtures';

const textOf = async (pdf: Uint8Array) => (await new PDFParse({ data: Uint8Array.from(pdf) }).getText()).text;
const link = 'https://api.example.com/c/token';

describe('letters as PDFs', () => {
  it('renders a Chinese final notice whose text reads back, characters and figures', async () => {
    const state = anAccount({ locale: 'zh-CN', currency: 'CNY', timezone: 'Asia/Shanghai', amountDue: 90_000 });
    const letter = composeLetter(
      state,
      { template: 'final-notice', requestedAt: '' },
      '王芳',
      new Date('2026-04-01T02:00:00Z'),
      { pack: POLICY_PACKS.cn, payWithinDays: 7 },
      link,
    );
    const pdf = await renderLetterPdf(letter);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = (await textOf(pdf)).replace(/\s+/g, '');
    for (const fact of [
      '进一步催收前的最后通知',
      '尊敬的王芳',
      '逾期90天',
      '逾期金额为900.00CNY',
      '年化29.99%',
      '2026-04-08',
      '核销',
      '400800',
      link,
    ])
      expect(text).toContain(fact);
  });

  it('renders an English plan confirmation with its schedule', async () => {
    const state = anAccount({
      plan: {
        planId: 'PL1',
        acceptedAt: '2026-02-02T16:00:00Z',
        total: 90_000,
        interestFrozen: true,
        feeWaived: 0,
        instalments: planSchedule(90_000, 3, '2026-02-02'),
        remindedFor: null,
      },
    });
    const letter = composeLetter(
      state,
      { template: 'plan-confirmation', requestedAt: '', planId: 'PL1' },
      'Ana Diaz',
      new Date('2026-02-02T16:00:00Z'),
      { pack: POLICY_PACKS['us-regf'], payWithinDays: 7 },
      link,
    );
    const text = (await textOf(await renderLetterPdf(letter))).replace(/\s+/g, ' ');
    for (const fact of [
      'Your repayment plan PL1 is confirmed',
      'Dear Ana Diaz,',
      '900.00 USD',
      '3 monthly instalments',
      '2026-03-02',
      '2026-05-02',
      '300.00 USD',
      'Penalty interest is frozen',
    ])
      expect(text).toContain(fact);
  });

  it('unwraps the WOFF font into the same font: every glyph, and the same glyph for a character', () => {
    const woff = readFileSync(
      createRequire(import.meta.url).resolve(`@fontsource/noto-sans-sc/files/${LETTER_FONT_FILE}`),
    );
    const direct = fontkit.create(woff) as fontkit.Font;
    const unwrapped = fontkit.create(woffToSfnt(woff)) as fontkit.Font;
    expect(unwrapped.numGlyphs).toBe(direct.numGlyphs);
    for (const char of '逾期金额Aa0,。')
      expect(unwrapped.glyphForCodePoint(char.codePointAt(0)!).id).toBe(
        direct.glyphForCodePoint(char.codePointAt(0)!).id,
      );
    expect(() => woffToSfnt(Buffer.from('not a font at all, really'))).toThrow('not a WOFF 1.0 file');
  });
});
