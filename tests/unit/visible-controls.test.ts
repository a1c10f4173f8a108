import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { visibleControls } from '@/lib/format';

describe('visibleControls', () => {
  it('shows TAB, LF, NUL and DEL as their control pictures', () => {
    expect(visibleControls('a\tb\nc\u0000d\u007f')).toBe('a␉b␊c␀d␡');
  });

  it('leaves a name without control characters as it is, UTF-8 included', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      const plain = text.replace(/[\u0000-\u001f\u007f]/g, '');
      expect(visibleControls(plain)).toBe(plain);
    }));
  });

  it('keeps one character for each control character, and none is left', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      const shown = visibleControls(text);
      expect(shown).toHaveLength(text.length);
      expect(shown).not.toMatch(/[\u0000-\u001f\u007f]/);
    }));
  });
});
