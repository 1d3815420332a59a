import { describe, expect, it } from 'vitest';
import { chooseForum, County, countyProblems, DEFAULT_LANSDELAR, quarterOf } from '../../src/domain/county';
import { MUNICIPALITIES } from '../../src/domain/municipality';

describe('the county structure', () => {
  it('puts each of the 14 municipalities in exactly one of the four länsdelar by default', () => {
    expect(countyProblems(DEFAULT_LANSDELAR)).toEqual([]);
    expect(DEFAULT_LANSDELAR.map((l) => l.name)).toEqual(['Norra länsdelen', 'Östra länsdelen', 'Södra länsdelen', 'Västra länsdelen']);
    expect(DEFAULT_LANSDELAR.flatMap((l) => l.municipalities).sort()).toEqual([...MUNICIPALITIES].sort());
    const county = new County();
    expect(county.lansdelOf('Luleå').name).toBe('Södra länsdelen');
    expect(county.lansdelOf('Övertorneå').name).toBe('Östra länsdelen');
    expect(county.lansdelOf('Jokkmokk').name).toBe('Västra länsdelen');
    expect(county.lansdelOf('Pajala').name).toBe('Norra länsdelen');
  });

  it('names a missing or doubled municipality', () => {
    const [norra, ostra, ...rest] = DEFAULT_LANSDELAR;
    expect(countyProblems([{ ...norra, municipalities: ['Kiruna', 'Gällivare'] }, ostra, ...rest])).toEqual(['Pajala ingår inte i någon länsdel']);
    expect(countyProblems([{ ...norra, municipalities: [...norra.municipalities, 'Kalix'] }, ostra, ...rest])).toEqual(['Kalix ingår i både Norra länsdelen och Östra länsdelen']);
  });

  describe('which Forum barn och unga a case goes to', () => {
    const forum = (forumArea?: string) => ({ party: 'forum', forumArea, channelId: forumArea ?? 'main' });
    const skola = { party: 'skola', forumArea: 'Råneå', channelId: 'skola' };

    it('is the only forum of a municipality, whatever area is asked for', () => {
      expect(chooseForum([skola, forum()], 'Råneå')?.channelId).toBe('main');
      expect(chooseForum([forum()], undefined)?.channelId).toBe('main');
    });

    it('is the forum of the area when it has one, else the forum without an area, else the first by area', () => {
      const forums = [forum('Råneå'), forum(), forum('Centrum')];
      expect(chooseForum(forums, 'RANEA')?.channelId).toBe('Råneå');
      expect(chooseForum(forums, 'Sörbyn')?.channelId).toBe('main');
      expect(chooseForum(forums, undefined)?.channelId).toBe('main');
      expect(chooseForum([forum('Råneå'), forum('Centrum')], undefined)?.channelId).toBe('Centrum');
      expect(chooseForum([skola], 'Råneå')).toBeUndefined();
    });
  });

  it('knows the quarter and its first month', () => {
    expect(quarterOf('2026-07-01')).toEqual({ quarter: '2026-Q3', firstMonth: true });
    expect(quarterOf('2026-06-01')).toEqual({ quarter: '2026-Q2', firstMonth: false });
    expect(quarterOf('2026-01-02')).toEqual({ quarter: '2026-Q1', firstMonth: true });
  });
});
