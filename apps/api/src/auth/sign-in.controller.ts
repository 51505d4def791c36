import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Principal } from '@walt/auth';
import { CurrentPrincipal, Public } from './auth.decorators';
import type { SessionContext } from './auth.guard';
import { MeDto, SignInLinkRequestDto } from './dto/sign-in.dto';
import { clearSessionCookie, consolePath, SESSION_ABSOLUTE_MS, setSessionCookie } from './session-cookie';
import { SignInService } from './sign-in.service';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a link that cannot be used answers (the console is not loaded for it). */
function linkPage(title: string, text: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Walt</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2327}a{color:#1a4f8b}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/console/connexion">Demander un nouveau lien de connexion</a></p></main></body></html>`;
}

const WHY: Record<'unknown' | 'used' | 'expired' | 'inactive', [number, string, string]> = {
  unknown: [404, 'Lien inconnu', "Ce lien de connexion n'est pas valide. Vérifiez qu'il est complet, ou demandez-en un nouveau."],
  used: [410, 'Lien déjà utilisé', 'Ce lien de connexion a déjà servi : chaque lien ne fonctionne qu’une fois.'],
  expired: [410, 'Lien expiré', 'Ce lien de connexion a expiré : il ne fonctionne que 15 minutes.'],
  inactive: [403, 'Compte désactivé', "Ce compte a été désactivé. Adressez-vous à l'administrateur de Walt."],
};

/** Each refusal above is declared as an HTML page, so the API's checks know it is not the error shape. */
const RefusalPages = () =>
  applyDecorators(
    ...[...new Set(Object.values(WHY).map(([status]) => status))].map((status) =>
      ApiResponse({
        status,
        description: Object.values(WHY)
          .filter(([s]) => s === status)
          .map(([, title]) => title)
          .join(' · '),
        content: { 'text/html': { schema: { type: 'string' } } },
      }),
    ),
  );

@ApiTags('auth')
@Controller('v1')
export class SignInController {
  constructor(private readonly signIn: SignInService) {}

  @Post('auth/links')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a single-use sign-in link (15 minutes) to an active user; 202 whatever the address' })
  @ApiAcceptedResponse({ description: 'Accepted (an email is sent only if the address is an active user)' })
  async requestLink(@Body() body: SignInLinkRequestDto): Promise<{ status: string }> {
    await this.signIn.requestLink(body.email, consolePath(body.next));
    return { status: 'accepted' };
  }

  @Get('auth/links/:token')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: 'Use a sign-in link: sets the session cookie and redirects to the console (a page says when the link is used or expired)',
  })
  @ApiResponse({ status: 303, description: 'Signed in: to the console page asked for' })
  @RefusalPages()
  async useLink(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.signIn.redeem(token);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!result.ok) {
      const [status, title, text] = WHY[result.why];
      res.status(status).type('html').send(linkPage(title, text));
      return;
    }
    setSessionCookie(req, res, result.sessionSecret, SESSION_ABSOLUTE_MS);
    res.redirect(303, result.nextPath ?? '/console/');
  }

  @Get('me')
  @ApiOperation({ summary: 'Who is signed in, and the CSRF token of the session' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal, @Req() req: Request & { session?: SessionContext }): MeDto {
    return {
      userId: principal.sub,
      email: req.session?.email ?? '',
      role: principal.role,
      ...(principal.territories ? { territories: principal.territories } : {}),
      ...(principal.partnerId ? { partnerId: principal.partnerId } : {}),
      csrfToken: req.session?.csrfToken ?? null,
    };
  }

  @Post('auth/sign-out')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the console session' })
  @ApiNoContentResponse()
  async signOut(@Req() req: Request & { session?: SessionContext }, @Res() res: Response): Promise<void> {
    if (req.session) await this.signIn.signOut(req.session.secret);
    clearSessionCookie(req, res);
    res.status(204).end();
  }
}
