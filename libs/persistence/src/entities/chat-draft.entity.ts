import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Barrier, DiplomaLevel, Situation, Wish } from '@walt/domain';

/** A commune the young person may mean, offered as a choice (a postal code or a city name with several). */
export interface PlaceChoice {
  postalCode: string;
  communeCode: string;
  label: string;
}

/** What the chatbot has understood so far: personal data, kept here only until the case exists. */
export interface ChatDraftFields {
  firstName?: string;
  birthDate?: string;
  postalCode?: string;
  communeCode?: string;
  communeName?: string;
  diplomaLevel?: DiplomaLevel;
  situation?: Situation;
  barriers?: Barrier[];
  wishes?: Wish[];
  phone?: string;
  email?: string;
  consent?: { dataProcessing: boolean; shareWithPartners: boolean };
  /** The places offered at the COMMUNE step. */
  choices?: PlaceChoice[];
}

/** One draft per session; deleted once the case exists, on expiry, on "recommencer" it is emptied. */
@Entity('chat_drafts')
export class ChatDraftEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' }) sessionId: string;
  @Column({ name: 'conversation_id', type: 'uuid' }) conversationId: string;
  @Column({ type: 'jsonb' }) fields: ChatDraftFields;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
