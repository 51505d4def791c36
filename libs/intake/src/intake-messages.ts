/** What the form tells the young person, in the programme's voice: "tu", short, one next step. */
export const INTAKE_MESSAGES = {
  created: "Merci ! On a bien reçu ta demande. Quelqu'un de l'équipe te contacte très vite pour en parler avec toi.",
  alreadyKnown: 'On a déjà ta demande, pas besoin de la renvoyer : on revient vers toi très vite.',
  tooYoung:
    "Ce programme accompagne les jeunes de 16 à 25 ans. En attendant, le CIO (centre d'information et d'orientation) le plus proche de chez toi peut t'aider dès maintenant.",
  tooOld:
    "Ce programme accompagne les jeunes de 16 à 25 ans. France Travail peut t'accompagner : rends-toi sur francetravail.fr ou appelle le 3949.",
} as const;

export type IntakeMessageKey = keyof typeof INTAKE_MESSAGES;
