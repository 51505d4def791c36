import type { MessageRecipient } from '@walt/persistence';
import type { MessageContext, RenderedMessage } from './context';
import { renderProfessional } from './professional';
import { renderYouth } from './youth';

/** The French text of one message; throws for a purpose that has no template for this recipient. */
export function renderMessage(recipient: MessageRecipient, ctx: MessageContext): RenderedMessage {
  const rendered = recipient === 'YOUTH' ? renderYouth(ctx) : renderProfessional(ctx, recipient);
  if (!rendered) throw new Error(`No template for ${ctx.purpose} to ${recipient}`);
  return rendered;
}
