// The fonts letters are set in (Noto Sans SC from @fontsource/noto-sans-sc), by file name: read by the PDF
// renderer, and copied beside the letter function's bundle by the stack — which must not load pdfkit for that.
export const LETTER_FONT_FILE = 'noto-sans-sc-chinese-simplified-400-normal.woff';
/** English letters need only Latin: the same family's small Latin subset lays out several times faster. */
export const LATIN_FONT_FILE = 'noto-sans-sc-latin-400-normal.woff';
export const LETTER_FONT_FILES = [LETTER_FONT_FILE, LATIN_FONT_FILE] as const;
