import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@walt/auth';
import { CaseEntity, DataExportRepository } from '@walt/persistence';
import { CasesService } from '../cases/cases.service';
import { Clock } from '../common/clock';

/**
 * The right of access (RGPD art. 15): everything held about the young person of a case, for a
 * counsellor to hand over. Every case of the same person, each with its profile, consents, referrals,
 * check-ins and timeline (with notes); the consent history; the messages sent with their text; what
 * they typed to the chatbot.
 */
/** The steps that say what the young person consented to, and when it changed. */
const CONSENT_EVENTS: string[] = ['CAPTURED', 'CONSENT_CHANGED', 'SMS_OPT_OUT'];

@Injectable()
export class DataExportService {
  private readonly exports: DataExportRepository;

  constructor(
    dataSource: DataSource,
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {
    this.exports = new DataExportRepository(dataSource);
    this.caseRows = dataSource.getRepository(CaseEntity);
  }

  private readonly caseRows;

  async export(caseId: string, principal: Principal) {
    const asked = await this.cases.findVisible(caseId, principal);
    const caseIds = await this.exports.caseIdsOfYouth(asked.youthId);
    const cases = await Promise.all(
      caseIds.map(async (id) => {
        const view = await this.cases.view(await this.caseRows.findOneByOrFail({ id }));
        return { ...view, timeline: await this.cases.timeline(id, { ...principal, territories: undefined }) };
      }),
    );
    const [messages, chat] = await Promise.all([this.exports.messagesOf(caseIds), this.exports.chatOf(caseIds)]);
    const consentHistory = cases.flatMap((c) =>
      c.timeline
        .filter((e) => CONSENT_EVENTS.includes(e.type))
        .map((e) => ({ caseId: c.caseId, at: e.at, type: e.type, actor: e.actor, data: e.data })),
    );
    return {
      exportedAt: this.clock.now().toISOString(),
      caseId,
      profile: cases.find((c) => c.caseId === caseId)!.profile,
      consentHistory,
      cases,
      messages,
      chat,
    };
  }
}

export type DataExport = Awaited<ReturnType<DataExportService['export']>>;

const escape = (value: unknown) =>
  String(value ?? '—').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const table = (headers: string[], rows: unknown[][]) =>
  rows.length === 0
    ? '<p>Aucune donnée.</p>'
    : `<table><thead><tr>${headers.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((v) => `<td>${escape(v)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

/** The same export as a page a young person can read (French, printable); every value escaped. */
export function exportHtml(data: DataExport): string {
  const p = data.profile;
  const profileRows: [string, unknown][] = [
    ['Prénom', p.firstName],
    ['Nom', p.lastName],
    ['Date de naissance', p.birthDate],
    ['E-mail', p.email],
    ['Téléphone', p.phone],
    ['Code postal', p.postalCode],
    ['Niveau de diplôme', p.diplomaLevel],
    ['Situation', p.situation],
    ['Freins', p.barriers?.join(', ')],
    ['Souhaits', p.wishes?.join(', ')],
    ['Partage avec les partenaires', p.consent?.shareWithPartners ? 'oui' : 'non'],
    ['Canaux acceptés', p.consent?.channels?.join(', ') || 'aucun'],
  ];
  const sections = data.cases.map(
    (c) => `<section><h2>Parcours ${escape(c.caseId)}</h2>
<p>Étape : ${escape(c.stage)} depuis le ${escape(c.stageEnteredAt)}</p>
<h3>Orientations vers des partenaires</h3>${table(
      ['Partenaire', 'Statut', 'Envoyée le', 'Décidée le'],
      c.referrals.map((r) => [r.partnerName ?? r.partnerId, r.status, r.sentAt, r.decidedAt]),
    )}
<h3>Historique</h3>${table(
      ['Date', 'Événement', 'Par', 'Note'],
      c.timeline.map((e) => [e.at, e.type, e.actor, e.note]),
    )}</section>`,
  );
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Vos données</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>Les données que nous avons sur toi</h1>
<p>Export du ${escape(data.exportedAt)}.</p>
<h2>Profil</h2>${table(['Donnée', 'Valeur'], profileRows)}
<h2>Consentements et leur historique</h2>${table(
    ['Date', 'Événement', 'Par', 'Détail'],
    data.consentHistory.map((e) => [e.at, e.type, e.actor, JSON.stringify(e.data)]),
  )}
<h2>Messages envoyés</h2>${table(
    ['Date', 'Canal', 'Objet', 'Statut', 'Texte'],
    data.messages.map((m) => [m.sentAt ?? m.scheduledAt, m.channel, m.purpose, m.status, m.text]),
  )}
<h2>Conversation avec l'assistant</h2>${table(
    ['Date', 'De', 'Texte'],
    data.chat.map((l) => [l.at, l.from === 'youth' ? 'toi' : 'assistant', l.text]),
  )}
${sections.join('\n')}
</body></html>`;
}
