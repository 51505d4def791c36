/** The privacy notice, in plain words ("tu"), linked from the form's consent. */
export function Privacy() {
  return (
    <article className="card">
      <h1>Ce qu'on fait de tes données</h1>
      <p>
        Quand tu remplis le formulaire, tes réponses servent à une seule chose : t'aider à trouver un emploi, une formation ou une solution
        qui te va. Voici, en clair, ce que ça veut dire.
      </p>
      <h2>Ce qu'on garde</h2>
      <ul>
        <li>Ton prénom, ton nom, ta date de naissance, ta commune ;</li>
        <li>ton e-mail et/ou ton téléphone, pour te recontacter ;</li>
        <li>ta situation, ton diplôme, ce que tu aimerais faire et, si tu le dis, ce qui te complique la vie.</li>
      </ul>
      <h2>Qui les voit</h2>
      <ul>
        <li>Les conseillers du programme, qui t'accompagnent.</li>
        <li>
          La structure vers laquelle on t'oriente (Mission Locale, France Travail, École de la 2e Chance…) : elle voit ton prénom, ton âge,
          ta commune et tes souhaits, puis tes coordonnées seulement quand elle accepte de te recevoir. Ce qui te complique la vie, elle ne
          le voit que si tu l'as accepté.
        </li>
        <li>Personne d'autre. Tes données ne sont ni vendues ni utilisées pour de la publicité.</li>
      </ul>
      <h2>Combien de temps</h2>
      <p>
        Tant que tu es accompagné, puis deux ans sans nouvelles de ta part au plus. Ensuite, ton nom et tes coordonnées sont effacés ; il ne
        reste que des chiffres qui ne disent pas qui tu es (par exemple, combien de jeunes ont trouvé une formation).
      </p>
      <h2>Tes droits</h2>
      <p>
        Tu peux à tout moment demander à voir tes données, les corriger ou les faire effacer, en le demandant à ton conseiller ou en
        répondant à l'un de nos messages. Pour ne plus recevoir de SMS, réponds STOP. Tu peux aussi t'adresser à la CNIL (cnil.fr).
      </p>
      <p>
        <a href="/">Revenir au formulaire</a>
      </p>
    </article>
  );
}
