import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/domain/errors.js';
import { hasImageParameters, normalizedImageKey, parseImageParameters } from '../../src/images/parameters.js';

function failure(query: Record<string, unknown>): { id: string; status: number; message: string } {
  try {
    parseImageParameters(query);
  } catch (err) {
    const e = err as ApiError;
    return { id: e.id, status: e.status, message: e.message };
  }
  throw new Error('expected a failure');
}

describe('Images API parameters', () => {
  it('answers undefined without parameters, and ignores other query names', () => {
    expect(parseImageParameters({})).toBeUndefined();
    expect(parseImageParameters({ download: '1' })).toBeUndefined();
    expect(hasImageParameters({ w: '1' })).toBe(true);
  });

  it('parses every parameter', () => {
    expect(
      parseImageParameters({
        w: '200',
        h: '4000',
        fit: 'thumb',
        f: 'top_left',
        r: '20',
        bg: 'rgb:9090FF',
        fm: 'webp',
        fl: 'progressive',
        q: '75',
      }),
    ).toEqual({ w: 200, h: 4000, fit: 'thumb', f: 'top_left', r: 20, bg: '9090ff', fm: 'webp', fl: ['progressive'], q: 75 });
    expect(parseImageParameters({ r: 'max', fm: 'png', fl: 'png8' })).toEqual({ r: 'max', fm: 'png', fl: ['png8'] });
    for (const fit of ['pad', 'fill', 'scale', 'crop', 'thumb']) expect(parseImageParameters({ fit })).toEqual({ fit });
    for (const f of ['center', 'top', 'right', 'left', 'bottom', 'top_right', 'top_left', 'bottom_right', 'bottom_left', 'face', 'faces'])
      expect(parseImageParameters({ f })).toEqual({ f });
    for (const fm of ['jpg', 'png', 'webp', 'gif', 'avif', 'tiff']) expect(parseImageParameters({ fm })).toEqual({ fm });
  });

  it('refuses invalid values with a 400 BadRequest naming the parameter', () => {
    expect(failure({ w: '0' })).toEqual({
      id: 'BadRequest',
      status: 400,
      message: 'The parameter "w" must be an integer between 1 and 4000, got "0"',
    });
    expect(failure({ w: '5000' }).message).toBe('The parameter "w" must be an integer between 1 and 4000, got "5000"');
    expect(failure({ h: '12.5' }).message).toBe('The parameter "h" must be an integer between 1 and 4000, got "12.5"');
    expect(failure({ w: '-1' }).message).toBe('The parameter "w" must be an integer between 1 and 4000, got "-1"');
    expect(failure({ q: '101' }).message).toBe('The parameter "q" must be an integer between 1 and 100, got "101"');
    expect(failure({ q: '0' }).message).toBe('The parameter "q" must be an integer between 1 and 100, got "0"');
    expect(failure({ fit: 'cover' }).message).toBe('The parameter "fit" must be one of pad, fill, scale, crop, thumb, got "cover"');
    expect(failure({ f: 'middle' }).message).toBe(
      'The parameter "f" must be one of center, top, right, left, bottom, top_right, top_left, bottom_right, bottom_left, face, faces, got "middle"',
    );
    expect(failure({ fm: 'bmp' }).message).toBe('The parameter "fm" must be one of jpg, png, webp, gif, avif, tiff, got "bmp"');
    expect(failure({ fl: 'interlaced' }).message).toBe('The parameter "fl" must be one of progressive, png8, got "interlaced"');
    expect(failure({ r: 'round' }).message).toBe('The parameter "r" must be an integer between 0 and 4000, got "round"');
    expect(failure({ bg: 'red' }).message).toBe('The parameter "bg" must be a color as rgb:RRGGBB (e.g. rgb:9090ff), got "red"');
    expect(failure({ bg: 'rgb:12345' }).id).toBe('BadRequest');
    expect(failure({ w: ['1', '2'] }).message).toBe('The parameter "w" was given more than once');
  });

  it('normalizes to one sorted key whatever the order and spelling', () => {
    const a = parseImageParameters({ w: '100', fm: 'webp', bg: 'rgb:AABBCC', fl: 'png8,progressive,png8' })!;
    const b = parseImageParameters({ fl: 'progressive,png8', bg: 'rgb:aabbcc', fm: 'webp', w: '100' })!;
    expect(normalizedImageKey(a)).toBe('bg=aabbcc&fl=png8,progressive&fm=webp&w=100');
    expect(normalizedImageKey(b)).toBe(normalizedImageKey(a));
    expect(normalizedImageKey(parseImageParameters({ r: '0', w: '5' })!)).toBe('w=5');
  });
});
