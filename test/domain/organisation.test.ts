import { describe, expect, it } from 'vitest';
import { parseOrganisationDirectory } from '../../src/config/organisationDirectory';
import { mayActAs } from '../../src/domain/organisation';

const T1 = '6f0c2d1e-4b7a-4c1e-9d3b-2a5e8f7c1b90';
const T2 = '3a9b8c7d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const T3 = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('the organisation directory', () => {
  it('gives a municipality school, social services and the forum at home, the Region care everywhere, another provider what it lists', () => {
    const read = parseOrganisationDirectory(
      {
        organisations: [
          { tenantId: T1, name: 'Luleå kommun', kind: 'kommun', municipality: 'Luleå' },
          { tenantId: T2.toUpperCase(), name: 'Region Norrbotten', kind: 'region' },
          { tenantId: T3, name: 'Friskolan Norr', kind: 'annan', acts: [{ party: 'skola', municipalities: ['Luleå', 'Boden'] }] },
        ],
      },
      'test',
    );
    if (!('directory' in read)) throw new Error(read.problems.join('; '));
    const [lulea, region, school] = [read.directory.find(T1.toUpperCase())!, read.directory.find(T2)!, read.directory.find(T3)!];
    expect([mayActAs(lulea, 'skola', 'Luleå'), mayActAs(lulea, 'forum', 'Luleå'), mayActAs(lulea, 'skola', 'Boden'), mayActAs(lulea, 'primarvard', 'Luleå')]).toEqual([true, true, false, false]);
    expect([mayActAs(region, 'specialistvard', 'Kiruna'), mayActAs(region, 'forum', 'Pajala'), mayActAs(region, 'socialtjanst', 'Boden')]).toEqual([true, true, false]);
    expect([mayActAs(school, 'skola', 'Boden'), mayActAs(school, 'skola', 'Piteå'), mayActAs(school, 'socialtjanst', 'Luleå')]).toEqual([true, false, false]);
    expect(read.directory.find('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(read.directory.find(undefined)).toBeUndefined();
  });

  it.each([
    [{ organisations: [{ tenantId: 'abc', name: 'X', kind: 'region' }] }, 'organisations.0.tenantId: tenantId ska vara ett GUID'],
    [{ organisations: [{ tenantId: T1, name: 'X', kind: 'kommun', municipality: 'Stockholm' }] }, 'municipality ska vara en av Norrbottens 14 kommuner'],
    [{ organisations: [{ tenantId: T1, name: 'X', kind: 'landsting' }] }, 'kind ska vara kommun, region eller annan'],
    [{ organisations: [{ tenantId: T1, name: 'X', kind: 'annan', acts: [] }] }, 'acts ska ange minst en part'],
    [{ organisations: [{ tenantId: T1, name: 'X', kind: 'annan', acts: [{ party: 'polis', municipalities: ['Luleå'] }] }] }, 'party ska vara en av'],
    [{ organisations: [{ tenantId: T1, name: 'A', kind: 'region' }, { tenantId: T1, name: 'B', kind: 'region' }] }, 'samma tenantId finns två gånger'],
    [{ organisations: [{ tenantId: T1, name: 'A', kind: 'region', extra: true }] }, 'okända nycklar: extra'],
    [{ organisations: 'alla' }, 'organisations: ska vara en lista'],
    [{}, 'organisations: saknas'],
  ])('names what is wrong: %j', (json, message) => {
    const read = parseOrganisationDirectory(json, 'ORGANISATION_DIRECTORY (x.json)');
    expect('problems' in read && read.problems.join('\n')).toContain(message);
  });
});
