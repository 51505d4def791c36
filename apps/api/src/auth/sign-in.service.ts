import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { adaptersFromEnv, ChannelAdapter, signInEmail, signInLinkUrl } from '@walt/messaging';
import { UsersRepository } from '@walt/persistence';
import { Clock } from '../common/clock';
import { SESSION_ABSOLUTE_MS, SIGN_IN_LINK_TTL_MS } from './session-cookie';

/** Links one address may be sent per window: enough for a lost email, too few to flood a mailbox. */
export const LINKS_PER_WINDOW = Number(process.env.SIGN_IN_LINKS_PER_15_MIN || 5);

@Injectable()
export class SignInService implements OnModuleDestroy {
  private readonly logger = new Logger('sign-in');
  private readonly email: ChannelAdapter;

  constructor(
    dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {
    // Sent straight from the API, not through the journeys' queue: a sign-in link is no case's message.
    this.email = adaptersFromEnv(dataSource, process.env, null).EMAIL;
  }

  /**
   * Mails a link to an active user; silently does nothing otherwise (unknown, inactive, or too
   * many links lately), so the answer never says whether an account exists.
   */
  async requestLink(email: string, nextPath?: string): Promise<void> {
    const user = await this.users.byEmail(email.trim());
    if (!user?.active) return;
    const now = this.clock.now();
    if ((await this.users.linksSince(user.userId, new Date(now.getTime() - SIGN_IN_LINK_TTL_MS))) >= LINKS_PER_WINDOW) {
      this.logger.warn(`sign-in links rate limited for user ${user.userId}`);
      return;
    }
    const secret = await this.users.createLink(user.userId, now, new Date(now.getTime() + SIGN_IN_LINK_TTL_MS), nextPath);
    const { subject, text } = signInEmail(signInLinkUrl(secret));
    // Not awaited: a slow mail server must not make a known address answer later than an unknown one.
    void this.email
      .send({ to: user.email, subject, text })
      .catch((err: Error) => this.logger.error(`sign-in email not sent: ${err.message}`));
  }

  redeem(secret: string) {
    const now = this.clock.now();
    return this.users.redeemLink(secret, now, new Date(now.getTime() + SESSION_ABSOLUTE_MS));
  }

  signOut(sessionSecret: string) {
    return this.users.endSession(sessionSecret);
  }

  async onModuleDestroy(): Promise<void> {
    await this.email.close?.();
  }
}
