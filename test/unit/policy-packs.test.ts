// Policy packs as data: the shipped files validate, and a bad pack is refused with the field and the reason.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import usRegf from '../../policies/us-regf.json';
import { POLICY_PACKS } from '../../policies/built-in-packs';
import { InvalidPolicyError, parsePolicyPack } from '../../functions/domain/policy-packs';
import { choosePack, readPackFile } from '../../policies/pack-file';

const withChanges = (change: (pack: Record<string, unknown>) => void): unknown => {
  const pack = structuredClone(usRegf) as unknown as Record<string, unknown>;
  change(pack);
  return pack;
};
const refusal = (json: unknown): string => {
  try {
    parsePolicyPack(json, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicyError);
    return (error as Error).message;
  }
  throw new Error('the pack was accepted');
};

describe('policy packs as JSON files', () => {
  it('ships us-regf and cn, valid, with the rules the contract names', () => {
    const us = POLICY_PACKS['us-regf'];
    expect(us.callCap).toMatchObject({ attempts: 7, windowDays: 7 });
    expect(us.contactHours).toMatchObject({ fromHour: 8, untilHour: 21 });
    expect(us.maxPlanInstalments).toBe(12);
    expect(POLICY_PACKS.cn.maxPlanInstalments).toBe(60);
    expect(Object.keys(us.overlays).sort()).toEqual(['US-MA', 'US-NY']);
    for (const overlay of Object.values(us.overlays)) expect(overlay.citation.length).toBeGreaterThan(20);
    expect(us.reAge).toMatchObject({ afterConsecutiveInstalments: 3, minMonthsBetween: 12, maxInFiveYears: 2 });
  });

  it('names the field and what is wrong with it', () => {
    expect(
      refusal(
        withChanges((p) => {
          p.maxContactsPerDay = 0;
        }),
      ),
    ).toBe('test.json: maxContactsPerDay: must be >= 1');
    expect(
      refusal(
        withChanges((p) => {
          p.planOptions = [3, 6, 24];
        }),
      ),
    ).toContain('planOptions.2: 24 is more than maxPlanInstalments (12)');
    expect(
      refusal(
        withChanges((p) => {
          (p.escalation as { atDpd: number }[])[1]!.atDpd = 50;
        }),
      ),
    ).toContain("escalation.1.atDpd: must be after level 1's 60");
    expect(
      refusal(
        withChanges((p) => {
          (p.escalation as { atDpd: number }[])[3]!.atDpd = 200;
        }),
      ),
    ).toContain('escalation.3.atDpd: must be before chargeOffDpd (180)');
    expect(
      refusal(
        withChanges((p) => {
          (p.overlays as Record<string, unknown>)['CN-31'] = { citation: 'Shanghai rule of some kind' };
        }),
      ),
    ).toContain('overlays.CN-31: is not a subdivision of US');
    expect(
      refusal(
        withChanges((p) => {
          (p.callCap as { windowDays: number }).windowDays = 30;
        }),
      ),
    ).toContain('callCap.windowDays: must be <= 7');
    expect(
      refusal(
        withChanges((p) => {
          delete (p.callDisclosure as Record<string, unknown>)['zh-CN'];
        }),
      ),
    ).toContain('callDisclosure.zh-CN: expected a string');
    expect(
      refusal(
        withChanges((p) => {
          p.agency = null;
        }),
      ),
    ).toContain('agency: the ladder places accounts with an agency');
    expect(
      refusal(
        withChanges((p) => {
          p.contactHours = { fromHour: 21, untilHour: 8 };
        }),
      ),
    ).toContain('contactHours.untilHour: must be after fromHour (21)');
    // Several mistakes are all reported at once.
    expect(
      refusal(
        withChanges((p) => {
          p.id = 'US REGF';
          p.chargeOffDpd = 'soon';
        }),
      ).split('; '),
    ).toHaveLength(2);
  });

  it("reads a bank's own file, and refuses one it cannot read or parse", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'packs-'));
    const own = path.join(dir, 'acme.json');
    writeFileSync(
      own,
      JSON.stringify(
        withChanges((p) => {
          p.id = 'acme-us';
          p.maxContactsPerDay = 2;
        }),
      ),
    );
    expect(choosePack({ policyFile: own })).toMatchObject({ id: 'acme-us', maxContactsPerDay: 2 });
    expect(choosePack({ policy: 'cn' }).id).toBe('cn');
    expect(choosePack({}).id).toBe('us-regf');
    expect(() => choosePack({ policy: 'eu' })).toThrow('policy: expected one of us-regf, cn (or a pack file), got eu');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "id": ');
    expect(() => readPackFile(broken)).toThrow(`${broken}: not valid JSON`);
    expect(() => readPackFile(path.join(dir, 'missing.json'))).toThrow('cannot read it (ENOENT)');
  });
});
