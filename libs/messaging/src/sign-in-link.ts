import { publicBaseUrl } from './referral-link';

/** The URL of a console sign-in link (the secret is only ever in the email). */
export function signInLinkUrl(secret: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${publicBaseUrl(env)}/v1/auth/links/${secret}`;
}

/** The sign-in email, professional French ("vous"). */
export function signInEmail(url: string): { subject: string; text: string } {
  return {
    subject: 'Votre lien de connexion à Walt',
    text: [
      'Bonjour,',
      '',
      'Voici votre lien pour vous connecter à la console Walt :',
      url,
      '',
      'Il fonctionne une seule fois, pendant 15 minutes.',
      "Si vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter sans ce lien.",
    ].join('\n'),
  };
}
