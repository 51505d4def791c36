import type { Barrier, DiplomaLevel, Situation, Wish } from '@walt/domain';

/**
 * Everyday words for the codes of PRODUCT.md, matched on folded text (lower case, no accents).
 * The first rule that matches wins, so the more precise come first ("bac+2" before "bac").
 */
type Rules<C extends string> = [C, RegExp][];

export const DIPLOMA_WORDS: Rules<DiplomaLevel> = [
  [
    'BAC_3_PLUS',
    /\b(licence|license|master|bachelor|doctorat|ingenieur|bac ?\+ ?[345]|bac ?plus ?(trois|quatre|cinq|[345])|but\b|l3|m1|m2)/,
  ],
  ['BAC_2', /\b(bac ?\+ ?[12]|bac ?plus ?(deux|un|[12])|bts|dut|deug|deust)\b|\bbac ?\+ ?2/],
  ['BAC', /\b(bac|baccalaureat|bac pro|bac general|bac techno|bac technologique|bp|brevet professionnel|daeu)\b/],
  ['CAP_BEP', /\b(cap|bep|cap ?\/ ?bep|capa|mention complementaire)\b/],
  [
    'NONE',
    /\b(rien|aucun|aucune|pas de diplome|sans diplome|pas diplome|zero|nada|que dalle|brevet|dnb|brevet des colleges|cfg|certificat de formation generale|college|3e|troisieme|seconde|premiere|terminale sans)\b|^non$|^pas de$|^pas$|^nan$/,
  ],
];

export const SITUATION_WORDS: Rules<Situation> = [
  [
    'LEFT_SCHOOL',
    /(arrete|quitte|lache|abandonne|sorti|sortie|fini|termine|viré|vire|exclu)\w*.{0,20}(ecole|cours|lycee|college|fac|etudes|bahut|formation|scolarite)|decroch|descolaris|plus a l'?ecole|j'?ai arrete (les cours|l'ecole)|\bquitte l'?ecole\b/,
  ],
  [
    'SHORT_CONTRACTS',
    /\b(interim|cdd|petits? boulots?|missions?|extras?|saisonnier|saisons?|vacations?|contrats? courts?|job ?d'?ete|uber|livreur)\b/,
  ],
  [
    'LOOKING_FOR_JOB',
    /(cherche|recherche|trouver|chercher)\w*.{0,20}(travail|boulot|emploi|taf|job|taff|poste|employeur)|chomage|chomeur|chomeuse|demandeur d'?emploi|sans emploi|sans travail|pas de travail|pas de boulot|au chomdu|je cherche un (travail|emploi|boulot|job)/,
  ],
  [
    'INACTIVE',
    /\b(rien|je fais rien|fais rien|je ne fais rien|a la maison|chez moi|chez mes parents|sans rien faire|je glande|nothing|inactif|inactive|je reste chez moi|pas grand chose)\b/,
  ],
  ['OTHER', /\b(autre|autre chose|ca depend|c'?est complique|un peu de tout)\b/],
];

export const BARRIER_WORDS: Rules<Barrier> = [
  ['HEALTH', /\b(sante|malade|maladie|handicap|handicape|medical|medecin|hopital|psy|depression|mental|douleur|mdph|rqth)\w*/],
  ['HOUSING', /\b(logement|loge|heberge|hebergee|rue|sdf|sans domicile|foyer|appart|appartement|expulse|hebergement|dormir|toit)\w*/],
  ['MOBILITY', /\b(transport|permis|voiture|vehicule|bus|mobilite|deplacer|deplacement|scooter|train|pas de moyen de locomotion|loin)\w*/],
  ['FAMILY', /\b(famille|familial|enfant|enfants|bebe|parent|maman|papa|enceinte|garde|proche a charge|mere|pere)\w*/],
  ['RESOURCES', /\b(argent|thune|thunes|sous|fric|fin de mois|dettes?|ressources|pauvre|payer|loyer|financ|budget|rsa|aide)\w*/],
  [
    'ADMIN',
    /\b(papiers|administratif|administratives?|titre de sejour|carte vitale|caf|demarches?|identite|carte d'?identite|securite sociale|compte bancaire|banque)\w*/,
  ],
  ['LANGUAGE', /\b(francais|langue|lire|ecrire|comprendre le|parle mal|alphabet|illettr)\w*/],
  ['JUSTICE', /\b(justice|tribunal|prison|sursis|spip|pjj|condamn|juge|casier|bracelet)\w*/],
];

/** "nothing of the sort": the optional question answered with none. */
export const NO_BARRIER =
  /^(non|nan|rien|aucun|aucune|pas vraiment|ca va|tout va bien|non merci|rien de tout ca|rien de special|pas de probleme|pas de souci|je prefere ne pas (repondre|dire)|passer|suivant|pas spécialement|pas specialement|non ca va|nope)\b/;

export const WISH_WORDS: Rules<Wish> = [
  ['ALTERNANCE', /\b(alternance|alternant|apprenti|apprentissage|contrat pro|contrat de professionnalisation)\w*/],
  ['CIVIC_SERVICE', /\b(service civique|volontariat|volontaire|benevol)\w*/],
  [
    'BUSINESS_CREATION',
    /(creer|monter|lancer|ouvrir)\w*.{0,15}(entreprise|boite|business|societe|commerce|affaire)|auto.?entrepreneur|micro.?entreprise|entrepreneur|mon propre patron|a mon compte/,
  ],
  ['TRAINING', /\b(formation|former|apprendre|etudes|etudier|reprendre les cours|diplome|qualification|ecole|reconversion)\w*/],
  ['JOB', /\b(travail|travailler|boulot|emploi|job|taf|taff|bosser|cdi|salaire|embauche|poste|metier)\w*/],
  [
    'NOT_SURE',
    /\b(sais pas|ne sais pas|je sais pas|aucune idee|pas sur|pas sure|hesite|j'?hesite|je ne sais|on verra|peu importe|n'importe|chais pas|jsp)\b/,
  ],
];

/** Every code whose words appear (several barriers or wishes in one answer). */
export function allOf<C extends string>(rules: Rules<C>, folded: string): C[] {
  return rules.filter(([, pattern]) => pattern.test(folded)).map(([code]) => code);
}

export function firstOf<C extends string>(rules: Rules<C>, folded: string): C | null {
  return rules.find(([, pattern]) => pattern.test(folded))?.[0] ?? null;
}

/** Only an explicit yes counts (consent, recap). */
export const YES =
  /^(oui|ouais|ouai|ouii+|yes|ok|okay|okey|d'?accord|dac|je suis d'?accord|j'?accepte|j'?accepte tout|bien sur|ca marche|vas.?y|go|parfait|c'?est bon|c'?est ok|c'?est parfait|c'?est tout bon|tout est bon|valider|je valide|envoyer|envoie|j'?envoie|c'?est juste|exact|correct|c'?est correct)\b/;
export const NO = /^(non|nan|nope|no|je refuse|refuse|pas d'?accord|jamais|hors de question|je ne veux pas|je veux pas|non merci)\b/;
/** Consent to processing, but not to sharing with the partner structures. */
export const WITHOUT_SHARING =
  /(sans|pas de|ne pas|ne partagez pas|pas)\s*(le )?partag|sans transmission|ne (les )?transmettez pas|garde(z)? (les|mes) (pour|entre)/;
